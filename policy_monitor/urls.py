from django.urls import path

from policy_monitor import views
from policy_monitor.dataset_urls import urlpatterns as dataset_urlpatterns

app_name = "policy_monitor"
urlpatterns = [
    path("", views.index, name="index"),
    *dataset_urlpatterns,
]
