"""Who may read and change policy records.

- WRITE_POLICY (policy officers) writes everything.
- READ_POLICY_INTERNAL (every member of staff) reads everything.
- READ_POLICY alone (volunteers) reads published material only:
  laws, policies and their public events (not consultation meetings, whose
  notes and participants are internal), the mechanism catalogue, reviews,
  recommendations and commitments (public documents), thesauri, clusters,
  word limits, and submissions whose status is "published". Never
  assessments, monitoring notes, imports or shadow-report drafts.
- Shadow-report drafts (and their files) are the policy officers' (WRITE_POLICY).
"""

from django.db.models import Q

from ngo import access
from ngo.access import Need, routes
from ngo.accounts.roles import Capability
from policy_monitor.models import (
    Assessment,
    Cluster,
    ImportJob,
    Mechanism,
    MonitoringNote,
    Policy,
    PolicyEvent,
    PolicyEventKind,
    Recommendation,
    Review,
    SdgTarget,
    ShadowReportDraft,
    Submission,
    SubmissionStatus,
    Term,
    WordLimit,
)

EVERYTHING = Q()


def _write(user) -> Q | None:
    return EVERYTHING if user.can(Capability.WRITE_POLICY) else None


def _rule(published: Q | None):
    """Write: WRITE_POLICY. Read: all of it for staff, `published` for READ_POLICY
    alone (None: nothing)."""

    def rule(user, need: Need) -> Q | None:
        if need is Need.WRITE:
            return _write(user)
        if user.can(Capability.READ_POLICY_INTERNAL) or user.can(Capability.WRITE_POLICY):
            return EVERYTHING
        if user.can(Capability.READ_POLICY):
            return published
        return None

    return rule


for _model in (Policy, Mechanism, Review, Recommendation, Term, SdgTarget, Cluster, WordLimit):
    access.rule(_model)(_rule(EVERYTHING))
access.rule(PolicyEvent)(_rule(~Q(kind=PolicyEventKind.CONSULTATION)))
access.rule(Submission)(_rule(Q(status=SubmissionStatus.PUBLISHED)))
access.rule(Assessment)(_rule(None))
access.rule(MonitoringNote)(_rule(None))


@access.rule(ImportJob)
def import_job_rule(user, need: Need) -> Q | None:
    return _write(user)


@access.rule(ShadowReportDraft)
def shadow_report_draft_rule(user, need: Need) -> Q | None:
    """Policy officers make, read and download the drafts; nobody else."""
    return _write(user)


# --- Routes (see ngo.access.routes) ---------------------------------------------------

_reader = routes.has(Capability.READ_POLICY)
_writer = routes.has(Capability.WRITE_POLICY)


def _api(name: str, model, *, create: bool = True, update: bool = True) -> dict:
    """The list and detail routes of a policy record's viewset."""
    return {
        f"api:{name}-list": routes.api_list(model, create=create),
        f"api:{name}-detail": routes.api_detail(
            model, write=("PATCH",) if create and update else ()
        ),
    }


routes.register(
    {
        "policy_monitor:index": routes.page(gate=_reader),
        "policy_monitor:recommendation_list": routes.page(gate=_reader),
        "policy_monitor:recommendation_export": routes.page(gate=_reader),
        "policy_monitor:recommendation_detail": routes.page(gate=_reader, record=Recommendation),
        "policy_monitor:recommendation_create": routes.form(gate=_writer, creates=Recommendation),
        "policy_monitor:recommendation_edit": routes.form(gate=_writer, record=Recommendation),
        "policy_monitor:policy_list": routes.page(gate=_reader),
        "policy_monitor:policy_create": routes.form(gate=_writer, creates=Policy),
        "policy_monitor:policy_detail": routes.page(gate=_reader, record=Policy),
        "policy_monitor:policy_edit": routes.form(gate=_writer, record=Policy),
        "policy_monitor:policy_event_create": routes.form(gate=_writer, record=Policy),
        "policy_monitor:policy_event_edit": routes.form(gate=_writer, record=PolicyEvent),
        "policy_monitor:note_create": routes.form(gate=_writer, record=Policy),
        "policy_monitor:review_list": routes.page(gate=_reader),
        "policy_monitor:review_create": routes.form(gate=_writer, creates=Review),
        "policy_monitor:review_detail": routes.page(gate=_reader, record=Review),
        "policy_monitor:review_edit": routes.form(gate=_writer, record=Review),
        "policy_monitor:submission_list": routes.page(gate=_reader),
        "policy_monitor:submission_create": routes.form(gate=_writer, creates=Submission),
        "policy_monitor:submission_detail": routes.page(gate=_reader, record=Submission),
        "policy_monitor:submission_edit": routes.form(gate=_writer, record=Submission),
        "policy_monitor:submission_file": routes.page(gate=_reader, record=Submission),
        "policy_monitor:cluster_list": routes.page(gate=_reader),
        "policy_monitor:cluster_create": routes.form(gate=_writer, creates=Cluster),
        "policy_monitor:cluster_edit": routes.form(gate=_writer, record=Cluster),
        "policy_monitor:import_list": routes.form(gate=_writer, creates=ImportJob),
        "policy_monitor:import_detail": routes.page(gate=_writer, record=ImportJob),
        "policy_monitor:import_progress": routes.page(gate=_writer, record=ImportJob),
        "policy_monitor:draft_create": routes.action(gate=_writer, record=Review),
        "policy_monitor:draft_detail": routes.page(gate=_writer, record=ShadowReportDraft),
        "policy_monitor:draft_progress": routes.page(gate=_writer, record=ShadowReportDraft),
        "policy_monitor:draft_cancel": routes.action(gate=_writer, record=ShadowReportDraft),
        "policy_monitor:draft_file": routes.page(gate=_writer, record=ShadowReportDraft),
        # The API.
        **_api("policy", Policy),
        **_api("policy-event", PolicyEvent),
        **_api("monitoring-note", MonitoringNote),
        **_api("mechanism", Mechanism, create=False),
        **_api("review", Review),
        **_api("submission", Submission),
        "api:submission-file": routes.api_action(Submission, method="GET"),
        **_api("word-limit", WordLimit),
        **_api("term", Term),
        **_api("sdg-target", SdgTarget, create=False),
        **_api("cluster", Cluster),
        **_api("recommendation", Recommendation),
        "api:recommendation-export-csv": routes.api_action(
            method="GET", record=False, gate=_reader
        ),
        "api:recommendation-export-xlsx": routes.api_action(
            method="GET", record=False, gate=_reader
        ),
        **_api("assessment", Assessment, update=False),
        "api:uhri-import-list": routes.api_list(ImportJob),
        "api:uhri-import-detail": routes.api_detail(ImportJob, write=()),
        "api:shadow-report-draft-list": routes.api_list(ShadowReportDraft, gate=_writer),
        "api:shadow-report-draft-detail": routes.api_detail(
            ShadowReportDraft, write=(), gate=_writer
        ),
        "api:shadow-report-draft-cancel": routes.api_action(ShadowReportDraft, gate=_writer),
        "api:shadow-report-draft-file": routes.api_action(
            ShadowReportDraft, method="GET", gate=_writer
        ),
    }
)
