"""The policy screens: thin views that fetch through ngo.access, call a
selector or a service, and render. Reading needs READ_POLICY (volunteers see
published material only, by the access rules); writing needs WRITE_POLICY."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ngo import access
from ngo.access import Need
from ngo.access.views import capability_required
from ngo.accounts.roles import Capability
from ngo.lib.forms import add_service_errors
from policy_monitor import exports, filters, forms, imports, selectors, services
from policy_monitor.api import submission_file_response
from policy_monitor.dashboard import HORIZON
from policy_monitor.models import (
    Cluster,
    ImportJob,
    Policy,
    Recommendation,
    Review,
    Submission,
)

AREA = "policy_monitor"
PAGE_SIZE = 50
reader = capability_required(Capability.READ_POLICY, area=AREA)
writer = capability_required(Capability.WRITE_POLICY, area=AREA)


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query(request) -> str:
    return urlencode([(k, v) for k, v in request.GET.lists() for v in v if k != "page"])


def _can_write(request) -> bool:
    return request.user.can(Capability.WRITE_POLICY)


def _form_page(request, *, form, title, cancel, heading_object=None):
    return render(
        request,
        "policy_monitor/form.html",
        {"form": form, "title": title, "cancel": cancel, "object": heading_object},
    )


def _save(request, form, save, *, success, redirect_to):
    """Run the service with the form's values; on its ValidationError show the
    errors on the form (nothing saved)."""
    try:
        obj = save(form.values() if hasattr(form, "values") else dict(form.cleaned_data))
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, success)
    return redirect(redirect_to(obj))


# --- Home --------------------------------------------------------------------------------


@reader
def index(request):
    today = timezone.localdate()
    overview = selectors.policy_overview(user=request.user, today=today, horizon=today + HORIZON)
    return render(
        request,
        "policy_monitor/index.html",
        {"panel": overview, "can_write": _can_write(request)},
    )


# --- Recommendations -------------------------------------------------------------------------


@reader
def recommendation_list(request):
    queryset, filterset = selectors.recommendation_list(user=request.user, filters=request.GET)
    page = _page(request, queryset)
    return render(
        request,
        "policy_monitor/recommendation_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": _query(request),
            "can_write": _can_write(request),
        },
    )


@reader
def recommendation_export(request, file_format):
    if file_format not in ("csv", "xlsx"):
        raise Http404
    return exports.recommendation_export(
        user=request.user, filters=request.GET, file_format=file_format
    )


@reader
def recommendation_detail(request, pk):
    recommendation = selectors.recommendation_get(user=request.user, pk=pk)
    can_write = access.can(request.user, recommendation, Need.WRITE)
    form = forms.AssessmentForm(initial={"assessed_on": timezone.localdate()})
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        form = forms.AssessmentForm(request.POST)
        if form.is_valid():
            values = dict(form.cleaned_data)
            try:
                services.assessment_record(
                    actor=request.user, recommendation=recommendation, **values
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The assessment is recorded."))
                return redirect("policy_monitor:recommendation_detail", pk=pk)
    recommendation.refresh_from_db(fields=["current_status", "current_status_on"])
    return render(
        request,
        "policy_monitor/recommendation_detail.html",
        {
            "rec": recommendation,
            "assessments": selectors.assessments_of(
                user=request.user, recommendation=recommendation
            ),
            "can_write": can_write,
            "can_read_internal": request.user.can(Capability.READ_POLICY_INTERNAL),
            "form": form,
        },
    )


@writer
@require_http_methods(["GET", "POST"])
def recommendation_edit(request, pk=None):
    recommendation = None
    if pk is not None:
        recommendation = access.get_for_user(request.user, Recommendation, pk, Need.WRITE)
    else:
        access.require_create(request.user, Recommendation)
    form = forms.RecommendationForm(request.POST or None, instance=recommendation)
    if request.method == "POST" and form.is_valid():
        if recommendation is None:

            def save(values):
                return services.recommendation_create(actor=request.user, **values)
        else:

            def save(values):
                return services.recommendation_update(
                    actor=request.user, recommendation=recommendation, **values
                )

        response = _save(
            request,
            form,
            save,
            success=_("The recommendation is saved."),
            redirect_to=lambda r: reverse("policy_monitor:recommendation_detail", args=[r.pk]),
        )
        if response:
            return response
    return _form_page(
        request,
        form=form,
        title=_("Edit recommendation") if recommendation else _("New recommendation or commitment"),
        cancel=reverse("policy_monitor:recommendation_list"),
    )


# --- Laws, policies, plans ---------------------------------------------------------------------


@reader
def policy_list(request):
    queryset = selectors.policy_scope(user=request.user)
    filterset = filters.PolicyFilter(request.GET or None, queryset=queryset)
    return render(
        request,
        "policy_monitor/policy_list.html",
        {
            "filter": filterset,
            "page": _page(request, filterset.qs),
            "query": _query(request),
            "can_write": _can_write(request),
        },
    )


@reader
def policy_detail(request, pk):
    policy = selectors.policy_get(user=request.user, pk=pk)
    user = request.user
    return render(
        request,
        "policy_monitor/policy_detail.html",
        {
            "policy": policy,
            **selectors.policy_page(user=user, policy=policy),
            "can_write": access.can(user, policy, Need.WRITE),
        },
    )


@writer
@require_http_methods(["GET", "POST"])
def policy_edit(request, pk=None):
    policy = access.get_for_user(request.user, Policy, pk, Need.WRITE) if pk else None
    if policy is None:
        access.require_create(request.user, Policy)
    form = forms.PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        response = _save(
            request,
            form,
            lambda v: (
                services.policy_update(actor=request.user, policy=policy, **v)
                if policy
                else services.policy_create(actor=request.user, **v)
            ),
            success=_("The law or policy is saved."),
            redirect_to=lambda p: reverse("policy_monitor:policy_detail", args=[p.pk]),
        )
        if response:
            return response
    return _form_page(
        request,
        form=form,
        title=_("Edit law or policy") if policy else _("New law, policy or plan"),
        cancel=reverse("policy_monitor:policy_list"),
    )


@writer
@require_http_methods(["GET", "POST"])
def policy_event_edit(request, policy_pk, pk=None):
    policy = access.get_for_user(request.user, Policy, policy_pk, Need.WRITE)
    event = selectors.policy_event_get(user=request.user, policy=policy, pk=pk) if pk else None
    form = forms.PolicyEventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        response = _save(
            request,
            form,
            lambda v: (
                services.policy_event_update(actor=request.user, event=event, **v)
                if event
                else services.policy_event_create(actor=request.user, policy=policy, **v)
            ),
            success=_("The event is saved."),
            redirect_to=lambda e: reverse("policy_monitor:policy_detail", args=[policy.pk]),
        )
        if response:
            return response
    return _form_page(
        request,
        form=form,
        title=_("Policy event"),
        cancel=reverse("policy_monitor:policy_detail", args=[policy.pk]),
        heading_object=policy,
    )


@writer
@require_http_methods(["GET", "POST"])
def monitoring_note_add(request, policy_pk):
    policy = access.get_for_user(request.user, Policy, policy_pk, Need.WRITE)
    form = forms.MonitoringNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _save(
            request,
            form,
            lambda v: services.monitoring_note_create(actor=request.user, policy=policy, **v),
            success=_("The note is saved."),
            redirect_to=lambda n: reverse("policy_monitor:policy_detail", args=[policy.pk]),
        )
        if response:
            return response
    return _form_page(
        request,
        form=form,
        title=_("Monitoring note"),
        cancel=reverse("policy_monitor:policy_detail", args=[policy.pk]),
        heading_object=policy,
    )


# --- Reviews -------------------------------------------------------------------------------------


@reader
def review_list(request):
    queryset = selectors.review_scope(user=request.user)
    filterset = filters.ReviewFilter(request.GET or None, queryset=queryset)
    return render(
        request,
        "policy_monitor/review_list.html",
        {
            "filter": filterset,
            "page": _page(request, filterset.qs),
            "query": _query(request),
            "can_write": _can_write(request),
        },
    )


@reader
def review_detail(request, pk):
    review = selectors.review_get(user=request.user, pk=pk)
    return render(
        request,
        "policy_monitor/review_detail.html",
        {
            "review": review,
            **selectors.review_page(user=request.user, review=review),
            "can_write": access.can(request.user, review, Need.WRITE),
        },
    )


@writer
@require_http_methods(["GET", "POST"])
def review_edit(request, pk=None):
    review = access.get_for_user(request.user, Review, pk, Need.WRITE) if pk else None
    if review is None:
        access.require_create(request.user, Review)
    form = forms.ReviewForm(request.POST or None, instance=review)
    if request.method == "POST" and form.is_valid():
        response = _save(
            request,
            form,
            lambda v: (
                services.review_update(actor=request.user, review=review, **v)
                if review
                else services.review_create(actor=request.user, **v)
            ),
            success=_("The review is saved."),
            redirect_to=lambda r: reverse("policy_monitor:review_detail", args=[r.pk]),
        )
        if response:
            return response
    return _form_page(
        request,
        form=form,
        title=_("Edit review") if review else _("New review"),
        cancel=reverse("policy_monitor:review_list"),
    )


# --- Submissions ------------------------------------------------------------------------------


@reader
def submission_list(request):
    queryset = selectors.submission_scope(user=request.user)
    filterset = filters.SubmissionFilter(request.GET or None, queryset=queryset)
    return render(
        request,
        "policy_monitor/submission_list.html",
        {
            "filter": filterset,
            "page": _page(request, filterset.qs),
            "query": _query(request),
            "can_write": _can_write(request),
        },
    )


@reader
def submission_detail(request, pk):
    submission = selectors.submission_get(user=request.user, pk=pk)
    return render(
        request,
        "policy_monitor/submission_detail.html",
        {
            "submission": submission,
            "check": services.word_check(submission),
            "can_write": access.can(request.user, submission, Need.WRITE),
        },
    )


@reader
def submission_file(request, pk):
    return submission_file_response(request.user, pk)


@writer
@require_http_methods(["GET", "POST"])
def submission_edit(request, pk=None):
    submission = access.get_for_user(request.user, Submission, pk, Need.WRITE) if pk else None
    if submission is None:
        access.require_create(request.user, Submission)
    initial = {}
    if submission is None and request.GET.get("review"):
        initial["review"] = request.GET["review"]
    form = forms.SubmissionForm(
        request.POST or None, request.FILES or None, instance=submission, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        values = form.values()
        upload = values.pop("file", None)
        response = _save(
            request,
            form,
            lambda v: (
                services.submission_update(
                    actor=request.user, submission=submission, upload=upload, **values
                )
                if submission
                else services.submission_create(actor=request.user, upload=upload, **values)
            ),
            success=_("The submission is saved."),
            redirect_to=lambda s: reverse("policy_monitor:submission_detail", args=[s.pk]),
        )
        if response:
            return response
    return _form_page(
        request,
        form=form,
        title=_("Edit submission") if submission else _("New submission"),
        cancel=reverse("policy_monitor:submission_list"),
    )


# --- Clusters ----------------------------------------------------------------------------------


@reader
def cluster_list(request):
    clusters = selectors.cluster_list(user=request.user)
    return render(
        request,
        "policy_monitor/cluster_list.html",
        {"clusters": clusters, "can_write": _can_write(request)},
    )


@writer
@require_http_methods(["GET", "POST"])
def cluster_edit(request, pk=None):
    cluster = access.get_for_user(request.user, Cluster, pk, Need.WRITE) if pk else None
    if cluster is None:
        access.require_create(request.user, Cluster)
    form = forms.ClusterForm(request.POST or None, instance=cluster)
    if request.method == "POST" and form.is_valid():
        response = _save(
            request,
            form,
            lambda v: (
                services.cluster_update(actor=request.user, cluster=cluster, **v)
                if cluster
                else services.cluster_create(actor=request.user, **v)
            ),
            success=_("The cluster is saved."),
            redirect_to=lambda c: reverse("policy_monitor:cluster_list"),
        )
        if response:
            return response
    return _form_page(
        request,
        form=form,
        title=_("Edit cluster") if cluster else _("New cluster of recommendations"),
        cancel=reverse("policy_monitor:cluster_list"),
    )


# --- UHRI imports -----------------------------------------------------------------------------


@writer
@require_http_methods(["GET", "POST"])
def import_list(request):
    access.require_create(request.user, ImportJob)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.import_job_create(actor=request.user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            return redirect("policy_monitor:import_detail", pk=job.pk)
    jobs = selectors.import_jobs(user=request.user)
    return render(request, "policy_monitor/import_list.html", {"form": form, "jobs": jobs})


@writer
def import_detail(request, pk):
    job = selectors.import_job_get(user=request.user, pk=pk)
    rows = job.report.get("rows", []) if job.finished else []
    shown = request.GET.get("show", "changes")
    if shown == "changes":
        rows = [r for r in rows if r.get("outcome") != "unchanged"]
    return render(
        request,
        "policy_monitor/import_detail.html",
        {"job": job, "rows": _page(request, rows), "show": shown},
    )


@writer
def import_progress(request, pk):
    """The progress bar, polled by htmx while the worker runs the job."""
    job = selectors.import_job_get(user=request.user, pk=pk, audit_read=False, with_report=False)
    response = render(request, "policy_monitor/_import_progress.html", {"job": job})
    if job.finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # reload the page to show the report
    return response
