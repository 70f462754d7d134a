"""The directory's screens: organisations, their contact people, the CSV import.
Who reads and writes is the directory's access rule (ngo.directory.access_rules),
the same one the API asks. Thin views: read through ngo.directory.selectors
(detail reads are audited there), write through ngo.directory.services, show
what other apps add to an organisation's page through ngo.directory.panels."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ngo import access
from ngo.access import Need
from ngo.access.views import readers_of
from ngo.directory import forms, panels, selectors, services
from ngo.directory.access_rules import sees_contact_details
from ngo.directory.models import AuthorityType, ContactPerson, Organisation, OrganisationKind
from ngo.lib.forms import add_service_errors

AREA = "directory"
PAGE_SIZE = 30

reads_directory = readers_of(Organisation, area=AREA)


def _querystring(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@reads_directory
@require_GET
def organisation_list(request):
    organisations = selectors.organisation_list(user=request.user, filters=request.GET)
    return render(
        request,
        "directory/organisation_list.html",
        {
            "page": Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page")),
            "kinds": OrganisationKind.choices,
            "authorities": AuthorityType.choices,
            "tags": selectors.tag_list(user=request.user),
            "query": _querystring(request),
            "can_write": access.can_create(request.user, Organisation),
            "sees_contact_details": sees_contact_details(request.user),
        },
    )


@reads_directory
@require_GET
def organisation_detail(request, pk: int):
    """The entry and its contact people, then what each app adds (campaigns:
    coalitions, campaigns, sign-ons; counselling: the number of referrals)."""
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "panels": panels.panels_for(user=request.user, organisation=organisation),
            "can_write": access.can(request.user, organisation, Need.WRITE),
            "sees_contact_details": sees_contact_details(request.user),
        },
    )


def _organisation_form_view(request, organisation: Organisation | None):
    show_confirm = request.POST.get("confirm_shown") == "1"
    # Bound to a copy: the service compares against the record.
    instance = copy.copy(organisation) if organisation else None
    form = forms.OrganisationForm(
        request.POST or None, instance=instance, show_confirm=show_confirm
    )
    matches = []
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in form.Meta.fields}
        confirm = form.cleaned_data["confirm_duplicate"]
        tags = form.cleaned_data["tags"]
        try:
            if organisation is None:
                organisation = services.organisation_create(
                    actor=request.user, tags=tags, confirm_duplicate=confirm, **values
                )
            else:
                services.organisation_update(
                    actor=request.user,
                    organisation=organisation,
                    tags=tags,
                    confirm_duplicate=confirm,
                    **values,
                )
        except services.PossibleDuplicateOrganisation as exc:
            matches = exc.matches
            instance = copy.copy(organisation) if organisation else None
            form = forms.OrganisationForm(request.POST, instance=instance, show_confirm=True)
            form.is_valid()
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect("directory:organisation_detail", organisation.pk)
    return render(
        request,
        "directory/organisation_form.html",
        {
            "form": form,
            "organisation": organisation,
            "matches": matches,
            "title": _("Edit the organisation") if organisation else _("New organisation"),
        },
        status=409 if matches else 400 if form.errors else 200,
    )


@reads_directory
@require_http_methods(["GET", "POST"])
def organisation_new(request):
    access.require_create(request.user, Organisation)
    return _organisation_form_view(request, None)


@reads_directory
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk: int):
    organisation = selectors.organisation_get(user=request.user, pk=pk, need=Need.WRITE)
    return _organisation_form_view(request, organisation)


def _contact_form_view(request, organisation: Organisation, contact: ContactPerson | None):
    instance = copy.copy(contact) if contact else None
    form = forms.ContactForm(request.POST or None, instance=instance)
    detail = reverse("directory:organisation_detail", args=[organisation.pk])
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            if contact is None:
                services.contact_add(actor=request.user, organisation=organisation, **values)
            else:
                services.contact_update(actor=request.user, contact=contact, **values)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The contact person was saved."))
            return redirect(detail + "#contacts")
    return render(
        request,
        "directory/contact_form.html",
        {
            "form": form,
            "organisation": organisation,
            "title": _("Contact person at %(name)s") % {"name": organisation.name},
            "cancel": detail,
        },
        status=400 if form.errors else 200,
    )


@reads_directory
@require_http_methods(["GET", "POST"])
def contact_new(request, pk: int):
    organisation = selectors.organisation_get(user=request.user, pk=pk, need=Need.WRITE)
    return _contact_form_view(request, organisation, None)


@reads_directory
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk: int):
    contact = selectors.contact_get(user=request.user, pk=pk, need=Need.WRITE)
    return _contact_form_view(request, contact.organisation, contact)


@reads_directory
@require_http_methods(["GET", "POST"])
def organisation_import(request):
    """Upload a CSV; answer the row-by-row report."""
    access.require_create(request.user, Organisation)
    form = forms.OrganisationImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = services.organisation_import(
            actor=request.user,
            content=upload.read(services.IMPORT_MAX_BYTES + 1),  # the service refuses larger
            confirm_duplicates=form.cleaned_data["confirm_duplicates"],
        )
    return render(
        request,
        "directory/organisation_import.html",
        {"form": form, "report": report, "columns": services.IMPORT_COLUMNS},
        status=400 if form.errors else 200,
    )
