from django.urls import path

from counselling.retention import views

app_name = "retention"
urlpatterns = [
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("clients/<int:pk>/holds/", views.client_holds, name="client_holds"),
    path("holds/<int:pk>/release/", views.hold_release, name="hold_release"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/approve/", views.batch_approve, name="batch_approve"),
    path(
        "batches/<int:pk>/items/<int:item_id>/exclude/",
        views.item_exclude,
        name="item_exclude",
    ),
    path("records/", views.record_list, name="record_list"),
    path("records/<int:pk>/", views.record_detail, name="record_detail"),
]
