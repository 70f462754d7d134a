from django.urls import path

from counselling.shelters import edit_views, request_views, views

# Included under /counselling/, where the shelter screens have always been.
app_name = "shelters"
urlpatterns = [
    path("shelters/", views.shelter_list, name="shelter_list"),
    path("shelters/<int:pk>/", views.shelter_board, name="shelter_board"),
    path("shelters/<int:pk>/rooms/", views.room_add, name="room_add"),
    path("shelters/<int:pk>/beds/", views.bed_add, name="bed_add"),
    path("shelters/<int:pk>/edit/", edit_views.shelter_edit, name="shelter_edit"),
    path("shelters/rooms/<int:pk>/edit/", edit_views.room_edit, name="room_edit"),
    path("shelters/beds/<int:pk>/edit/", edit_views.bed_edit, name="bed_edit"),
    path("shelters/free-beds/", request_views.free_beds, name="free_beds"),
    path("shelters/requests/", request_views.bed_request_list, name="bed_request_list"),
    path("shelters/requests/new/", request_views.bed_request_new, name="bed_request_new"),
    path(
        "shelters/requests/<int:pk>/",
        request_views.bed_request_detail,
        name="bed_request_detail",
    ),
    path(
        "shelters/requests/<int:pk>/accept/",
        request_views.bed_request_accept,
        name="bed_request_accept",
    ),
    path(
        "shelters/requests/<int:pk>/decline/",
        request_views.bed_request_decline,
        name="bed_request_decline",
    ),
    path(
        "shelters/requests/<int:pk>/cancel/",
        request_views.bed_request_cancel,
        name="bed_request_cancel",
    ),
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
