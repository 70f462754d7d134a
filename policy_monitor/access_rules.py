"""Who may read and change policy records.

- WRITE_POLICY (policy officers) writes everything.
- READ_POLICY_INTERNAL (every member of staff) reads everything.
- READ_POLICY alone (volunteers) reads published material only:
  laws, policies and their public events (not consultation meetings, whose
  notes and participants are internal), the mechanism catalogue, reviews,
  recommendations and commitments (public documents), thesauri, clusters,
  word limits, and submissions whose status is "published". Never
  assessments, monitoring notes or imports.
"""

from django.db.models import Q

from ngo import access
from ngo.access import Need
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
