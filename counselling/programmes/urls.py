from django.urls import path

from counselling.programmes import views

# Included under /counselling/programmes/.
app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("<int:pk>/", views.programme_detail, name="programme_detail"),
    path("<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("<int:pk>/classes/", views.class_session_add, name="class_add"),
    path("<int:pk>/enrolments/", views.enrolment_add, name="enrolment_add"),
    path(
        "<int:pk>/attendance/print/",
        views.attendance_print,
        name="attendance_print",
    ),
    path("<int:pk>/attendance.csv", views.attendance_csv, name="attendance_csv"),
    path("<int:pk>/attendance.xlsx", views.attendance_xlsx, name="attendance_xlsx"),
    path(
        "classes/<int:pk>/attendance/",
        views.attendance_take,
        name="attendance_take",
    ),
    path(
        "enrolments/<int:pk>/withdraw/",
        views.enrolment_withdraw,
        name="enrolment_withdraw",
    ),
]
