from csp.decorators import csp_update
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from campaigns import api as campaigns_api
from counselling import api as counselling_api
from counselling.programmes import api as programmes_api
from counselling.shelters import api as shelters_api
from ngo.accounts import api as accounts_api
from ngo.audit import api as audit_api
from ngo.directory import api as directory_api
from ngo.lib import errors
from ngo.reminders import api as reminders_api
from policy_monitor import api as policy_api
from policy_monitor.statistics import api as statistics_api

# Swagger UI adds one fixed <style> element; allow exactly that one, on this page only.
swagger_ui = csp_update({"style-src": ["'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"]})(
    SpectacularSwaggerSplitView.as_view(url_name="schema")
)

router = DefaultRouter()
router.register("branches", accounts_api.BranchViewSet, basename="branch")
router.register("staff", accounts_api.StaffViewSet, basename="staff")
router.register("audit-events", audit_api.AuditEventViewSet, basename="audit-event")
router.register("organisations", directory_api.OrganisationViewSet, basename="organisation")
router.register(
    "organisation-contacts", directory_api.ContactPersonViewSet, basename="organisation-contact"
)
router.register("coalitions", campaigns_api.CoalitionViewSet, basename="coalition")
router.register("memberships", campaigns_api.MembershipViewSet, basename="membership")
router.register("campaigns", campaigns_api.CampaignViewSet, basename="campaign")
router.register("demands", campaigns_api.DemandViewSet, basename="demand")
router.register("campaign-actions", campaigns_api.CampaignActionViewSet, basename="campaign-action")
router.register("action-files", campaigns_api.ActionFileViewSet, basename="action-file")
router.register("sign-ons", campaigns_api.SignOnViewSet, basename="sign-on")
router.register("signatories", campaigns_api.SignatoryViewSet, basename="signatory")
router.register("campaign-tasks", campaigns_api.CampaignTaskViewSet, basename="campaign-task")
router.register("clients", counselling_api.ClientViewSet, basename="client")
router.register("children", counselling_api.ChildViewSet, basename="child")
router.register("cases", counselling_api.CaseViewSet, basename="case")
router.register("sessions", counselling_api.SessionViewSet, basename="session")
router.register("case-events", counselling_api.CaseEventViewSet, basename="case-event")
router.register(
    "risk-assessments", counselling_api.RiskAssessmentViewSet, basename="risk-assessment"
)
router.register("safety-plans", counselling_api.SafetyPlanViewSet, basename="safety-plan")
router.register("referrals", counselling_api.ReferralViewSet, basename="referral")
router.register("consents", counselling_api.ConsentViewSet, basename="consent")
router.register("documents", counselling_api.DocumentViewSet, basename="document")
router.register("shelters", shelters_api.ShelterViewSet, basename="shelter")
router.register("rooms", shelters_api.RoomViewSet, basename="room")
router.register("beds", shelters_api.BedViewSet, basename="bed")
router.register("stays", shelters_api.StayViewSet, basename="stay")
router.register("bed-holds", shelters_api.BedHoldViewSet, basename="bed-hold")
router.register("programmes", programmes_api.ProgrammeViewSet, basename="programme")
router.register("class-sessions", programmes_api.ClassSessionViewSet, basename="class-session")
router.register("enrolments", programmes_api.EnrolmentViewSet, basename="enrolment")
router.register("notifications", reminders_api.NotificationViewSet, basename="notification")
router.register(
    "statistics-datasets", statistics_api.StatisticsDatasetViewSet, basename="statistics-dataset"
)
for _prefix, _viewset, _basename in policy_api.ROUTES:
    router.register(_prefix, _viewset, basename=_basename)

api_v1 = [
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path("auth/token/", accounts_api.TokenView.as_view(), name="token"),
    path(
        "notification-settings/",
        reminders_api.PreferenceView.as_view(),
        name="notification-settings",
    ),
    # Before the router, whose format-suffix routes would take "attendance.csv".
    path(
        "programmes/<int:pk>/attendance.csv",
        programmes_api.ProgrammeViewSet.as_view(
            {"get": "attendance_csv"}, **programmes_api.EXPORT_VIEW_OPTIONS
        ),
        name="programme-attendance-csv",
    ),
    path(
        "programmes/<int:pk>/attendance.xlsx",
        programmes_api.ProgrammeViewSet.as_view(
            {"get": "attendance_xlsx"}, **programmes_api.EXPORT_VIEW_OPTIONS
        ),
        name="programme-attendance-xlsx",
    ),
    path(
        "recommendations/export.csv",
        policy_api.RecommendationCsvView.as_view(),
        name="recommendation-export-csv",
    ),
    path(
        "recommendations/export.xlsx",
        policy_api.RecommendationXlsxView.as_view(),
        name="recommendation-export-xlsx",
    ),
    path(
        "sign-ons/<int:pk>/signatories.csv",
        campaigns_api.SignOnViewSet.as_view(
            {"get": "signatories_csv"}, **campaigns_api.EXPORT_VIEW_OPTIONS
        ),
        name="sign-on-signatories-csv",
    ),
    path(
        "sign-ons/<int:pk>/signatories.xlsx",
        campaigns_api.SignOnViewSet.as_view(
            {"get": "signatories_xlsx"}, **campaigns_api.EXPORT_VIEW_OPTIONS
        ),
        name="sign-on-signatories-xlsx",
    ),
    path("", include(router.urls)),
]

urlpatterns = [
    path("", lambda request: redirect("accounts:dashboard"), name="home"),
    path("favicon.ico", lambda request: redirect(static("hamkke/favicon.svg"), permanent=True)),
    path("accounts/", include("ngo.accounts.urls")),
    path("audit/", include("ngo.audit.urls")),
    path("notifications/", include("ngo.reminders.urls")),
    path("counselling/", include("counselling.urls")),
    path("directory/", include("ngo.directory.urls")),
    path("counselling/", include("counselling.shelters.urls")),
    path("counselling/programmes/", include("counselling.programmes.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("policy/statistics/", include("policy_monitor.statistics.urls")),
    path("policy/", include("policy_monitor.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", swagger_ui, name="api-docs"),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
