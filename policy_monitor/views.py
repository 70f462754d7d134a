"""The policy screens: thin views that fetch through ngo.access, call a
selector or a service, and render. Reading needs READ_POLICY (volunteers see
published material only, by the access rules); writing needs WRITE_POLICY."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ngo import access
from ngo.access import Need
from ngo.access.views import capability_required, record_form_view, record_to_write
from ngo.accounts.roles import Capability
from ngo.lib.forms import add_service_errors
from ngo.lib.paging import CappedPaginator
from policy_monitor import evidence, exports, filters, forms, imports, selectors, services
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
    return CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


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


def _values(form) -> dict:
    """What the service is given: the form's own `values()` where it has one."""
    return form.values() if hasattr(form, "values") else dict(form.cleaned_data)


def _record_form(request, *, read, form_class, save, saved, message, title, cancel, **page):
    """A policy record's form screen (ngo.access.views.record_form_view); `save`
    gets the form's values and the record (None for a new one)."""
    return record_form_view(
        request,
        read=read,
        bind=lambda record: form_class(request.POST or None, instance=record, user=request.user),
        save=lambda form, record: save(_values(form), record),
        saved=saved,
        page=lambda form, record: _form_page(
            request,
            form=form,
            title=title(record) if callable(title) else title,
            cancel=cancel,
            **page,
        ),
        message=message,
    )


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
            "chain": evidence.recommendation_chain(
                user=request.user, recommendation=recommendation
            ),
        },
    )


@writer
@require_http_methods(["GET", "POST"])
def recommendation_edit(request, pk=None):
    user = request.user
    return _record_form(
        request,
        read=lambda: record_to_write(user, Recommendation, pk),
        form_class=forms.RecommendationForm,
        save=lambda values, recommendation: (
            services.recommendation_update(actor=user, recommendation=recommendation, **values)
            if recommendation
            else services.recommendation_create(actor=user, **values)
        ),
        saved=lambda r: redirect("policy_monitor:recommendation_detail", r.pk),
        message=_("The recommendation is saved."),
        title=lambda r: _("Edit recommendation") if r else _("New recommendation or commitment"),
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
            "chain": evidence.policy_chain(user=user, policy=policy),
            "can_write": access.can(user, policy, Need.WRITE),
        },
    )


@writer
@require_http_methods(["GET", "POST"])
def policy_edit(request, pk=None):
    user = request.user
    return _record_form(
        request,
        read=lambda: record_to_write(user, Policy, pk),
        form_class=forms.PolicyForm,
        save=lambda values, policy: (
            services.policy_update(actor=user, policy=policy, **values)
            if policy
            else services.policy_create(actor=user, **values)
        ),
        saved=lambda p: redirect("policy_monitor:policy_detail", p.pk),
        message=_("The law or policy is saved."),
        title=lambda p: _("Edit law or policy") if p else _("New law, policy or plan"),
        cancel=reverse("policy_monitor:policy_list"),
    )


@writer
@require_http_methods(["GET", "POST"])
def policy_event_edit(request, policy_pk, pk=None):
    user = request.user
    policy = access.get_for_user(user, Policy, policy_pk, Need.WRITE)
    detail = reverse("policy_monitor:policy_detail", args=[policy.pk])
    return _record_form(
        request,
        read=lambda: selectors.policy_event_get(user=user, policy=policy, pk=pk) if pk else None,
        form_class=forms.PolicyEventForm,
        save=lambda values, event: (
            services.policy_event_update(actor=user, event=event, **values)
            if event
            else services.policy_event_create(actor=user, policy=policy, **values)
        ),
        saved=lambda _event: redirect(detail),
        message=_("The event is saved."),
        title=_("Policy event"),
        cancel=detail,
        heading_object=policy,
    )


@writer
@require_http_methods(["GET", "POST"])
def monitoring_note_add(request, policy_pk):
    user = request.user
    policy = access.get_for_user(user, Policy, policy_pk, Need.WRITE)
    detail = reverse("policy_monitor:policy_detail", args=[policy.pk])
    return _record_form(
        request,
        read=lambda: None,
        form_class=forms.MonitoringNoteForm,
        save=lambda values, _new: services.monitoring_note_create(
            actor=user, policy=policy, **values
        ),
        saved=lambda _note: redirect(detail),
        message=_("The note is saved."),
        title=_("Monitoring note"),
        cancel=detail,
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
    user = request.user
    return _record_form(
        request,
        read=lambda: record_to_write(user, Review, pk),
        form_class=forms.ReviewForm,
        save=lambda values, review: (
            services.review_update(actor=user, review=review, **values)
            if review
            else services.review_create(actor=user, **values)
        ),
        saved=lambda r: redirect("policy_monitor:review_detail", r.pk),
        message=_("The review is saved."),
        title=lambda r: _("Edit review") if r else _("New review"),
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
            "chain": evidence.submission_chain(user=request.user, submission=submission),
            "can_write": access.can(request.user, submission, Need.WRITE),
        },
    )


@reader
def submission_file(request, pk):
    return submission_file_response(request.user, pk)


@writer
@require_http_methods(["GET", "POST"])
def submission_edit(request, pk=None):
    user = request.user
    initial = {}
    if pk is None and request.GET.get("review"):
        initial["review"] = request.GET["review"]

    def save(form, submission):
        values = _values(form)
        upload = values.pop("file", None)
        if submission is None:
            return services.submission_create(actor=user, upload=upload, **values)
        return services.submission_update(
            actor=user, submission=submission, upload=upload, **values
        )

    return record_form_view(
        request,
        read=lambda: record_to_write(user, Submission, pk),
        bind=lambda submission: forms.SubmissionForm(
            request.POST or None,
            request.FILES or None,
            instance=submission,
            initial=initial,
            user=user,
        ),
        save=save,
        saved=lambda s: redirect("policy_monitor:submission_detail", s.pk),
        page=lambda form, submission: _form_page(
            request,
            form=form,
            title=_("Edit submission") if submission else _("New submission"),
            cancel=reverse("policy_monitor:submission_list"),
        ),
        message=_("The submission is saved."),
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
    user = request.user
    return _record_form(
        request,
        read=lambda: record_to_write(user, Cluster, pk),
        form_class=forms.ClusterForm,
        save=lambda values, cluster: (
            services.cluster_update(actor=user, cluster=cluster, **values)
            if cluster
            else services.cluster_create(actor=user, **values)
        ),
        saved=lambda _cluster: redirect("policy_monitor:cluster_list"),
        message=_("The cluster is saved."),
        title=lambda c: _("Edit cluster") if c else _("New cluster of recommendations"),
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
