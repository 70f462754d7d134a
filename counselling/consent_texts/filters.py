import django_filters
from django.utils.translation import gettext_lazy as _

from counselling.consent_texts.models import LANGUAGES, ConsentText, Section


class ConsentTextFilter(django_filters.FilterSet):
    language = django_filters.ChoiceFilter(
        choices=[(code, code) for code in LANGUAGES], label=_("language")
    )
    section = django_filters.ChoiceFilter(choices=Section.choices, label=_("section"))
    all_versions = django_filters.BooleanFilter(
        method="filter_all_versions", label=_("every version, not only the current ones")
    )

    class Meta:
        model = ConsentText
        fields = ["language", "section", "all_versions"]

    def filter_all_versions(self, queryset, name, value):
        return queryset if value else queryset.filter(is_current=True)

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("all_versions"):
            queryset = queryset.filter(is_current=True)
        return super().filter_queryset(queryset)
