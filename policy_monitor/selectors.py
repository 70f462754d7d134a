"""Reads of policy records, always scoped to the person asking (ngo.access)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from ngo import access
from ngo.access import Need
from ngo.accounts.models import User
from policy_monitor.filters import RecommendationFilter
from policy_monitor.models import (
    Assessment,
    ImplementationStatus,
    Mechanism,
    Policy,
    PolicyEvent,
    PolicyEventKind,
    Recommendation,
    Review,
    Submission,
    SubmissionStatus,
)


def recommendation_queryset() -> QuerySet[Recommendation]:
    return Recommendation.objects.select_related(
        "mechanism", "plan", "review__mechanism", "cluster"
    ).prefetch_related("themes", "affected_persons", "sdg_targets")


def recommendation_list(
    *, user: User, filters: dict | None = None
) -> tuple[QuerySet[Recommendation], RecommendationFilter]:
    queryset = access.scope(user, recommendation_queryset(), Need.READ)
    filterset = RecommendationFilter(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        return queryset.none(), filterset
    return filterset.qs, filterset


def assessments_of(*, user: User, recommendation: Recommendation) -> QuerySet[Assessment]:
    return access.scope(
        user,
        Assessment.objects.filter(recommendation=recommendation)
        .select_related("assessor")
        .prefetch_related(
            "policies", "policy_events__policy", "submissions", "campaigns", "datasets"
        ),
    )


def submission_queryset() -> QuerySet[Submission]:
    return Submission.objects.select_related(
        "addressed_body", "review__mechanism", "lead_organisation", "policy"
    ).prefetch_related("co_signers")


def policy_event_queryset() -> QuerySet[PolicyEvent]:
    return PolicyEvent.objects.select_related("policy").prefetch_related(
        "organisations_present",
        Prefetch("participants", queryset=User.objects.only("id", "full_name")),
    )


def policy_overview(*, user: User, today: date, horizon: date) -> dict:
    """What the policy officer's home panel shows."""
    events = access.scope(user, PolicyEvent.objects.select_related("policy"))
    reviews = access.scope(user, Review.objects.select_related("mechanism"))
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
