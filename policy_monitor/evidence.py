"""The evidence chain: which recommendations, statistics datasets, submissions,
campaign demands and laws back one another, one click each way.

The links themselves are many-to-many fields: `Recommendation.datasets`,
`Submission.datasets` (policy_monitor) and `Demand.recommendations`
(campaigns). Laws join the chain through what already points at them (a
plan's commitments, assessments citing a law, submissions and demands about
it). Every list here is scoped to the reader by the access rules, so a
coordinator without statistics access sees no dataset, a volunteer no
internal record; each is one query whatever the number of links.

The services check the links a writer gives (`check_*`): a link to a record
she cannot read is refused, and a submission that has left the house
(submitted or published) cites published datasets only - its figures must be
the frozen, approved ones.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ngo import access
from policy_monitor.models import (
    Assessment,
    Policy,
    Recommendation,
    Submission,
    SubmissionStatus,
)
from policy_monitor.statistics.models import StatisticsDataset

CHAIN = ("recommendations", "datasets", "submissions", "demands", "policies")


def demand_model():
    """campaigns.Demand, reached through its link (campaigns depends on this
    app, never the reverse)."""
    return Recommendation._meta.get_field("campaign_demands").related_model


# --- Checks the services make ---------------------------------------------------------------


def _ids(records) -> set:
    return {getattr(record, "pk", record) for record in records or ()}


def _unreadable(actor, model, records) -> list:
    wanted = _ids(records)
    if not wanted:
        return []
    readable = set(
        access.scope(actor, model._default_manager.filter(pk__in=wanted)).values_list(
            "pk", flat=True
        )
    )
    return sorted(wanted - readable)


def check_datasets(*, actor, datasets) -> None:
    """Refuse a link to a dataset the writer cannot read."""
    if datasets is None or actor is None:
        return
    if missing := _unreadable(actor, StatisticsDataset, datasets):
        raise ValidationError(
            {
                "datasets": _(
                    "You cannot link statistics dataset %(ids)s: you do not have access to it."
                )
                % {"ids": ", ".join(f"#{pk}" for pk in missing)}
            }
        )


def check_recommendations(*, actor, recommendations) -> None:
    """Refuse a link to a recommendation the writer cannot read."""
    if recommendations is None or actor is None:
        return
    if missing := _unreadable(actor, Recommendation, recommendations):
        raise ValidationError(
            {
                "recommendations": _(
                    "You cannot link recommendation %(ids)s: you do not have access to it."
                )
                % {"ids": ", ".join(f"#{pk}" for pk in missing)}
            }
        )


def check_submission_datasets(*, actor, submission: Submission, values: dict) -> None:
    """The datasets a submission cites: readable by the writer, and published
    once the submission is submitted or published."""
    given = values.get("datasets")
    check_datasets(actor=actor, datasets=given)
    status = values.get("status", submission.status)
    if status == SubmissionStatus.DRAFTING:
        return
    if given is not None:
        cited = StatisticsDataset.objects.filter(pk__in=_ids(given))
    elif submission.pk:
        cited = submission.datasets.all()
    else:
        return
    unpublished = [d.title for d in cited if not d.is_published]
    if unpublished:
        raise ValidationError(
            {
                "datasets": _(
                    "A submitted or published submission cites published datasets only: "
                    "publish %(titles)s first, or remove the link."
                )
                % {"titles": ", ".join(f"“{title}”" for title in sorted(unpublished))}
            }
        )


# --- The chain, as one reader may see it ------------------------------------------------------


def _datasets(user) -> QuerySet[StatisticsDataset]:
    return access.scope(user, StatisticsDataset.objects.order_by("-period_to", "title", "pk"))


def _recommendations(user) -> QuerySet[Recommendation]:
    return access.scope(
        user,
        Recommendation.objects.select_related("mechanism", "plan").order_by("-issued_on", "pk"),
    )


def _submissions(user) -> QuerySet[Submission]:
    return access.scope(user, Submission.objects.select_related("policy").order_by("title", "pk"))


def _demands(user) -> QuerySet:
    return access.scope(user, demand_model().objects.select_related("campaign").order_by("pk"))


def _policies(user) -> QuerySet[Policy]:
    return access.scope(user, Policy.objects.order_by("title_en", "title_ko", "pk"))


def _assessments(user) -> QuerySet[Assessment]:
    return access.scope(user, Assessment.objects.all())


def _listed(**querysets) -> dict:
    return {name: list(queryset.distinct()) for name, queryset in querysets.items()}


def recommendation_chain(*, user, recommendation: Recommendation) -> dict:
    assessed = _assessments(user).filter(recommendation=recommendation)
    demands = _demands(user).filter(recommendations=recommendation)
    return _listed(
        datasets=_datasets(user).filter(recommendations=recommendation),
        submissions=_submissions(user).filter(pk__in=assessed.values("submissions")),
        demands=demands,
        policies=_policies(user).filter(
            Q(pk=recommendation.plan_id)
            | Q(pk__in=assessed.values("policies"))
            | Q(pk__in=demands.values("policy"))
        ),
    )


def submission_chain(*, user, submission: Submission) -> dict:
    assessed = _assessments(user).filter(submissions=submission)
    recommendations = _recommendations(user).filter(pk__in=assessed.values("recommendation"))
    return _listed(
        datasets=_datasets(user).filter(submissions=submission),
        recommendations=recommendations,
        demands=_demands(user).filter(recommendations__in=recommendations.values("pk")),
        policies=_policies(user).filter(pk=submission.policy_id),
    )


def policy_chain(*, user, policy: Policy) -> dict:
    """What reaches a law beyond its commitments, submissions and demands (shown
    on its page already): recommendations whose assessments cite it or that a
    demand about it presses for, and the datasets behind all of them."""
    cited = _assessments(user).filter(policies=policy).values("recommendation")
    pressed = _demands(user).filter(policy=policy).values("recommendations")
    linked = _recommendations(user).filter(Q(pk__in=cited) | Q(pk__in=pressed))
    behind = linked | _recommendations(user).filter(plan=policy)
    return _listed(
        recommendations=linked.exclude(plan=policy),
        datasets=_datasets(user).filter(
            Q(submissions__in=_submissions(user).filter(policy=policy).values("pk"))
            | Q(recommendations__in=behind.values("pk"))
        ),
    )


def policy_api_chain(*, user, policy: Policy) -> dict:
    """The whole chain of a law for the API: its commitments and the linked
    recommendations, the datasets, the submissions and demands about it."""
    chain = policy_chain(user=user, policy=policy)
    commitments = list(_recommendations(user).filter(plan=policy))
    return {
        "recommendations": commitments + chain["recommendations"],
        "datasets": chain["datasets"],
        **_listed(
            submissions=_submissions(user).filter(policy=policy),
            demands=_demands(user).filter(policy=policy),
        ),
    }


def demand_chain(*, user, demand) -> dict:
    recommendations = _recommendations(user).filter(campaign_demands=demand)
    return _listed(
        recommendations=recommendations,
        datasets=_datasets(user).filter(recommendations__in=recommendations.values("pk")),
        policies=_policies(user).filter(pk=demand.policy_id),
    )
