import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from rest_framework.authtoken.models import Token

from ngo.accounts import selectors, services
from ngo.accounts.forms import LoginForm, TokenForm
from ngo.accounts.middleware import two_factor_waived
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib.redirects import local_path_or

RECOVERY_SESSION_KEY = "hamkke_new_recovery_codes"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_redirect_url(self):
        candidate = self.request.POST.get("next") or self.request.GET.get("next")
        return local_path_or(self.request, candidate, "")


@require_POST
def logout_view(request):
    logout(request)  # flushes the server-side session
    messages.info(request, _("You have signed out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    return local_path_or(request, candidate, resolve_url(settings.LOGIN_REDIRECT_URL))


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Verify the second factor, or enrol an authenticator on first sign-in."""
    user = request.user
    if user.is_verified() or not user.needs_two_factor or two_factor_waived(user):
        return redirect(_next_url(request))
    if user_has_device(user, confirmed=True):
        return _two_factor_verify(request)
    return _two_factor_enrol(request)


def _two_factor_verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()
            return redirect(_next_url(request))
        audit_record(action=AuditAction.LOGIN_FAILED, obj=request.user, reason="second_factor")
        form.add_error("token", _("That code is not valid. Try the next code from your app."))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


def _two_factor_enrol(request):
    device = services.totp_device_pending(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_confirm(
            user=request.user, device=device, token=form.cleaned_data["token"]
        )
        if codes is not None:
            otp_login(request, device)
            request.session.cycle_key()
            request.session[RECOVERY_SESSION_KEY] = codes
            return redirect("accounts:recovery_codes")
        form.add_error("token", _("That code is not valid. Check the time on your phone."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "qr": _qr_data_uri(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next_url(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """Shows new recovery codes once; POST makes a fresh set (old ones stop working)."""
    if request.method == "POST":
        if request.user.needs_two_factor and not request.user.is_verified():
            return redirect("accounts:two_factor")
        request.session[RECOVERY_SESSION_KEY] = services.recovery_codes_regenerate(
            user=request.user
        )
        return redirect("accounts:recovery_codes")
    codes = request.session.pop(RECOVERY_SESSION_KEY, None)
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@login_required
def dashboard(request):
    context = selectors.dashboard_for(user=request.user)
    return render(request, "accounts/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    token = None
    if request.method == "POST" and request.POST.get("action") == "new_token":
        token = services.api_token_issue(user=request.user)
    elif request.method == "POST" and request.POST.get("action") == "revoke_token":
        services.api_token_revoke(user=request.user)
        messages.info(request, _("Your API token has been revoked."))
        return redirect("accounts:profile")
    has_token = Token.objects.filter(user=request.user).exists()
    return render(request, "accounts/profile.html", {"new_token": token, "has_token": has_token})
