"""Her copy and her destruction, for the apps beside this one.

- Her DV confirmation letters (`counselling.letters`) are a section of her copy,
  with the PDFs she was given.
- Legal holds on her file and proposals to destroy it (`counselling.retention`) are
  a section of her copy; the stubs of a destruction hold ids only.
- When her file is destroyed, the retention app calls this app's scrubber, which
  deletes her stored copies and blanks the free text of her requests.

This app depends on those two, never the other way round."""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext as _

from counselling.rights.display import display
from counselling.rights.registry import not_personal, register_section


def _letters(client):
    from counselling.letters.services import letters_for_subject_access

    rows, files = [], []
    for letter in letters_for_subject_access(client):
        contents = letter["contents"] or {}
        rows.append(
            {
                _("number"): letter["number"],
                _("status"): letter["status"],
                _("issued on"): letter["issued_on"],
                _("revoked at"): letter["revoked_at"],
                **{str(key): display(value) for key, value in contents.items()},
            }
        )
        if letter["pdf"]:
            files.append((f"{letter['number']}.pdf", letter["pdf"]))
    return rows, files


def _retention(client):
    from counselling.retention.models import DestructionItem, LegalHold

    holds = [
        {
            _("record"): _("Legal hold"),
            _("case"): str(hold.case) if hold.case_id else "",
            _("reason"): hold.reason,
            _("from"): display(hold.starts_on),
            _("until"): display(hold.until),
            _("released at"): display(hold.released_at),
        }
        for hold in LegalHold.objects.filter(client=client).select_related("case__client")
    ]
    proposals = [
        {
            _("record"): _("Proposed for destruction"),
            _("reason"): item.get_reason_display(),
            _("due since"): display(item.due_on),
            _("state"): item.get_state_display(),
            _("reason for excluding"): item.exclusion_reason or "",
        }
        for item in DestructionItem.objects.filter(client=client)
    ]
    return holds + proposals


def register() -> None:
    if apps.is_installed("counselling.letters"):
        from counselling.letters.models import Letter

        register_section("letters", "확인서 / DV confirmation letters", _letters, models=[Letter])
    if apps.is_installed("counselling.retention"):
        from counselling.retention.models import DestructionItem, DestructionStub, LegalHold
        from counselling.retention.registry import register_scrubber
        from counselling.rights.services import scrub_rights_for_client

        register_section(
            "retention",
            "법적 보존 및 파기 / Legal holds and destruction",
            _retention,
            models=[LegalHold, DestructionItem],
        )
        not_personal(DestructionStub, "what was destroyed: ids and the moment")
        register_scrubber("rights", scrub_rights_for_client)
