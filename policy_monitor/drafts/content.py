"""What a shadow-report draft says: the earlier recommendations of the
review's mechanism that concern migrant women, each with its evidence, and
the released tables behind them. Read in a fixed number of queries.

Which recommendations concern migrant women (one rule, from the UHRI
thesauri the recommendations are tagged with, affected persons and themes
alike, a narrower term counting as its broader one):

- they name migrants (Migrants, Migrant workers, Non-citizens, Asylum-seekers,
  Refugees, Stateless persons, Victims of trafficking, Domestic workers; the
  themes Migrants, Asylum-seekers and refugees, Trafficking in persons), and
- they name women (Women, Girls; the themes Women's rights, Discrimination
  against women, Gender-based violence), or come from a mechanism whose
  mandate is women (CEDAW: every recommendation of the Committee concerns
  women).

"Earlier" recommendations are those of the same mechanism for the same
State, not those of the review the draft is for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from policy_monitor.evidence import demand_model
from policy_monitor.models import (
    Assessment,
    PolicyEvent,
    Recommendation,
    Review,
    Source,
    Submission,
    SubmissionKind,
    Term,
    Vocabulary,
    WordLimit,
)
from policy_monitor.statistics.models import DatasetStatus, StatisticsDataset

MIGRANTS = {
    Vocabulary.AFFECTED_PERSONS: (
        "Migrants",
        "Migrant workers",
        "Non-citizens",
        "Asylum-seekers",
        "Refugees",
        "Stateless persons",
        "Victims of trafficking",
        "Domestic workers",
    ),
    Vocabulary.THEME: ("Migrants", "Asylum-seekers and refugees", "Trafficking in persons"),
}
WOMEN = {
    Vocabulary.AFFECTED_PERSONS: ("Women", "Girls"),
    Vocabulary.THEME: ("Women's rights", "Discrimination against women", "Gender-based violence"),
}
# Mechanisms whose every recommendation concerns women.
WOMEN_MANDATES = ("CEDAW",)


def _terms(labels: dict) -> QuerySet[Term]:
    condition = Q()
    for vocabulary, names in labels.items():
        condition |= Q(vocabulary=vocabulary) & (
            Q(label_en__in=names) | Q(parent__label_en__in=names)
        )
    return Term.objects.filter(condition)


def _naming(labels: dict) -> Q:
    terms = _terms(labels).values("pk")
    return Q(
        pk__in=Recommendation.objects.filter(
            Q(affected_persons__in=terms) | Q(themes__in=terms)
        ).values("pk")
    )


def earlier_recommendations(review: Review) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.filter(source=Source.MECHANISM, mechanism_id=review.mechanism_id)
        .filter(Q(review__isnull=True) | Q(review__state=review.state))
        .exclude(review=review)
    )


def concerning_migrant_women(review: Review) -> QuerySet[Recommendation]:
    women = _naming(WOMEN) | Q(mechanism__code__in=WOMEN_MANDATES)
    return earlier_recommendations(review).filter(_naming(MIGRANTS) & women)


def word_limit_of(review: Review) -> int | None:
    """The mechanism's limit for shadow reports (UPR: stakeholder submissions),
    else the one set for any mechanism; None when no limit is recorded."""
    kind = (
        SubmissionKind.UPR_STAKEHOLDER
        if review.mechanism.code == "UPR"
        else SubmissionKind.SHADOW_REPORT
    )
    limits = {
        limit.mechanism_id: limit.max_words
        for limit in WordLimit.objects.filter(kind=kind).filter(
            Q(mechanism_id=review.mechanism_id) | Q(mechanism__isnull=True)
        )
    }
    return limits.get(review.mechanism_id, limits.get(None))


@dataclass
class Item:
    """One recommendation and its evidence, as plain values."""

    recommendation: Recommendation
    assessments: list[Assessment]
    events: list[PolicyEvent]
    campaigns: list[tuple[str, list[str]]]
    submissions: list[Submission]
    annexes: list[int] = field(default_factory=list)


@dataclass
class Evidence:
    review: Review
    items: list[Item]
    submissions: list[Submission]
    datasets: list[StatisticsDataset]
    word_limit: int | None
    on: date


def gather(review: Review, *, on: date, step: Callable[[int, int], None]) -> Evidence:
    """Everything the draft says. `step(done, total)` is called after each
    recommendation (the progress bar; it raises when the run is cancelled)."""
    demands = demand_model().objects.select_related("campaign").order_by("position", "pk")
    published = StatisticsDataset.objects.filter(status=DatasetStatus.PUBLISHED).order_by(
        "period_to", "title", "pk"
    )
    assessments = Assessment.objects.order_by("assessed_on", "created_at", "pk").prefetch_related(
        Prefetch("policy_events", queryset=PolicyEvent.objects.select_related("policy")),
        "submissions",
        Prefetch(
            "campaigns",
            queryset=demands.model._meta.get_field("campaign")
            .related_model.objects.order_by("title")
            .prefetch_related(Prefetch("demands", queryset=demands)),
        ),
    )
    recommendations = list(
        concerning_migrant_women(review)
        .select_related("mechanism", "review")
        .prefetch_related(
            Prefetch("assessments", queryset=assessments),
            Prefetch("campaign_demands", queryset=demands),
            Prefetch("datasets", queryset=published),
        )
        .order_by("issued_on", "document_symbol", "paragraph", "pk")
    )
    submissions = list(
        Submission.objects.filter(review=review)
        .select_related("lead_organisation")
        .prefetch_related(Prefetch("datasets", queryset=published))
        .order_by("submitted_on", "title", "pk")
    )
    datasets: dict[int, StatisticsDataset] = {}
    for submission in submissions:
        for dataset in submission.datasets.all():
            datasets.setdefault(dataset.pk, dataset)
    items = []
    for done, recommendation in enumerate(recommendations, start=1):
        items.append(_item(recommendation, datasets))
        step(done, len(recommendations))
    ordered = sorted(datasets.values(), key=lambda d: (d.period_to, d.title, d.pk))
    return Evidence(
        review=review,
        items=items,
        submissions=submissions,
        datasets=ordered,
        word_limit=word_limit_of(review),
        on=on,
    )


def _item(recommendation: Recommendation, datasets: dict) -> Item:
    assessed = list(recommendation.assessments.all())
    events, submissions, campaigns = {}, {}, {}
    for assessment in assessed:
        for event in assessment.policy_events.all():
            events.setdefault(event.pk, event)
        for submission in assessment.submissions.all():
            submissions.setdefault(submission.pk, submission)
        for campaign in assessment.campaigns.all():
            campaigns.setdefault(
                campaign.pk, (campaign.title, [d.text for d in campaign.demands.all()])
            )
    for demand in recommendation.campaign_demands.all():
        title, texts = campaigns.setdefault(demand.campaign_id, (demand.campaign.title, []))
        if demand.text not in texts:
            texts.append(demand.text)
    for dataset in recommendation.datasets.all():
        datasets.setdefault(dataset.pk, dataset)
    return Item(
        recommendation=recommendation,
        assessments=assessed,
        events=sorted(events.values(), key=lambda e: (e.happens_on, e.pk)),
        campaigns=sorted(campaigns.values()),
        submissions=sorted(submissions.values(), key=lambda s: (s.title, s.pk)),
        annexes=[d.pk for d in recommendation.datasets.all()],
    )
