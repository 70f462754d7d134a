"""Reads of policy records, always scoped to the person asking (ngo.access)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncWeek

from ngo import access
from ngo.access import Need
from ngo.accounts.models import User
from policy_monitor.filters import RecommendationFilter
from policy_monitor.models import (
    Assessment,
    Cluster,
    ImplementationStatus,
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
from policy_monitor.services import ASSESSMENT_LINKS

# --- The shapes each record is read in (pages and API alike; scope them on top) ----------


def policy_queryset() -> QuerySet[Policy]:
    return Policy.objects.select_related("responsible_body")


def policy_event_queryset() -> QuerySet[PolicyEvent]:
    return PolicyEvent.objects.select_related("policy").prefetch_related(
        "organisations_present",
        Prefetch("participants", queryset=User.objects.only("id", "full_name")),
    )


def monitoring_note_queryset() -> QuerySet[MonitoringNote]:
    return MonitoringNote.objects.select_related("created_by")


def mechanism_queryset() -> QuerySet[Mechanism]:
    return Mechanism.objects.all()


def review_queryset() -> QuerySet[Review]:
    return Review.objects.select_related("mechanism")


def submission_queryset() -> QuerySet[Submission]:
    return Submission.objects.select_related(
        "addressed_body", "review__mechanism", "lead_organisation", "policy"
    ).prefetch_related("co_signers")


def word_limit_queryset() -> QuerySet[WordLimit]:
    return WordLimit.objects.select_related("mechanism")


def word_limits() -> list[WordLimit]:
    """Every word limit (a few dozen at most), for checking submissions against."""
    return list(WordLimit.objects.all())


def term_queryset() -> QuerySet[Term]:
    return Term.objects.all()


def sdg_target_queryset() -> QuerySet[SdgTarget]:
    return SdgTarget.objects.all()


def cluster_queryset() -> QuerySet[Cluster]:
    return Cluster.objects.all()


def recommendation_queryset() -> QuerySet[Recommendation]:
    return Recommendation.objects.select_related(
        "mechanism", "plan", "review__mechanism", "cluster"
    ).prefetch_related("themes", "affected_persons", "sdg_targets")


def assessment_queryset() -> QuerySet[Assessment]:
    return Assessment.objects.select_related("assessor").prefetch_related(
        *ASSESSMENT_LINKS, "policy_events__policy"
    )


def import_job_queryset() -> QuerySet[ImportJob]:
    return ImportJob.objects.all()


# --- Lists and panels ----------------------------------------------------------------------


def recommendation_list(
    *, user: User, filters: dict | None = None
) -> tuple[QuerySet[Recommendation], RecommendationFilter]:
    queryset = access.scope(user, recommendation_queryset(), Need.READ)
    filterset = RecommendationFilter(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        return queryset.none(), filterset
    return filterset.qs, filterset


def assessments_of(*, user: User, recommendation: Recommendation) -> QuerySet[Assessment]:
    return access.scope(user, assessment_queryset().filter(recommendation=recommendation))


def policy_overview(*, user: User, today: date, horizon: date) -> dict:
    """What the policy officer's home panel shows."""
    events = access.scope(user, PolicyEvent.objects.select_related("policy"))
    reviews = access.scope(user, review_queryset())
    open_comment = list(
        events.filter(
            kind=PolicyEventKind.PUBLIC_COMMENT, happens_on__lte=today, deadline__gte=today
        ).order_by("deadline")[:10]
    )
    deadlines = []
    for review in reviews.filter(
        Q(ngo_deadline__range=(today, horizon)) | Q(follow_up_deadline__range=(today, horizon))
    ):
        for name in ("ngo_deadline", "follow_up_deadline"):
            when = getattr(review, name)
            if when and today <= when <= horizon:
                deadlines.append(
                    {
                        "on": when,
                        "label": review._meta.get_field(name).verbose_name,
                        "review": review,
                    }
                )
    for submission in access.scope(user, Submission).filter(
        status=SubmissionStatus.DRAFTING, due_on__range=(today, horizon)
    ):
        deadlines.append(
            {"on": submission.due_on, "label": submission.title, "submission": submission}
        )
    deadlines.sort(key=lambda d: d["on"])
    recommendations = access.scope(user, Recommendation)
    by_status = dict(
        recommendations.values_list("current_status").annotate(n=Count("pk")).order_by()
    )
    by_mechanism = (
        access.scope(user, Mechanism)
        .annotate(n=Count("recommendations"))
        .filter(n__gt=0)
        .order_by("order")
    )
    return {
        "open_comment_periods": open_comment,
        "deadlines": deadlines[:10],
        "by_status": [(s.label, by_status.get(s.value, 0), s.value) for s in ImplementationStatus],
        "by_mechanism": [(m, m.n) for m in by_mechanism],
        "recent_events": list(events.order_by("-happens_on", "-pk")[:5]),
        "policies": access.scope(user, Policy).count(),
    }


