from django.urls import path

from ngo.reminders import views

app_name = "reminders"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_read, name="mark_read"),
    path("item/<int:pk>/", views.open_item, name="open_item"),
    path("settings/", views.preferences, name="preferences"),
]
