from django.urls import path

from counselling.rights import views

# Included under /counselling/, next to her client page.
app_name = "rights"
urlpatterns = [
    path("clients/<int:pk>/rights/", views.client_rights, name="client_rights"),
    path("clients/<int:pk>/rights/exports/", views.export_prepare, name="export_prepare"),
    path("clients/<int:pk>/rights/requests/", views.request_add, name="request_add"),
    path("rights/exports/<int:pk>/approve/", views.export_approve, name="export_approve"),
    path("rights/exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("rights/requests/<int:pk>/decide/", views.request_decide, name="request_decide"),
]
