"""The hotline screens: the branch's call list (filtered), a new call (fast
to fill during the call), the call's page with its edit form, and linking a
call to her case. Thin views: selectors read, services write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from counselling.hotline import forms, selectors, services
from counselling.hotline.filters import CallFilter
from counselling.hotline.models import HotlineCall
from counselling.models import Case, CaseStatus
from ngo import access
from ngo.access import Need
from ngo.access.views import record_form_view, record_to_write, route_gate
from ngo.lib.forms import version_of
from ngo.lib.paging import CappedPaginator

PAGE_SIZE = 50


def _gate(name):
    return route_gate(f"hotline:{name}", area="hotline")


@_gate("call_list")
@require_GET
def call_list(request):
    filterset = CallFilter(request.GET, queryset=selectors.call_list(user=request.user))
    calls = filterset.qs if filterset.is_valid() else HotlineCall.objects.none()
    page = CappedPaginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "hotline/list.html",
        {
            "filter_form": filterset.form,
            "page_obj": page,
            "calls": page.object_list,
            "may_create": access.can_create(request.user, HotlineCall),
        },
    )


@_gate("call_new")
@require_http_methods(["GET", "POST"])
def call_new(request):
    user = request.user
    return record_form_view(
        request,
        read=lambda: record_to_write(user, HotlineCall),
        bind=lambda _call: forms.CallForm(request.POST or None, user=user),
        save=lambda form, _call: services.call_record(actor=user, **form.call_values()),
        saved=lambda call: redirect("hotline:call_detail", call.pk),
        page=lambda form, _call: render(request, "hotline/form.html", {"form": form}),
        message=_("The call is recorded."),
    )


def _detail(request, call, **forms_shown):
    context = {
        "call": call,
        "can_write": access.can(request.user, call, Need.WRITE),
        "link_form": forms.CallLinkForm(prefix="link"),
        **forms_shown,
    }
    return render(request, "hotline/detail.html", context)


@_gate("call_detail")
@require_GET
def call_detail(request, pk: int):
    return _detail(request, selectors.call_get(user=request.user, pk=pk))


@_gate("call_edit")
@require_http_methods(["GET", "POST"])
def call_edit(request, pk: int):
    user = request.user

    def save(form, call):
        return services.call_update(
            actor=user, call=call, expected_version=version_of(form), **form.call_values()
        )

    return record_form_view(
        request,
        read=lambda: selectors.call_get(user=user, pk=pk, need=Need.WRITE),
        bind=lambda call: forms.CallForm(request.POST or None, user=user, call=call),
        save=save,
        saved=lambda call: redirect("hotline:call_detail", call.pk),
        page=lambda form, call: render(request, "hotline/form.html", {"form": form, "call": call}),
        message=_("The call is saved."),
    )


def _case_to_link(user, code: str) -> Case | None:
    """Her newest case not closed, among those the user may change."""
    cases = access.scope(user, Case.objects.all(), Need.WRITE)
    return (
        cases.filter(client__case_code__iexact=code.strip())
        .exclude(status=CaseStatus.CLOSED)
        .order_by("-opened_on", "-id")
        .first()
    )


@_gate("call_link")
@require_POST
def call_link(request, pk: int):
    user = request.user
    call = selectors.call_get(user=user, pk=pk, need=Need.WRITE)
    form = forms.CallLinkForm(request.POST, prefix="link")
    if form.is_valid():
        case = _case_to_link(user, form.cleaned_data["case_code"])
        if case is None:
            form.add_error("case_code", _("No open case with this code that you may change."))
        else:
            try:
                services.call_link(actor=user, call=call, case=case)
            except ValidationError as error:
                form.add_error(None, error.messages[0] if error.messages else str(error))
            else:
                messages.success(request, _("The call is linked to her case."))
                return redirect("hotline:call_detail", call.pk)
    return _detail(request, call, link_form=form)


@_gate("call_unlink")
@require_POST
def call_unlink(request, pk: int):
    user = request.user
    call = selectors.call_get(user=user, pk=pk, need=Need.WRITE)
    try:
        services.call_unlink(actor=user, call=call)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The call is no longer linked to a case."))
    return redirect("hotline:call_detail", call.pk)


@_gate("case_call_link")
@require_POST
def case_call_link(request, pk: int):
    """From the case page: link one of the branch's unlinked calls to this case."""
    user = request.user
    case = access.get_for_user(user, Case, pk, Need.WRITE)
    form = forms.CaseCallLinkForm(request.POST)
    back = reverse("counselling:case_detail", args=[case.pk]) + "#hotline"
    if not form.is_valid():
        messages.error(request, _("Choose a call to link."))
        return redirect(back)
    call = selectors.call_get(user=user, pk=form.cleaned_data["call"], need=Need.WRITE)
    try:
        services.call_link(actor=user, call=call, case=case)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The call is linked to her case."))
    return redirect(back)
