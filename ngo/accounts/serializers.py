from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ngo.accounts.models import LANGUAGE_CHOICES, ApiToken, Branch, User
from ngo.accounts.roles import Role


class BranchSerializer(serializers.ModelSerializer):
    class Meta:
        model = Branch
        fields = [
            "id",
            "code",
            "name_ko",
            "name_en",
            "is_head_office",
            "region",
            "address_ko",
            "address_en",
            "phone",
            "is_active",
            "closure_needs_approval",
            "high_risk_plan_needs_approval",
        ]


class BranchInputSerializer(serializers.Serializer):
    code = serializers.RegexField(
        r"^[A-Z]{2,5}$",
        max_length=5,
        error_messages={"invalid": _("Use 2 to 5 capital Latin letters, e.g. SEO.")},
    )
    name_ko = serializers.CharField(max_length=100)
    name_en = serializers.CharField(max_length=100)
    is_head_office = serializers.BooleanField(default=False)
    region = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    address_ko = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    address_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(default=True)
    closure_needs_approval = serializers.BooleanField(
        default=False, help_text=_("Closing a case needs the branch manager's approval.")
    )
    high_risk_plan_needs_approval = serializers.BooleanField(
        default=False,
        help_text=_("A safety plan of a high-risk case needs the branch manager's approval."),
    )


class StaffSerializer(serializers.ModelSerializer):
    branches = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "role",
            "role_label",
            "branches",
            "is_active",
            "preferred_language",
            "date_joined",
            "last_login",
        ]


class StaffInputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)
    branches = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Branch.objects.all(), required=False
    )
    password = serializers.CharField(
        write_only=True, required=False, allow_blank=True, trim_whitespace=False
    )
    is_active = serializers.BooleanField(required=False)
    preferred_language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)


class MeSerializer(serializers.ModelSerializer):
    branches = BranchSerializer(many=True, read_only=True)
    capabilities = serializers.SerializerMethodField()
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "role",
            "role_label",
            "branches",
            "capabilities",
            "preferred_language",
        ]

    def get_capabilities(self, user) -> list[str]:
        return sorted(c.value for c in user.capabilities)


def branch_code_field(**kwargs) -> serializers.SlugRelatedField:
    """An active branch named by its code; optional (the caller defaults it)."""
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=Branch.objects.filter(is_active=True),
        required=False,
        help_text="Branch code; defaults to yours if you work at one branch.",
        **kwargs,
    )


class ApiTokenSerializer(serializers.ModelSerializer):
    expires = serializers.DateTimeField(source="expiry", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "created", "expires", "last_used"]


class ApiTokenIssuedSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text=_("The key: shown only this once."))

    class Meta(ApiTokenSerializer.Meta):
        fields = ["token", *ApiTokenSerializer.Meta.fields]


class ApiTokenInputSerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=100,
        error_messages={
            "required": _("Give the token a name, e.g. the script it is for."),
            "blank": _("Give the token a name, e.g. the script it is for."),
            "max_length": _("Use at most 100 characters for the name."),
        },
    )
