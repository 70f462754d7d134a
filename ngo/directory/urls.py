from django.urls import path
from django.views.generic import RedirectView

from ngo.directory import views

app_name = "directory"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="directory:organisation_list"), name="index"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_new, name="organisation_new"),
    path("organisations/import/", views.organisation_import, name="organisation_import"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/contacts/new/", views.contact_new, name="contact_new"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
]
