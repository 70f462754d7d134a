from django.urls import path

from counselling.transfers import views

app_name = "transfers"
urlpatterns = [
    path("cases/<int:pk>/transfer/", views.transfer_request, name="transfer_request"),
    path("transfers/", views.transfer_list, name="transfer_list"),
    path("transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/accept/", views.transfer_accept, name="transfer_accept"),
    path("transfers/<int:pk>/decline/", views.transfer_decline, name="transfer_decline"),
    path("transfers/<int:pk>/cancel/", views.transfer_cancel, name="transfer_cancel"),
]
