from rest_framework import serializers

from ngo.reminders.models import DatedItem, EmailMode, Notification, NotificationPreference


class DatedItemSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    link = serializers.SerializerMethodField()

    class Meta:
        model = DatedItem
        fields = [
            "id",
            "source",
            "label",
            "reference",
            "due_at",
            "due_is_date",
            "is_active",
            "link",
        ]

    def get_link(self, item) -> str:
        return f"/notifications/item/{item.pk}/"


class NotificationSerializer(serializers.ModelSerializer):
    item = DatedItemSerializer(source="reminder.item", read_only=True)
    days_before = serializers.IntegerField(source="reminder.days_before", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "item", "days_before", "created_at", "read_at"]


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)


class PreferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = NotificationPreference
        fields = ["email_mode"]


class PreferenceInputSerializer(serializers.Serializer):
    """A PUT replaces the settings: the choice is required (the model's default
    would otherwise make it optional and leave nothing to save)."""

    email_mode = serializers.ChoiceField(choices=EmailMode.choices)
