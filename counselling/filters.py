"""Filters shared by the list screens and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from counselling.models import (
    Case,
    CaseStatus,
    CaseType,
    Client,
    ReferralStatus,
    ResidenceStatus,
    RiskLevel,
    case_type_q,
    phone_index_of,
    residence_index_of,
)
from ngo.accounts.models import User
from ngo.lib.crypto import normalise_phone
from ngo.lib.filters import IdFilter
from ngo.lib.forms import style_widgets


def _date(label):
    return forms.DateInput(attrs={"type": "date"})


def search_q(value: str) -> Q:
    """Case code, either name, or phone (matched on its keyed hash)."""
    value = value.strip()
    q = (
        Q(case_code__icontains=value)
        | Q(name_original__icontains=value)
        | Q(name_romanised__icontains=value)
    )
    digits = normalise_phone(value)
    if len(digits) >= 7:
        q |= Q(phone_index=phone_index_of(digits))
    return q


def residence_status_q(values, *, field="residence_status_index") -> Q:
    """Residence status is encrypted: match its keyed hash, never decrypt."""
    return Q(**{f"{field}__in": [residence_index_of(value) for value in values]})


class StyledFilterSet(django_filters.FilterSet):
    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            style_widgets(form)
            form._styled = True
        return form


class AssignedFilter(django_filters.ModelChoiceFilter):
    """Cases assigned to the chosen person, by a subquery rather than a join on
    the assignments: a case with two counsellors stays one row (no DISTINCT)."""

    def filter(self, qs, value):
        if not value:
            return qs
        assigned = Case.assigned.through.objects.filter(user=value).values("case_id")
        return qs.filter(pk__in=assigned)


class CaseFilter(StyledFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("case code, name or phone"))
    # Conditions on the case row itself: no DISTINCT (django-filter's default).
    status = django_filters.MultipleChoiceFilter(
        choices=CaseStatus.choices, label=_("status"), distinct=False
    )
    case_type = django_filters.ChoiceFilter(
        choices=CaseType.choices, method="filter_type", label=_("case type")
    )
    counsellor = AssignedFilter(
        queryset=User.objects.filter(is_active=True), field_name="assigned", label=_("counsellor")
    )
    risk_level = django_filters.MultipleChoiceFilter(
        choices=RiskLevel.choices, label=_("risk level"), distinct=False
    )
    nationality = django_filters.ChoiceFilter(
        choices=countries, field_name="client__nationality", label=_("nationality")
    )
    residence_status = django_filters.MultipleChoiceFilter(
        choices=ResidenceStatus.choices,
        method="filter_residence",
        label=_("residence status"),
        distinct=False,
    )
    opened_from = django_filters.DateFilter(
        field_name="opened_on", lookup_expr="gte", label=_("opened from"), widget=_date("from")
    )
    opened_until = django_filters.DateFilter(
        field_name="opened_on", lookup_expr="lte", label=_("opened until"), widget=_date("until")
    )
    restricted = django_filters.BooleanFilter(label=_("restricted"))
    branch = django_filters.CharFilter(field_name="branch__code", label=_("branch code"))

    class Meta:
        model = Case
        fields = [
            "q",
            "status",
            "case_type",
            "counsellor",
            "risk_level",
            "nationality",
            "residence_status",
            "opened_from",
            "opened_until",
            "restricted",
            "branch",
        ]

    def filter_q(self, queryset, name, value):
        clients = Client.objects.filter(search_q(value)).values("pk")
        return queryset.filter(client__in=clients)

    def filter_type(self, queryset, name, value):
        return queryset.filter(case_type_q(value))

    def filter_residence(self, queryset, name, values):
        if not values:
            return queryset
        return queryset.filter(residence_status_q(values, field="client__residence_status_index"))


class ClientFilter(StyledFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("case code, name or phone"))
    nationality = django_filters.ChoiceFilter(choices=countries, label=_("nationality"))
    residence_status = django_filters.MultipleChoiceFilter(
        choices=ResidenceStatus.choices,
        method="filter_residence",
        label=_("residence status"),
        distinct=False,
    )
    branch = django_filters.CharFilter(field_name="branch__code", label=_("branch code"))

    class Meta:
        model = Client
        fields = ["q", "nationality", "residence_status", "branch"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(search_q(value))

    def filter_residence(self, queryset, name, values):
        if not values:
            return queryset
        return queryset.filter(residence_status_q(values))


class ReferralFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ReferralStatus.choices, distinct=False)
    organisation = IdFilter(field_name="organisation_id")
    case = IdFilter(field_name="case_id")
    sent_from = django_filters.DateFilter(field_name="sent_on", lookup_expr="gte")
    sent_until = django_filters.DateFilter(field_name="sent_on", lookup_expr="lte")


class CaseChildFilter(django_filters.FilterSet):
    """For records that hang off a case: ?case=<id>."""

    case = IdFilter(field_name="case_id")


class ClientChildFilter(django_filters.FilterSet):
    """For records that hang off a client: ?client=<id>."""

    client = IdFilter(field_name="client_id")
