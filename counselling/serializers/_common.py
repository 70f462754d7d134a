"""Fields and output pieces that the serializers of several records share."""

from rest_framework import serializers

from ngo.accounts.models import User
from ngo.lib.codes import validate_language_code


class FlatListField(serializers.ListField):
    """A list whose item errors are reported on the list ("languages"), not per
    index ("languages.1"), so that a form can show them next to the field."""

    def run_child_validation(self, data):
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as error:
            details = error.detail.values() if isinstance(error.detail, dict) else [error.detail]
            raise serializers.ValidationError(
                [message for detail in details for message in detail]
            ) from None


class LanguageCodeField(serializers.CharField):
    """An ISO 639-1 code; a plain string in the schema, not an enum of every language."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("help_text", "ISO 639-1 code, e.g. vi, zh, tl.")
        super().__init__(**kwargs)
        self.validators.append(validate_language_code)

    def to_internal_value(self, data):
        return super().to_internal_value(data).strip().lower()


def _language_list(**kwargs) -> FlatListField:
    return FlatListField(child=LanguageCodeField(), **kwargs)


def _choice_list(choices, **kwargs) -> FlatListField:
    return FlatListField(child=serializers.ChoiceField(choices=choices), **kwargs)


def _text(**kwargs) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, allow_null=True, **kwargs)


def _active_staff():
    return User.objects.filter(is_active=True)


class UserRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "full_name"]
        read_only_fields = fields
