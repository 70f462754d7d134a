from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from campaigns import api as campaigns_api
from counselling import api as counselling_api
from counselling.approvals import api as approvals_api
from counselling.consent_texts import api as consent_texts_api
from counselling.hotline import api as hotline_api
from counselling.incidents import api as incidents_api
from counselling.letters import api as letters_api
from counselling.programmes import api as programmes_api
from counselling.retention import api as retention_api
from counselling.rights import api as rights_api
from counselling.safety import api as safety_api
from counselling.shelters import api as shelters_api
from counselling.support import api as support_api
from counselling.transfers import api as transfers_api
from ngo import health
from ngo.accounts import api as accounts_api
from ngo.audit import api as audit_api
from ngo.directory import api as directory_api
from ngo.lib import errors
from ngo.reminders import api as reminders_api
from policy_monitor import api as policy_api
from policy_monitor.statistics import api as statistics_api

# Swagger UI adds one fixed <style> element; allow exactly that one, on this page only.
# The schema and the docs are for signed-in staff (SPECTACULAR_SETTINGS'
# SERVE_PERMISSIONS); a browser that is not signed in is sent to the login.
swagger_ui = login_required(
    csp_update({"style-src": ["'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"]})(
        SpectacularSwaggerSplitView.as_view(url_name="schema")
    )
)

# Each app lists what it adds to /api/v1/: ROUTES for the router and API_PATHS
# (exports with a file extension) that must come before the router's routes.
API_APPS = [
    accounts_api,
    audit_api,
    directory_api,
    campaigns_api,
    counselling_api,
    consent_texts_api,
    shelters_api,
    programmes_api,
    hotline_api,
    support_api,
    letters_api,
    incidents_api,
    retention_api,
    rights_api,
    transfers_api,
    approvals_api,
    safety_api,
    reminders_api,
    statistics_api,
    policy_api,
]
router = DefaultRouter()
for _app in API_APPS:
    for _prefix, _viewset, _basename in _app.ROUTES:
        router.register(_prefix, _viewset, basename=_basename)

api_v1 = [
    *(api_path for _app in API_APPS for api_path in getattr(_app, "API_PATHS", [])),
    path("", include(router.urls)),
]

urlpatterns = [
    path("", lambda request: redirect("accounts:dashboard"), name="home"),
    path("health/", health.health, name="health"),
    path("health/web/", health.web_health, name="health-web"),
    path(
        "favicon.ico",
        lambda request: redirect(static("hamkke/favicon.svg"), permanent=True),
        name="favicon",
    ),
    path("accounts/", include("ngo.accounts.urls")),
    path("audit/", include("ngo.audit.urls")),
    path("notifications/", include("ngo.reminders.urls")),
    path("counselling/", include("counselling.urls")),
    path("directory/", include("ngo.directory.urls")),
    path("counselling/", include("counselling.shelters.urls")),
    path("counselling/programmes/", include("counselling.programmes.urls")),
    path("counselling/hotline/", include("counselling.hotline.urls")),
    path("counselling/", include("counselling.support.urls")),
    path("", include("counselling.letters.urls")),
    path("counselling/", include("counselling.incidents.urls")),
    path("counselling/consent-texts/", include("counselling.consent_texts.urls")),
    path("counselling/retention/", include("counselling.retention.urls")),
    path("counselling/", include("counselling.rights.urls")),
    path("counselling/", include("counselling.transfers.urls")),
    path("counselling/approvals/", include("counselling.approvals.urls")),
    path("counselling/", include("counselling.safety.urls")),
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
