"""The directory's screens: organisations, their contact people, the CSV import.
Who reads and writes is the directory's access rule (ngo.directory.access_rules),
the same one the API asks. Thin views: read through ngo.directory.selectors
(detail reads are audited there), write through ngo.directory.services, show
what other apps add to an organisation's page through ngo.directory.panels."""

from __future__ import annotations

import copy

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ngo import access
from ngo.access import Need
from ngo.access.views import readers_of, record_form_view, record_to_write
from ngo.directory import forms, panels, selectors, services
from ngo.directory.access_rules import sees_contact_details
from ngo.directory.models import AuthorityType, Organisation, OrganisationKind
from ngo.lib.forms import add_service_errors
from ngo.lib.paging import CappedPaginator

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
            "page": CappedPaginator(organisations, PAGE_SIZE).get_page(request.GET.get("page")),
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


def _organisation_form_view(request, read):
    confirm_shown = request.POST.get("confirm_shown") == "1"

    def bind(organisation, *, show_confirm: bool = confirm_shown):
        # Bound to a copy: the service compares against the record.
        return forms.OrganisationForm(
            request.POST or None, instance=copy.copy(organisation), show_confirm=show_confirm
        )

    def save(form, organisation):
        values = {k: form.cleaned_data[k] for k in form.Meta.fields}
        values["tags"] = form.cleaned_data["tags"]
        values["confirm_duplicate"] = form.cleaned_data["confirm_duplicate"]
        if organisation is None:
            return services.organisation_create(actor=request.user, **values)
        return services.organisation_update(
            actor=request.user,
            organisation=organisation,
            expected_version=form.cleaned_data.get("version"),
            **values,
        )

    def refused(form, error, organisation):
        if not isinstance(error, services.PossibleDuplicateOrganisation):
            add_service_errors(form, error)
            return form
        # The entries she sent again, now with the box that confirms a different one.
        form = bind(organisation, show_confirm=True)
        form.is_valid()
        form.matches = error.matches
        return form

    return record_form_view(
        request,
        read=read,
        bind=bind,
        save=save,
        saved=lambda organisation: redirect("directory:organisation_detail", organisation.pk),
        page=lambda form, organisation: render(
            request,
            "directory/organisation_form.html",
            {
                "form": form,
                "organisation": organisation,
                "matches": form.matches,
                "title": _("Edit the organisation") if organisation else _("New organisation"),
            },
            status=409 if form.matches else 400 if form.errors else 200,
        ),
        message=_("The organisation was saved."),
        refused=refused,
    )


@reads_directory
@require_http_methods(["GET", "POST"])
def organisation_new(request):
    return _organisation_form_view(request, lambda: record_to_write(request.user, Organisation))


@reads_directory
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk: int):
    return _organisation_form_view(
        request, lambda: selectors.organisation_get(user=request.user, pk=pk, need=Need.WRITE)
    )


def _contact_form_view(request, read):
    """`read()` gives (the organisation, the contact to change or None)."""

    def save(form, record):
        organisation, contact = record
        values = {k: form.cleaned_data[k] for k in form.Meta.fields}
        if contact is None:
            return services.contact_add(actor=request.user, organisation=organisation, **values)
        return services.contact_update(
            actor=request.user,
            contact=contact,
            expected_version=form.cleaned_data.get("version"),
            **values,
        )

    def detail(organisation) -> str:
        return reverse("directory:organisation_detail", args=[organisation.pk])

    return record_form_view(
        request,
        read=read,
        bind=lambda record: forms.ContactForm(request.POST or None, instance=copy.copy(record[1])),
        save=save,
        saved=lambda contact: redirect(detail(contact.organisation) + "#contacts"),
        page=lambda form, record: render(
            request,
            "directory/contact_form.html",
            {
                "form": form,
                "organisation": record[0],
                "title": _("Contact person at %(name)s") % {"name": record[0].name},
                "cancel": detail(record[0]),
            },
            status=400 if form.errors else 200,
        ),
        message=_("The contact person was saved."),
    )


@reads_directory
@require_http_methods(["GET", "POST"])
def contact_new(request, pk: int):
    def read():
        return selectors.organisation_get(user=request.user, pk=pk, need=Need.WRITE), None

    return _contact_form_view(request, read)


@reads_directory
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk: int):
    def read():
        contact = selectors.contact_get(user=request.user, pk=pk, need=Need.WRITE)
        return contact.organisation, contact

    return _contact_form_view(request, read)


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
