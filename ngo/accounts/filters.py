import django_filters

from ngo.accounts.models import Branch, User
from ngo.accounts.roles import Role


class BranchFilter(django_filters.FilterSet):
    class Meta:
        model = Branch
        fields = ["code", "is_active", "is_head_office"]


class StaffFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices)
    branch = django_filters.CharFilter(field_name="branches__code", distinct=True)
    q = django_filters.CharFilter(method="search", label="name or e-mail contains")

    class Meta:
        model = User
        fields = ["role", "branch", "is_active"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(full_name__icontains=value) | Q(email__icontains=value))
