from django.urls import path

from counselling.shelters import views

# Included under /counselling/, where the shelter screens have always been.
app_name = "shelters"
urlpatterns = [
    path("shelters/", views.shelter_list, name="shelter_list"),
    path("shelters/<int:pk>/", views.shelter_board, name="shelter_board"),
    path("shelters/<int:pk>/rooms/", views.room_add, name="room_add"),
    path("shelters/<int:pk>/beds/", views.bed_add, name="bed_add"),
    path("shelters/beds/<int:pk>/admit/", views.bed_admit, name="bed_admit"),
    path("shelters/beds/<int:pk>/hold/", views.bed_hold, name="bed_hold"),
    path("shelters/beds/<int:pk>/service/", views.bed_service, name="bed_service"),
    path("shelters/holds/<int:pk>/release/", views.hold_release, name="hold_release"),
    path("stays/<int:pk>/", views.stay_detail, name="stay_detail"),
    path("stays/<int:pk>/move/", views.stay_move, name="stay_move"),
    path("stays/<int:pk>/discharge/", views.stay_discharge, name="stay_discharge"),
    path(
        "stays/<int:pk>/expected-leave/",
        views.stay_expected_leave,
        name="stay_expected_leave",
    ),
]
