"""Coalitions and their memberships (current and past)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import forms, selectors, services
from campaigns.models import Coalition, Membership
from campaigns.views.common import (
    copy_of,
    edit_fields,
    form_fields,
    form_page,
    page_of,
    reads_campaigns,
    writer,
)
from ngo import access
from ngo.access import Need
from ngo.access.views import record_form_view, record_to_write
from ngo.lib.forms import add_service_errors


@reads_campaigns
@require_GET
def coalition_list(request):
    q = request.GET.get("q", "").strip()
    coalitions = selectors.coalition_list(user=request.user, q=q)
    return render(
        request,
        "campaigns/coalition_list.html",
        {"page": page_of(request, coalitions), "q": q, "can_write": writer(request.user)},
    )


def _coalition_form_view(request, pk: int | None):
    user = request.user
    return record_form_view(
        request,
        read=lambda: record_to_write(user, Coalition, pk),
        bind=lambda coalition: forms.CoalitionForm(
            request.POST or None, instance=copy_of(coalition)
        ),
        save=lambda form, coalition: (
            services.coalition_update(
                actor=user, coalition=coalition, **edit_fields(form, form.cleaned_data)
            )
            if coalition
            else services.coalition_create(actor=user, **form_fields(form, form.cleaned_data))
        ),
        saved=lambda coalition: redirect("campaigns:coalition_detail", coalition.pk),
        page=lambda form, coalition: form_page(
            request,
            form,
            title=_("Edit the coalition") if coalition else _("New coalition"),
            cancel=reverse("campaigns:coalition_detail", args=[coalition.pk])
            if coalition
            else reverse("campaigns:coalition_list"),
        ),
        message=_("The coalition was saved."),
    )


@reads_campaigns
@require_http_methods(["GET", "POST"])
def coalition_new(request):
    return _coalition_form_view(request, None)


@reads_campaigns
@require_http_methods(["GET", "POST"])
def coalition_edit(request, pk: int):
    return _coalition_form_view(request, pk)


@reads_campaigns
@require_http_methods(["GET", "POST"])
def coalition_detail(request, pk: int):
    """Members now and before, the campaigns run through it; coordinators add members."""
    coalition = access.get_for_user(
        request.user, Coalition, pk, Need.READ, audit_read=request.method == "GET"
    )
    can_write = access.can(request.user, coalition, Need.WRITE)
    form = None
    if can_write:
        form = forms.MembershipForm(
            request.POST or None, initial={"joined_on": timezone.localdate()}, prefix="member"
        )
    if request.method == "POST":
        if not can_write:
            access.get_for_user(request.user, Coalition, pk, Need.WRITE)  # 403, audited
        if form.is_valid():
            values = dict(form.cleaned_data)
            try:
                services.membership_add(
                    actor=request.user,
                    coalition=coalition,
                    organisation=values.pop("organisation"),
                    **values,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The member was added."))
                return redirect("campaigns:coalition_detail", coalition.pk)
    memberships = list(selectors.coalition_memberships(user=request.user, coalition=coalition))
    campaigns = selectors.campaigns_of_coalition(user=request.user, coalition=coalition)
    return render(
        request,
        "campaigns/coalition_detail.html",
        {
            "coalition": coalition,
            "current": [m for m in memberships if m.left_on is None],
            "former": [m for m in memberships if m.left_on is not None],
            "campaigns": campaigns,
            "form": form,
            "end_form": forms.MembershipEndForm(initial={"left_on": timezone.localdate()}),
            "can_write": can_write,
        },
        status=400 if form is not None and form.errors else 200,
    )


@reads_campaigns
@require_POST
def membership_end(request, pk: int):
    membership = access.get_for_user(request.user, Membership, pk, Need.WRITE)
    form = forms.MembershipEndForm(request.POST)
    if form.is_valid():
        try:
            services.membership_end(
                actor=request.user, membership=membership, left_on=form.cleaned_data["left_on"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The membership was ended; it stays in the history."))
    else:
        messages.error(request, _("Give the date the organisation left."))
    return redirect("campaigns:coalition_detail", membership.coalition_id)


@reads_campaigns
@require_http_methods(["GET", "POST"])
def membership_edit(request, pk: int):
    def bind(membership):
        form = forms.MembershipForm(request.POST or None, instance=copy_of(membership))
        form.fields["organisation"].disabled = True
        return form

    return record_form_view(
        request,
        read=lambda: selectors.membership_get(user=request.user, pk=pk),
        bind=bind,
        save=lambda form, membership: services.membership_update(
            actor=request.user,
            membership=membership,
            expected_version=form.cleaned_data.get("version"),
            **{k: form.cleaned_data[k] for k in ("role", "joined_on", "left_on", "notes")},
        ),
        saved=lambda membership: redirect("campaigns:coalition_detail", membership.coalition_id),
        page=lambda form, membership: form_page(
            request,
            form,
            title=_("Edit the membership"),
            cancel=reverse("campaigns:coalition_detail", args=[membership.coalition_id]),
        ),
        message=_("The membership was saved."),
    )
