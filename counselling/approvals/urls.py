from django.urls import path

from counselling.approvals import views

app_name = "approvals"
urlpatterns = [
    path("", views.approval_list, name="approval_list"),
    path("<int:pk>/approve/", views.approval_approve, name="approval_approve"),
    path("<int:pk>/decline/", views.approval_decline, name="approval_decline"),
]
