import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import (
    ActionType,
    Campaign,
    CampaignAction,
    CampaignStatus,
    CampaignTask,
    CampaignType,
    Coalition,
    Demand,
    Membership,
    MembershipRole,
    Signatory,
    SignOn,
    SignOnKind,
)
from ngo.lib.filters import IdFilter


class CoalitionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("name contains"))
    centre_role = django_filters.ChoiceFilter(
        choices=MembershipRole.choices, label=_("the centre's role")
    )
    member = IdFilter(method="filter_member", label=_("has this organisation as a current member"))

    class Meta:
        model = Coalition
        fields = ["q", "centre_role", "is_active", "member"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name_ko__icontains=value) | Q(name_en__icontains=value))

    def filter_member(self, queryset, name, value):
        return queryset.filter(
            memberships__organisation=value, memberships__left_on__isnull=True
        ).distinct()


class MembershipFilter(django_filters.FilterSet):
    coalition = IdFilter(label=_("coalition"))
    organisation = IdFilter(label=_("organisation"))
    role = django_filters.MultipleChoiceFilter(choices=MembershipRole.choices, label=_("role"))
    active = django_filters.BooleanFilter(
        field_name="left_on", lookup_expr="isnull", label=_("active")
    )

    class Meta:
        model = Membership
        fields = ["coalition", "organisation", "role", "active"]


class CampaignFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=CampaignStatus.choices, label=_("status"))
    campaign_type = django_filters.MultipleChoiceFilter(
        choices=CampaignType.choices, label=_("type")
    )
    coalition = IdFilter(label=_("coalition"))
    run_by = django_filters.ChoiceFilter(
        choices=[("centre", _("The centre alone")), ("coalition", _("A coalition"))],
        method="filter_run_by",
        label=_("run by"),
    )
    organisation = IdFilter(method="filter_organisation", label=_("organisation"))
    authority = IdFilter(
        field_name="demands__addressed_to", distinct=True, label=_("demand addressed to")
    )
    started_after = django_filters.DateFilter(
        field_name="starts_on", lookup_expr="gte", label=_("started on or after")
    )
    started_before = django_filters.DateFilter(
        field_name="starts_on", lookup_expr="lte", label=_("started on or before")
    )
    q = django_filters.CharFilter(method="search", label=_("title or goal contains"))

    class Meta:
        model = Campaign
        fields = [
            "status",
            "campaign_type",
            "coalition",
            "run_by",
            "organisation",
            "authority",
            "q",
        ]

    def filter_run_by(self, queryset, name, value):
        return queryset.filter(coalition__isnull=(value == "centre"))

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(
            Q(lead_organisation=value)
            | Q(actions__organisations=value)
            | Q(sign_ons__signatories__organisation=value)
        ).distinct()

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(goal__icontains=value))


class DemandFilter(django_filters.FilterSet):
    campaign = IdFilter(label=_("campaign"))
    addressed_to = IdFilter(label=_("addressed to"))

    class Meta:
        model = Demand
        fields = ["campaign", "addressed_to"]


class CampaignActionFilter(django_filters.FilterSet):
    campaign = IdFilter(label=_("campaign"))
    action_type = django_filters.MultipleChoiceFilter(choices=ActionType.choices, label=_("type"))
    organisation = IdFilter(field_name="organisations", distinct=True, label=_("organisation"))
    after = django_filters.DateFilter(
        field_name="occurred_on", lookup_expr="gte", label=_("on or after")
    )
    before = django_filters.DateFilter(
        field_name="occurred_on", lookup_expr="lte", label=_("on or before")
    )

    class Meta:
        model = CampaignAction
        fields = ["campaign", "action_type", "organisation", "after", "before"]


class SignOnFilter(django_filters.FilterSet):
    campaign = IdFilter(label=_("campaign"))
    kind = django_filters.ChoiceFilter(choices=SignOnKind.choices, label=_("kind"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("deadline not passed"))

    class Meta:
        model = SignOn
        fields = ["campaign", "kind", "open"]

    def filter_open(self, queryset, name, value):
        from django.utils import timezone

        today = timezone.localdate()
        is_open = Q(deadline__isnull=True) | Q(deadline__gte=today)
        return queryset.filter(is_open) if value else queryset.exclude(is_open)


class SignatoryFilter(django_filters.FilterSet):
    sign_on = IdFilter(label=_("sign-on"))
    organisation = IdFilter(label=_("organisation"))

    class Meta:
        model = Signatory
        fields = ["sign_on", "organisation"]


class CampaignTaskFilter(django_filters.FilterSet):
    campaign = IdFilter(label=_("campaign"))
    assignee = IdFilter(label=_("assignee"))
    done = django_filters.BooleanFilter(label=_("done"))
    due_before = django_filters.DateFilter(
        field_name="due_on", lookup_expr="lte", label=_("due on or before")
    )
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("assigned to me"))

    class Meta:
        model = CampaignTask
        fields = ["campaign", "assignee", "done", "due_before", "mine"]

    def filter_mine(self, queryset, name, value):
        user = self.request.user if self.request else None
        if user is None:
            return queryset.none()
        return queryset.filter(assignee=user) if value else queryset.exclude(assignee=user)
