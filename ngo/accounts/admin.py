from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ngo.accounts import services
from ngo.accounts.forms import StaffForm
from ngo.accounts.models import Branch, User


def _admin_login(request, extra_context=None):
    """The admin signs in through the same login and second factor as the app.
    A signed-in person without admin access gets a plain 404."""
    if request.user.is_authenticated:
        raise Http404
    next_url = request.GET.get("next", reverse("admin:index"))
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")


admin.site.login = _admin_login
admin.site.site_header = _("Hamkke administration")
admin.site.site_title = "Hamkke"

# django-otp's own device screens would make devices with readable secrets;
# second factors live in accounts.AuthenticatorDevice / RecoveryCodeDevice and
# are reset with the "reset two-factor" action on a staff account.
for _plain_device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_plain_device):
        admin.site.unregister(_plain_device)


def _fail(request, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ko", "name_en", "is_head_office", "region", "is_active"]
    list_filter = ["is_active", "is_head_office", "closure_needs_approval"]
    search_fields = ["code", "name_ko", "name_en"]

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            current = Branch.objects.get(pk=obj.pk)
            services.branch_update(actor=request.user, branch=current, **values)
        else:
            created = services.branch_create(actor=request.user, **form.cleaned_data)
            obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        return False  # close a branch by marking it inactive


@admin.register(User)
class StaffAdmin(admin.ModelAdmin):
    form = StaffForm
    list_display = ["full_name", "email", "role", "branch_codes", "is_active", "last_login"]
    list_filter = ["role", "is_active", "branches"]
    search_fields = ["full_name", "email"]
    actions = ["reset_two_factor"]

    @admin.display(description=_("branches"))
    def branch_codes(self, obj):
        return ", ".join(b.code for b in obj.branches.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("branches")

    def save_model(self, request, obj, form, change):
        try:
            self._save_through_services(request, obj, form, change)
        except ValidationError as exc:
            _fail(request, exc)

    def _save_through_services(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            staff = User.objects.get(pk=obj.pk)
            values = {k: data[k] for k in services.STAFF_FIELDS if k in data}
            services.staff_update(
                actor=request.user,
                staff=staff,
                branches=data["branches"],
                password=data.get("password") or None,
                **values,
            )
        else:
            staff = services.staff_create(
                actor=request.user,
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                branches=data["branches"],
                password=data.get("password") or None,
                preferred_language=data.get("preferred_language") or "ko",
            )
            if not data.get("is_active", True):
                services.staff_update(actor=request.user, staff=staff, is_active=False)
        obj.pk = staff.pk

    def save_related(self, request, form, formsets, change):
        pass  # branches are saved by the service

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: the audit trail refers to the account

    @admin.action(description=_("Reset two-factor (lost phone)"))
    def reset_two_factor(self, request, queryset):
        for staff in queryset:
            services.staff_reset_two_factor(actor=request.user, staff=staff)
        self.message_user(request, _("Two-factor reset; they enrol again at next sign-in."))