def deadlines_per_week(*, user: User, today: date, horizon: date) -> dict:
    """Review and submission deadlines from today to `horizon`, counted by the
    week they fall in (three GROUP BYs over TruncWeek)."""
    reviews = access.scope(user, Review)
    sources = [
        (reviews, "ngo_deadline"),
        (reviews, "follow_up_deadline"),
        (access.scope(user, Submission).filter(status=SubmissionStatus.DRAFTING), "due_on"),
    ]
    counts: dict[date, int] = {}
    for queryset, field in sources:
        rows = (
            queryset.filter(**{f"{field}__range": (today, horizon)})
            .annotate(week=TruncWeek(field))
            .values("week")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts[row["week"]] = counts.get(row["week"], 0) + row["n"]
    return counts


# --- Pages: one record, its parts, the lists --------------------------------------------


def policy_scope(*, user: User) -> QuerySet[Policy]:
    return access.scope(user, policy_queryset())


def policy_get(*, user: User, pk, need: Need = Need.READ) -> Policy:
    return access.get_for_user(user, policy_queryset(), pk, need)


def policy_page(*, user: User, policy: Policy) -> dict:
    return {
        "events": access.scope(user, policy_event_queryset().filter(policy=policy)),
        "notes": access.scope(user, monitoring_note_queryset().filter(policy=policy)),
        "commitments": access.scope(user, policy.commitments.all()),
        "submissions": access.scope(user, submission_queryset().filter(policy=policy)),
        "demands": access.scope(user, policy.campaign_demands.select_related("campaign")),
    }


def policy_event_get(*, user: User, policy: Policy, pk, need: Need = Need.WRITE) -> PolicyEvent:
    return access.get_for_user(user, PolicyEvent.objects.filter(policy=policy), pk, need)


def recommendation_get(*, user: User, pk, need: Need = Need.READ) -> Recommendation:
    return access.get_for_user(user, recommendation_queryset(), pk, need)


def review_scope(*, user: User) -> QuerySet[Review]:
    return access.scope(user, review_queryset())


def review_get(*, user: User, pk, need: Need = Need.READ) -> Review:
    return access.get_for_user(user, review_queryset(), pk, need)


def review_page(*, user: User, review: Review) -> dict:
    return {
        "recommendations": access.scope(user, recommendation_queryset().filter(review=review)),
        "submissions": access.scope(user, submission_queryset().filter(review=review)),
        "drafts": access.scope(user, ShadowReportDraft.objects.filter(review=review))[:5],
    }


def submission_scope(*, user: User) -> QuerySet[Submission]:
    return access.scope(user, submission_queryset())


def submission_get(*, user: User, pk, need: Need = Need.READ) -> Submission:
    return access.get_for_user(user, submission_queryset(), pk, need)


def cluster_list(*, user: User) -> QuerySet[Cluster]:
    return access.scope(user, cluster_queryset().annotate(n=Count("recommendations")))


def import_jobs(*, user: User, limit: int = 20):
    return access.scope(user, import_job_queryset().defer("report"))[:limit]


def import_job_get(*, user: User, pk, audit_read: bool = True, with_report: bool = True):
    queryset = import_job_queryset()
    queryset = queryset if with_report else queryset.defer("report")
    return access.get_for_user(user, queryset, pk, Need.READ, audit_read=audit_read)
