from django.urls import path

from counselling.hotline import views

app_name = "hotline"
urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("new/", views.call_new, name="call_new"),
    path("<int:pk>/", views.call_detail, name="call_detail"),
    path("<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("<int:pk>/link/", views.call_link, name="call_link"),
    path("<int:pk>/unlink/", views.call_unlink, name="call_unlink"),
    path("cases/<int:pk>/link-call/", views.case_call_link, name="case_call_link"),
]
