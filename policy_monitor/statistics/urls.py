from django.urls import path

from policy_monitor.statistics import views

app_name = "statistics"
urlpatterns = [
    path("", views.dataset_list, name="dataset_list"),
    path("new/", views.dataset_create, name="dataset_create"),
    path("<int:pk>/", views.dataset_detail, name="dataset_detail"),
    path("<int:pk>/status/", views.dataset_status, name="dataset_status"),
    path("<int:pk>/progress/", views.dataset_progress, name="dataset_progress"),
    path("<int:pk>/generate/", views.dataset_generate, name="dataset_generate"),
    path("<int:pk>/cancel/", views.dataset_cancel, name="dataset_cancel"),
    path("<int:pk>/publish/", views.dataset_publish, name="dataset_publish"),
    path("<int:pk>/export/<str:file_format>/", views.dataset_export, name="dataset_export"),
]
