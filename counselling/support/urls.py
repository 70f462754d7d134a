from django.urls import path

from counselling.support import views

app_name = "support"
urlpatterns = [
    path("cases/<int:pk>/services-given/", views.service_add, name="service_add"),
    path("services-given/<int:pk>/", views.service_edit, name="service_edit"),
    path("services-given/<int:pk>/cancel/", views.service_cancel, name="service_cancel"),
    path("services-given/cost/", views.cost_report, name="cost_report"),
    path("services-given/cost.csv", views.cost_report_csv, name="cost_report_csv"),
]
