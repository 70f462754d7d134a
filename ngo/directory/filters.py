import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ngo.directory.models import Organisation, OrganisationKind, OrganisationScope


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=OrganisationKind.choices, label=_("kind"))
    country = django_filters.CharFilter(label=_("country code"), method="filter_country")
    scope = django_filters.ChoiceFilter(choices=OrganisationScope.choices, label=_("scope"))
    q = django_filters.CharFilter(method="search", label=_("name contains"))

    class Meta:
        model = Organisation
        fields = ["kind", "country", "scope", "q", "is_active"]

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.strip().upper())

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name_ko__icontains=value) | Q(name_en__icontains=value))
