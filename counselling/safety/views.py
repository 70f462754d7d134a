"""Her safe-contact rules: the edit screen and the audited reveal of her code word."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from counselling import selectors as counselling_selectors
from counselling.safety import selectors, services
from counselling.safety.forms import SafetyForm
from counselling.safety.models import SafetyRecord
from counselling.views._common import reads_cases
from ngo.access import Need
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib.forms import add_service_errors, version_of
from ngo.lib.versions import StaleVersion


def _stale(request, stale: StaleVersion) -> SafetyForm:
    """Someone saved her rules meanwhile: the form again, filled from the saved
    rules, with the message saying nothing of hers was saved."""
    current = SafetyRecord.objects.filter(client_id=stale.instance.client_id).first()
    form = SafetyForm(initial=SafetyForm.initial_for(current), user=request.user)
    messages.error(request, stale.messages[0])
    return form


@reads_cases
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    client = counselling_selectors.client_get(user=request.user, pk=pk, need=Need.WRITE)
    record = selectors.safety_of_client(user=request.user, client=client)
    if request.method == "GET":
        if record is not None:
            audit_record(action=AuditAction.READ, actor=request.user, obj=record)
        form = SafetyForm(initial=SafetyForm.initial_for(record), user=request.user)
    else:
        form = SafetyForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.safety_record_save(
                    actor=request.user,
                    client=client,
                    values=form.safety_values(),
                    expected_version=version_of(form),
                )
            except StaleVersion as stale:
                # Not show_stale: it would print the saved values, the code word among them.
                form = _stale(request, stale)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Her safe-contact rules are saved."))
                return redirect("counselling:client_detail", client.pk)
    banner = selectors.banner_for(user=request.user, client=client)
    return render(
        request,
        "safety/edit.html",
        {"client": client, "record": record, "form": form, "banner": banner},
    )


@reads_cases
@require_POST
def code_word(request, pk: int):
    """Shows her code word once, on an explicit request; audited."""
    client = counselling_selectors.client_get(user=request.user, pk=pk)
    record = selectors.safety_of_client(user=request.user, client=client)
    word = ""
    if record is not None and record.code_word:
        word = services.code_word_reveal(actor=request.user, record=record)
    return render(request, "safety/code_word.html", {"client": client, "code_word": word})
