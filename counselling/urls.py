from django.urls import path

from counselling import views

app_name = "counselling"
urlpatterns = [
    path("", views.index, name="index"),
    path("intake/", views.intake, name="intake"),
    path("caseload/", views.caseload, name="caseload"),
    path("cases/", views.case_list, name="case_list"),
    path("caseload/export.<str:file_format>", views.caseload_export, name="caseload_export"),
    path("clients/<int:pk>/", views.client_detail, name="client_detail"),
    path("clients/<int:pk>/edit/", views.client_edit, name="client_edit"),
    path("clients/<int:pk>/form/<slug:form>/", views.client_form, name="client_form"),
    path("clients/<int:pk>/consent/", views.consent_add, name="consent_add"),
    path("clients/<int:pk>/consent/form.pdf", views.consent_form_print, name="consent_form_print"),
    path(
        "clients/<int:pk>/consent/signed-form/",
        views.consent_signed_form_add,
        name="consent_signed_form_add",
    ),
    path("clients/<int:pk>/cases/", views.case_open, name="case_open"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/form/<slug:form>/", views.case_form, name="case_form"),
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
]
