from django.urls import path

from counselling import shelter_views, views

app_name = "counselling"
urlpatterns = [
    path("", views.index, name="index"),
    path("intake/", views.intake, name="intake"),
    path("caseload/", views.caseload, name="caseload"),
    path("clients/<int:pk>/", views.client_detail, name="client_detail"),
    path("clients/<int:pk>/edit/", views.client_edit, name="client_edit"),
    path("clients/<int:pk>/consent/", views.consent_add, name="consent_add"),
    path("clients/<int:pk>/cases/", views.case_open, name="case_open"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/status/", views.case_status, name="case_status"),
    path("cases/<int:pk>/assign/", views.case_assign, name="case_assign"),
    path("cases/<int:pk>/sessions/", views.session_add, name="session_add"),
    path("cases/<int:pk>/events/", views.event_add, name="event_add"),
    path("cases/<int:pk>/risk/", views.risk_add, name="risk_add"),
    path("cases/<int:pk>/safety-plan/", views.safety_plan_add, name="safety_plan_add"),
    path(
        "cases/<int:pk>/safety-plan/items/", views.safety_plan_item_add, name="safety_plan_item_add"
    ),
    path("cases/<int:pk>/safety-plan/review/", views.safety_plan_review, name="safety_plan_review"),
    path("cases/<int:pk>/referrals/", views.referral_add, name="referral_add"),
    path("cases/<int:pk>/documents/", views.document_add, name="document_add"),
    path("clients/<int:pk>/documents/", views.client_document_add, name="client_document_add"),
    path(
        "safety-plan-items/<int:pk>/done/",
        views.safety_plan_item_done,
        name="safety_plan_item_done",
    ),
    path("referrals/<int:pk>/status/", views.referral_status, name="referral_status"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    # Shelters and stays
    path("shelters/", shelter_views.shelter_list, name="shelter_list"),
    path("shelters/<int:pk>/", shelter_views.shelter_board, name="shelter_board"),
    path("shelters/<int:pk>/rooms/", shelter_views.room_add, name="room_add"),
    path("shelters/<int:pk>/beds/", shelter_views.bed_add, name="bed_add"),
    path("shelters/beds/<int:pk>/admit/", shelter_views.bed_admit, name="bed_admit"),
    path("shelters/beds/<int:pk>/hold/", shelter_views.bed_hold, name="bed_hold"),
    path("shelters/beds/<int:pk>/service/", shelter_views.bed_service, name="bed_service"),
    path("shelters/holds/<int:pk>/release/", shelter_views.hold_release, name="hold_release"),
    path("stays/<int:pk>/", shelter_views.stay_detail, name="stay_detail"),
    path("stays/<int:pk>/move/", shelter_views.stay_move, name="stay_move"),
    path("stays/<int:pk>/discharge/", shelter_views.stay_discharge, name="stay_discharge"),
    path(
        "stays/<int:pk>/expected-leave/",
        shelter_views.stay_expected_leave,
        name="stay_expected_leave",
    ),
    # Empowerment programmes
    path("programmes/", shelter_views.programme_list, name="programme_list"),
    path("programmes/<int:pk>/", shelter_views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/classes/", shelter_views.class_session_add, name="class_add"),
    path("programmes/<int:pk>/enrolments/", shelter_views.enrolment_add, name="enrolment_add"),
    path(
        "programmes/<int:pk>/attendance/print/",
        shelter_views.attendance_print,
        name="attendance_print",
    ),
    path("programmes/<int:pk>/attendance.csv", shelter_views.attendance_csv, name="attendance_csv"),
    path(
        "programmes/<int:pk>/attendance.xlsx", shelter_views.attendance_xlsx, name="attendance_xlsx"
    ),
    path(
        "programmes/classes/<int:pk>/attendance/",
        shelter_views.attendance_take,
        name="attendance_take",
    ),
    path(
        "programmes/enrolments/<int:pk>/withdraw/",
        shelter_views.enrolment_withdraw,
        name="enrolment_withdraw",
    ),
]
