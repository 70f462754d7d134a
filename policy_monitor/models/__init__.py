"""Policy monitoring and UN mechanisms.

- Policy: a law, decree, ordinance, five-year plan or national action plan, with
  its events (amendment proposed, public-comment period, consultation meeting,
  enacted, in force, abolished) and internal monitoring notes.
- Mechanism: the catalogue of UN bodies (seeded by a data migration, with the
  names UHRI uses as aliases); Review: one reporting cycle of a mechanism.
- Submission: what we send (opinions, shadow reports, UPR submissions...).
- Recommendation: what a UN mechanism recommended, or what the government
  committed to in a national action plan (source "plan"): one table, so that
  assessments, lists, filters and exports treat both alike.
- ShadowReportDraft: a Word draft of a shadow report for a review, written on
  the worker from the evidence chain (models/drafts.py).
- Assessment: a dated implementation status; the latest one is copied onto the
  recommendation (current_status) by the service, so lists filter without subqueries.

Government bodies, lead organisations and co-signers come from the shared
directory (ngo.directory.Organisation, kind "government" for bodies).
"""

# In the order the models were declared, so that they register in that order.
# isort: off
from policy_monitor.models._common import GOVERNMENT, Stamped
from policy_monitor.models.policies import (
    PolicyKind,
    PolicyStatus,
    Policy,
    PolicyEventKind,
    PolicyEvent,
    MonitoringNote,
)
from policy_monitor.models.reviews import MechanismKind, Mechanism, Review
from policy_monitor.models.submissions import (
    SubmissionKind,
    SubmissionStatus,
    Submission,
    WordLimit,
)
from policy_monitor.models.thesauri import Vocabulary, Term, SdgTarget, Cluster
from policy_monitor.models.recommendations import (
    Source,
    Position,
    ImplementationStatus,
    Recommendation,
    Assessment,
)
from policy_monitor.models.import_jobs import ImportStatus, ImportJob
from policy_monitor.models.drafts import DraftStatus, ShadowReportDraft
# isort: on

__all__ = [
    "Assessment",
    "Cluster",
    "DraftStatus",
    "GOVERNMENT",
    "ImplementationStatus",
    "ImportJob",
    "ImportStatus",
    "Mechanism",
    "MechanismKind",
    "MonitoringNote",
    "Policy",
    "PolicyEvent",
    "PolicyEventKind",
    "PolicyKind",
    "PolicyStatus",
    "Position",
    "Recommendation",
    "Review",
    "SdgTarget",
    "ShadowReportDraft",
    "Source",
    "Stamped",
    "Submission",
    "SubmissionKind",
    "SubmissionStatus",
    "Term",
    "Vocabulary",
    "WordLimit",
]
