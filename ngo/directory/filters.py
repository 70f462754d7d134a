import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ngo.directory.models import (
    AuthorityType,
    ContactPerson,
    Organisation,
    OrganisationKind,
    OrganisationScope,
)
from ngo.lib.filters import IdFilter


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(
        choices=OrganisationKind.choices, label=_("kind"), distinct=False
    )
    authority_type = django_filters.MultipleChoiceFilter(
        choices=AuthorityType.choices, label=_("type of authority"), distinct=False
    )
    is_authority = django_filters.BooleanFilter(
        method="filter_is_authority", label=_("government or UN body with a type of authority")
    )
    country = django_filters.CharFilter(label=_("country code"), method="filter_country")
    scope = django_filters.ChoiceFilter(choices=OrganisationScope.choices, label=_("scope"))
    tag = django_filters.CharFilter(method="filter_tag", label=_("tag"))
    q = django_filters.CharFilter(method="search", label=_("name contains"))

    class Meta:
        model = Organisation
        fields = ["kind", "authority_type", "country", "scope", "tag", "q", "is_active"]

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.strip().upper())

    def filter_is_authority(self, queryset, name, value):
        return queryset.exclude(authority_type="") if value else queryset.filter(authority_type="")

    def filter_tag(self, queryset, name, value):
        return queryset.filter(tags__name__iexact=value.strip()).distinct()

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name_ko__icontains=value) | Q(name_en__icontains=value))


class ContactPersonFilter(django_filters.FilterSet):
    organisation = IdFilter(label=_("organisation"))

    class Meta:
        model = ContactPerson
        fields = ["organisation", "is_active"]
