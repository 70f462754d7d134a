"""What a reminder e-mail says: the kind of deadline, the date, the reference (a
case code, never a name) and a link. Korean first, then English, so that the
message does not depend on anyone's language setting."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ngo.reminders.models import DatedItem, OutgoingEmail, Reminder

LANGUAGES = ("ko", "en")


def absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url


def when_text(item: DatedItem, today: date | None = None) -> str:
    """ "in 7 days", "today", "2 days overdue" in the active language."""
    today = today or timezone.localdate()
    days = (item.due_date - today).days
    if days == 0:
        return _("today")
    if days > 0:
        return ngettext("in %(count)d day", "in %(count)d days", days) % {"count": days}
    return ngettext("%(count)d day overdue", "%(count)d days overdue", -days) % {"count": -days}


def due_text(item: DatedItem) -> str:
    due = timezone.localtime(item.due_at)
    if item.due_is_date:
        return formats.date_format(due.date(), "Y-m-d")
    return formats.date_format(due, "Y-m-d H:i")


def _both(render) -> list[str]:
    parts = []
    for language in LANGUAGES:
        with translation.override(language):
            parts.append(render())
    return parts


# The reminder e-mails of one kind of deadline and one due time differ only in their
# reference and link. A batch renders each such shape once per language, with these
# markers where the two go, and fills them in for each e-mail.
_REFERENCE = "\x00reference\x00"
_LINK = "\x00link\x00"


def reminder_emails(reminders: list[Reminder], today: date | None = None) -> list[OutgoingEmail]:
    today = today or timezone.localdate()
    shapes: dict[tuple, tuple[str, str]] = {}
    made = []
    for reminder in reminders:
        item = reminder.item
        shape = (item.source, item.kind, item.due_at, item.due_is_date)
        if shape not in shapes:
            shapes[shape] = _reminder_shape(item, today)
        subject, body = shapes[shape]
        link = absolute(f"/notifications/item/{item.pk}/")
        made.append(
            OutgoingEmail(
                key=f"reminder:{reminder.pk}",
                recipient=reminder.recipient,
                subject=_fill(subject, item.reference, link)[:250],
                body=_fill(body, item.reference, link),
            )
        )
    return made


def reminder_email(reminder: Reminder, today: date | None = None) -> OutgoingEmail:
    return reminder_emails([reminder], today)[0]


def _reminder_shape(item: DatedItem, today: date) -> tuple[str, str]:
    def subject():
        return _("%(label)s %(when)s: %(reference)s") % {
            "label": item.label,
            "when": when_text(item, today),
            "reference": _REFERENCE,
        }

    def body():
        return render_to_string(
            "reminders/email/reminder.txt",
            {
                "label": item.label,
                "reference": _REFERENCE,
                "when": when_text(item, today),
                "due": due_text(item),
                "link": _LINK,
            },
        ).strip()

    return "[Hamkke] " + " / ".join(_both(subject)), "\n\n----\n\n".join(_both(body)) + "\n"


def _fill(text: str, reference: str, link: str) -> str:
    # The link first: a reference is filled in last, so nothing in it is replaced.
    return text.replace(_LINK, link).replace(_REFERENCE, reference)


def digest_email(user, items: list[DatedItem], today: date) -> OutgoingEmail:
    def subject():
        return ngettext(
            "%(count)d deadline today or overdue",
            "%(count)d deadlines today or overdue",
            len(items),
        ) % {"count": len(items)}

    def body():
        return render_to_string(
            "reminders/email/digest.txt",
            {
                "rows": [
                    {
                        "label": item.label,
                        "reference": item.reference,
                        "when": when_text(item, today),
                        "due": due_text(item),
                        "link": absolute(f"/notifications/item/{item.pk}/"),
                    }
                    for item in items
                ],
                "today": formats.date_format(today, "Y-m-d"),
            },
        ).strip()

    return OutgoingEmail(
        key=f"digest:{today.isoformat()}:{user.pk}",
        recipient=user,
        subject=("[Hamkke] " + " / ".join(_both(subject)))[:250],
        body="\n\n----\n\n".join(_both(body)) + "\n",
    )
