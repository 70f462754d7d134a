from django.urls import path

from policy_monitor import dataset_views as views

urlpatterns = [
    path("statistics/", views.dataset_list, name="dataset_list"),
    path("statistics/new/", views.dataset_create, name="dataset_create"),
    path("statistics/<int:pk>/", views.dataset_detail, name="dataset_detail"),
    path("statistics/<int:pk>/status/", views.dataset_status, name="dataset_status"),
    path("statistics/<int:pk>/generate/", views.dataset_generate, name="dataset_generate"),
    path("statistics/<int:pk>/publish/", views.dataset_publish, name="dataset_publish"),
    path(
        "statistics/<int:pk>/export/<str:file_format>/",
        views.dataset_export,
        name="dataset_export",
    ),
]
