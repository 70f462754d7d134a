from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ngo.reminders import registry, services
from ngo.reminders.models import ReminderRule


class ReminderRuleForm(forms.ModelForm):
    class Meta:
        model = ReminderRule
        fields = ["source", "days_before", "minutes_before", "audience", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sources = registry.sources().values()
        self.fields["source"] = forms.ChoiceField(
            label=_("deadline"), choices=[(s.key, s.label) for s in sources]
        )
        audiences = {}
        for source in sources:
            audiences.update(source.audiences)
        self.fields["audience"] = forms.ChoiceField(
            label=_("to"), choices=sorted(audiences.items())
        )

    def clean(self):
        cleaned = super().clean()
        rule = ReminderRule(
            source=cleaned.get("source", ""),
            days_before=cleaned.get("days_before") or 0,
            minutes_before=cleaned.get("minutes_before") or 0,
            audience=cleaned.get("audience", ""),
        )
        try:
            services.validate_rule(rule)
        except ValidationError as exc:
            if "__all__" not in exc.message_dict and set(exc.message_dict) <= set(self.fields):
                raise
            raise ValidationError(exc.messages) from None
        return cleaned


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin):
    form = ReminderRuleForm
    list_display = ["source_label", "days_before", "minutes_before", "audience", "is_active"]
    list_filter = ["source", "is_active"]

    @admin.display(description=_("deadline"))
    def source_label(self, rule):
        source = registry.get(rule.source)
        return source.label if source else rule.source

    def save_model(self, request, obj, form, change):
        try:
            services.rule_save(actor=request.user, rule=obj, changed=form.changed_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)

    def delete_model(self, request, obj):
        services.rule_delete(actor=request.user, rule=obj)

    def delete_queryset(self, request, queryset):
        for rule in queryset:
            services.rule_delete(actor=request.user, rule=rule)
