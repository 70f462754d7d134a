"""Reads of the campaigns app, scoped to the user through ngo.access, with
the joins each screen needs (list pages do not grow queries with rows)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from campaigns.models import (
    ActionFile,
    Campaign,
    CampaignAction,
    CampaignStatus,
    CampaignTask,
    Coalition,
    Demand,
    Membership,
    Signatory,
    SignOn,
)
from ngo import access
from ngo.access import Need
from ngo.directory.models import Organisation
from policy_monitor.models import Recommendation
from policy_monitor.statistics.models import StatisticsDataset

DUE_SOON_DAYS = 7


# --- The shapes each record is read in (pages and API alike; scope them on top) ----------


def coalition_queryset() -> QuerySet[Coalition]:
    return Coalition.objects.all()


def membership_queryset() -> QuerySet[Membership]:
    return Membership.objects.select_related("organisation")


def campaign_queryset() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("coalition", "lead_organisation")


def demand_queryset() -> QuerySet[Demand]:
    return Demand.objects.select_related("addressed_to", "policy")


def action_queryset() -> QuerySet[CampaignAction]:
    return CampaignAction.objects.prefetch_related(
        "organisations",
        Prefetch("files", queryset=ActionFile.objects.order_by("-uploaded_at", "-id")),
    )


def action_file_queryset() -> QuerySet[ActionFile]:
    return ActionFile.objects.all()


def sign_on_queryset() -> QuerySet[SignOn]:
    # Ordered explicitly: the model's ordering is not applied to a GROUP BY query.
    return (
        SignOn.objects.select_related("addressed_to")
        .annotate(signatory_count=Count("signatories"))
        .order_by("-created_at", "-id")
    )


def signatory_queryset() -> QuerySet[Signatory]:
    return Signatory.objects.select_related("organisation")


def task_queryset() -> QuerySet[CampaignTask]:
    return CampaignTask.objects.select_related("assignee")


# --- Lists ---------------------------------------------------------------------------------


def campaign_list(*, user):
    return (
        access.scope(user, campaign_queryset())
        .annotate(
            action_count=Count("actions", distinct=True),
            open_task_count=Count("tasks", filter=Q(tasks__done=False), distinct=True),
        )
        .order_by("-starts_on", "-id")
    )


def demand_evidence_prefetch(user) -> Prefetch:
    """The recommendations a demand presses for and the datasets behind them,
    as far as `user` may read them (the evidence chain, policy_monitor.evidence)."""
    datasets = access.scope(user, StatisticsDataset.objects.order_by("-period_to", "pk"))
    recommendations = Recommendation.objects.select_related("mechanism", "plan").prefetch_related(
        Prefetch("datasets", queryset=datasets)
    )
    return Prefetch("recommendations", queryset=access.scope(user, recommendations))


def campaign_detail_parts(*, user, campaign: Campaign) -> dict:
    demands = access.scope(user, demand_queryset().filter(campaign=campaign)).prefetch_related(
        demand_evidence_prefetch(user)
    )
    actions = access.scope(user, action_queryset().filter(campaign=campaign))
    sign_ons = access.scope(user, sign_on_queryset().filter(campaign=campaign))
    tasks = access.scope(user, task_queryset().filter(campaign=campaign))
    return {
        "demands": list(demands),
        "actions": list(actions),
        "sign_ons": list(sign_ons),
        "tasks": list(tasks),
    }


def campaign_timeline(*, campaign: Campaign, actions) -> list[dict]:
    """Actions and outcomes in date order, newest first."""
    entries = [{"kind": "action", "on": action.occurred_on, "action": action} for action in actions]
    if campaign.starts_on:
        entries.append({"kind": "start", "on": campaign.starts_on})
    if campaign.outcome_on or campaign.outcome:
        entries.append({"kind": "outcome", "on": campaign.outcome_on or campaign.updated_at.date()})
    return sorted(entries, key=lambda e: e["on"], reverse=True)


def coalition_list(*, user, q: str = ""):
    coalitions = access.scope(user, coalition_queryset())
    if q:
        coalitions = coalitions.filter(Q(name_ko__icontains=q) | Q(name_en__icontains=q))
    return coalitions.annotate(
        active_members=Count(
            "memberships", filter=Q(memberships__left_on__isnull=True), distinct=True
        ),
        campaign_count=Count("campaigns", distinct=True),
    ).order_by("name_ko", "name_en", "id")


def coalition_memberships(*, user, coalition: Coalition):
    return access.scope(user, membership_queryset().filter(coalition=coalition)).order_by(
        "left_on", "organisation__name_ko", "organisation__name_en", "-joined_on"
    )


def organisation_partnership(*, user, organisation: Organisation) -> dict:
    """Everything done with one partner: coalitions (with history), campaigns
    it led or joined actions of, actions, sign-ons and demands received (the
    campaigns panel of the directory's organisation page)."""
    memberships = (
        access.scope(user, Membership)
        .filter(organisation=organisation)
        .select_related("coalition")
        .order_by("left_on", "-joined_on")
    )
    actions = (
        access.scope(user, CampaignAction)
        .filter(organisations=organisation)
        .select_related("campaign")
    )
    campaigns = (
        access.scope(user, Campaign)
        .filter(
            Q(lead_organisation=organisation)
            | Q(actions__organisations=organisation)
            | Q(sign_ons__signatories__organisation=organisation)
            | Q(demands__addressed_to=organisation)
            | Q(coalition__memberships__organisation=organisation)
        )
        .distinct()
        .select_related("coalition")
    )
    signatures = (
        access.scope(user, Signatory)
        .filter(organisation=organisation)
        .select_related("sign_on", "sign_on__campaign")
    )
    demands = (
        access.scope(user, Demand).filter(addressed_to=organisation).select_related("campaign")
    )
    return {
        "memberships": list(memberships),
        "campaigns": list(campaigns),
        "actions": list(actions),
        "signatures": list(signatures),
        "demands": list(demands),
    }


def tasks_due(*, user, days: int = DUE_SOON_DAYS):
    today = timezone.localdate()
    return (
        access.scope(user, CampaignTask)
        .filter(done=False, due_on__isnull=False, due_on__lte=today + timedelta(days=days))
        .select_related("campaign", "assignee")
        .order_by("due_on", "id")
    )


def recent_actions(*, user, limit: int = 5):
    return (
        access.scope(user, CampaignAction)
        .select_related("campaign")
        .order_by("-occurred_on", "-id")[:limit]
    )


def active_campaigns(*, user):
    return access.scope(user, Campaign).filter(status=CampaignStatus.ACTIVE)


def campaigns_by_status(*, user) -> dict[str, int]:
    """The user's campaigns, one count per status (one GROUP BY)."""
    counts = dict(
        access.scope(user, Campaign).order_by().values_list("status").annotate(n=Count("pk"))
    )
    return {value: counts.get(value, 0) for value in CampaignStatus.values}


def actions_per_month(*, user, since) -> dict:
    """Campaign actions since `since` by month (one GROUP BY over TruncMonth)."""
    rows = (
        access.scope(user, CampaignAction)
        .filter(occurred_on__gte=since)
        .annotate(month=TruncMonth("occurred_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["month"]: row["n"] for row in rows}


def network(*, user, coalition_id=None, country: str = "") -> dict:
    """Nodes and edges for the network view: organisations, coalitions and
    campaigns the user may read, joined by current memberships, campaigns run
    through a coalition, campaign leads, action participants and signatories."""
    coalitions = access.scope(user, Coalition).filter(is_active=True)
    if coalition_id:
        coalitions = coalitions.filter(pk=coalition_id)
    memberships = (
        access.scope(user, Membership)
        .filter(left_on__isnull=True, coalition__in=coalitions)
        .select_related("organisation", "coalition")
    )
    campaigns = access.scope(user, Campaign).select_related("lead_organisation")
    if coalition_id:
        campaigns = campaigns.filter(coalition_id=coalition_id)
    campaigns = list(campaigns)
    campaign_ids = [c.pk for c in campaigns]
    links = list(
        access.scope(user, Signatory)
        .filter(sign_on__campaign__in=campaign_ids)
        .values_list("organisation_id", "sign_on__campaign_id")
        .distinct()
    ) + list(
        access.scope(user, CampaignAction)
        .filter(campaign__in=campaign_ids, organisations__isnull=False)
        .values_list("organisations", "campaign_id")
        .distinct()
    )
    org_ids = (
        {m.organisation_id for m in memberships}
        | {o for o, _c in links}
        | {c.lead_organisation_id for c in campaigns if c.lead_organisation_id}
    )
    organisations = access.scope(user, Organisation).filter(pk__in=org_ids)
    if country:
        organisations = organisations.filter(country=country.strip().upper())
    organisations = {o.pk: o for o in organisations}
    coalition_rows = {c.pk: c for c in coalitions}

    nodes, edges, seen = [], [], set()

    def node(kind, pk, label, **extra):
        key = f"{kind}-{pk}"
        if key not in seen:
            seen.add(key)
            nodes.append({"id": key, "kind": kind, "label": label, **extra})
        return key

    for org in organisations.values():
        node("organisation", org.pk, org.name, country=org.country.code, url_id=org.pk)
    for coalition in coalition_rows.values():
        node("coalition", coalition.pk, coalition.name, url_id=coalition.pk)
    for m in memberships:
        if m.organisation_id in organisations:
            edges.append(
                {
                    "source": f"organisation-{m.organisation_id}",
                    "target": f"coalition-{m.coalition_id}",
                    "kind": m.role,
                }
            )
    for campaign in campaigns:
        node("campaign", campaign.pk, campaign.title, status=campaign.status, url_id=campaign.pk)
        if campaign.coalition_id in coalition_rows:
            edges.append(
                {
                    "source": f"coalition-{campaign.coalition_id}",
                    "target": f"campaign-{campaign.pk}",
                    "kind": "runs",
                }
            )
        if campaign.lead_organisation_id in organisations:
            edges.append(
                {
                    "source": f"organisation-{campaign.lead_organisation_id}",
                    "target": f"campaign-{campaign.pk}",
                    "kind": "lead",
                }
            )
    pairs = set()
    for org_id, campaign_id in links:
        if org_id in organisations and (org_id, campaign_id) not in pairs:
            pairs.add((org_id, campaign_id))
            edges.append(
                {
                    "source": f"organisation-{org_id}",
                    "target": f"campaign-{campaign_id}",
                    "kind": "took_part",
                }
            )
    if country:
        # Keep the coalitions and campaigns reached from an organisation of that
        # country (directly, or a campaign run by such a coalition).
        reached = {e["target"] for e in edges if e["source"].startswith("organisation-")}
        reached |= {e["target"] for e in edges if e["source"] in reached}
        nodes = [n for n in nodes if n["kind"] == "organisation" or n["id"] in reached]
        keep = {n["id"] for n in nodes}
        edges = [e for e in edges if e["source"] in keep and e["target"] in keep]
    return {"nodes": nodes, "edges": edges}


# --- One record, for reading or writing (404 outside her scope, 403 read-only; audited) ----


def campaign_get(*, user, pk, need: Need = Need.READ) -> Campaign:
    return access.get_for_user(user, campaign_queryset(), pk, need)


def demand_get(*, user, pk, need: Need = Need.WRITE) -> Demand:
    return access.get_for_user(user, Demand.objects.select_related("campaign"), pk, need)


def action_get(*, user, pk, need: Need = Need.WRITE) -> CampaignAction:
    return access.get_for_user(user, CampaignAction.objects.select_related("campaign"), pk, need)


def membership_get(*, user, pk, need: Need = Need.WRITE) -> Membership:
    return access.get_for_user(user, Membership.objects.select_related("coalition"), pk, need)


def sign_on_get(*, user, pk, need: Need = Need.READ, audit_read: bool = True) -> SignOn:
    return access.get_for_user(
        user,
        SignOn.objects.select_related("campaign", "addressed_to"),
        pk,
        need,
        audit_read=audit_read,
    )


def task_get(*, user, pk, need: Need = Need.WRITE) -> CampaignTask:
    return access.get_for_user(
        user, CampaignTask.objects.select_related("campaign", "assignee"), pk, need
    )


# --- Lists on pages ------------------------------------------------------------------------


def campaigns_of_coalition(*, user, coalition: Coalition):
    return access.scope(user, Campaign).filter(coalition=coalition)


def active_coalitions(*, user):
    return access.scope(user, Coalition).filter(is_active=True)


def signatories_of(*, user, sign_on: SignOn):
    return access.scope(user, signatory_queryset().filter(sign_on=sign_on)).order_by(
        "organisation__name_ko", "organisation__name_en"
    )


def open_tasks(*, user, mine: bool = False):
    """Open tasks of every campaign she may see, the ones due first."""
    tasks = (
        access.scope(user, CampaignTask)
        .filter(done=False)
        .select_related("campaign", "assignee")
        .order_by("due_on", "id")
    )
    return tasks.filter(assignee=user) if mine else tasks


def network_countries(*, user) -> list[str]:
    """The countries of the organisations she may see, for the network's filter."""
    return sorted(set(access.scope(user, Organisation).values_list("country", flat=True)))
