from django.urls import path

from counselling.incidents import views

app_name = "incidents"
urlpatterns = [
    path("cases/<int:pk>/incidents/add/", views.incident_add, name="incident_add"),
    path("incidents/<int:pk>/edit/", views.incident_edit, name="incident_edit"),
    path("incidents/<int:pk>/delete/", views.incident_delete, name="incident_delete"),
]
