import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from ngo.accounts.models import User
from ngo.audit.models import AuditAction, AuditEvent
from ngo.lib.forms import style_widgets


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.ModelChoiceFilter(
        queryset=User.objects.order_by("full_name"), label=_("actor")
    )
    # A column of the event itself: no DISTINCT over a million rows.
    action = django_filters.MultipleChoiceFilter(
        choices=AuditAction.choices, label=_("action"), distinct=False
    )
    object_type = django_filters.CharFilter(label=_("object type"))
    object_id = django_filters.CharFilter(label=_("object id"))
    branch = django_filters.CharFilter(field_name="branch__code", label=_("branch code"))
    since = django_filters.DateFilter(
        field_name="occurred_at",
        lookup_expr="date__gte",
        label=_("from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        field_name="occurred_at",
        lookup_expr="date__lte",
        label=_("until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    request_id = django_filters.CharFilter(label=_("request id"))

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            style_widgets(form)
            for field in form.fields.values():
                css = field.widget.attrs["class"]
                field.widget.attrs["class"] += (
                    " form-select-sm" if "form-select" in css else " form-control-sm"
                )
            form._styled = True
        return form

    class Meta:
        model = AuditEvent
        fields = [
            "actor",
            "action",
            "object_type",
            "object_id",
            "branch",
            "since",
            "until",
            "request_id",
        ]
