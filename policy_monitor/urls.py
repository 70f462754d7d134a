from django.urls import path

from policy_monitor import views

app_name = "policy_monitor"
urlpatterns = [
    path("", views.index, name="index"),
]
