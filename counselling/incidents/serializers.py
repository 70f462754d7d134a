from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from counselling.incidents.models import (
    MAX_PERPETRATORS,
    Incident,
    Perpetrator,
    PlaceKind,
    RemovalReason,
    ViolenceType,
    YesNoUnknown,
)
from ngo.access.fields import BoundedDateField

DESCRIPTION_MAX_LENGTH = 20000


class IncidentSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.full_name", read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "version",
            "case",
            "violence_type",
            "occurred_on",
            "date_approximate",
            "place",
            "perpetrator",
            "broker_involved",
            "perpetrator_count",
            "reported_to_police",
            "description",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


def _choice(choices, message, **kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=choices.choices,
        error_messages={"invalid_choice": message, "required": message},
        **kwargs,
    )


class IncidentFieldsSerializer(serializers.Serializer):
    """What an incident records (a PATCH sends any of them)."""

    violence_type = _choice(
        ViolenceType,
        _(
            "Choose one of the six GBVIMS types of violence: rape, sexual_assault, "
            "physical_assault, forced_marriage, denial, psychological."
        ),
        help_text=_("One per incident: the first of the GBVIMS types that applies."),
    )
    occurred_on = BoundedDateField(help_text=_("Not in the future, not before her birth."))
    date_approximate = serializers.BooleanField(required=False, default=False)
    place = _choice(PlaceKind, _("Choose a kind of place from the list."))
    perpetrator = _choice(
        Perpetrator, _("Choose the perpetrator's relationship to her from the list.")
    )
    broker_involved = _choice(
        YesNoUnknown, _("Answer yes, no or unknown."), required=False, default="unknown"
    )
    perpetrator_count = serializers.IntegerField(
        min_value=1, max_value=MAX_PERPETRATORS, required=False, allow_null=True, default=None
    )
    reported_to_police = _choice(
        YesNoUnknown, _("Answer yes, no or unknown."), required=False, default="unknown"
    )
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
    )


class IncidentCreateInputSerializer(IncidentFieldsSerializer):
    case = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class IncidentDeleteInputSerializer(serializers.Serializer):
    reason = _choice(
        RemovalReason, _("Say why the incident is deleted, as one of the codes listed.")
    )
