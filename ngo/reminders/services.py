"""The reminder engine. Every step is idempotent and claims its rows with a
conditional UPDATE or a locking SELECT, so two workers running the same step at
once never deliver anything twice, and a worker dying half-way loses nothing. Its
only trace can be the e-mails of the batch it was sending: they go again, with the
same Message-ID (see `send_queued_emails`).

refresh()                 records -> DatedItem + Reminder rows (pending/cancelled)
fire_due_reminders()      pending reminders whose time has come -> Notification (+ OutgoingEmail)
queue_digests()           08:00 Seoul: one digest e-mail per person and day
send_queued_emails()      OutgoingEmail -> the mail server, a batch per connection and transaction
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib.changes import apply_changes
from ngo.reminders import emails, registry, selectors
from ngo.reminders.models import (
    DatedItem,
    DigestRun,
    EmailMode,
    EmailStatus,
    Notification,
    NotificationPreference,
    OutgoingEmail,
    Reminder,
    ReminderRule,
    ReminderStatus,
)

logger = logging.getLogger("ngo.reminders")

MAX_EMAIL_ATTEMPTS = 8
AUDIENCE_REFUSED = "This deadline cannot be sent to them. / 이 기한은 그 대상에게 보낼 수 없습니다."
# Items enter the tables this many days before their earliest reminder.
HORIZON_MARGIN_DAYS = 7


# --- Time ------------------------------------------------------------------------


def due_datetime(due: date | datetime) -> tuple[datetime, bool]:
    """A date is due at local midnight of that day; a datetime at that instant."""
    if isinstance(due, datetime):
        return (due if timezone.is_aware(due) else timezone.make_aware(due)), False
    return timezone.make_aware(datetime.combine(due, time.min)), True


def remind_time(due_at: datetime, days_before: int, minutes_before: int) -> datetime:
    if minutes_before == 0:
        day = timezone.localtime(due_at).date() - timedelta(days=days_before)
        return timezone.make_aware(datetime.combine(day, time(settings.REMINDER_MORNING_HOUR)))
    return due_at - timedelta(days=days_before, minutes=minutes_before)


# --- Rules -----------------------------------------------------------------------


def rules_for(source: registry.Source) -> list[ReminderRule]:
    """The administrators' rules for a source, seeded from its defaults the first time."""
    rules = list(ReminderRule.objects.filter(source=source.key))
    if not rules and source.default_rules:
        ReminderRule.objects.bulk_create(
            [
                ReminderRule(
                    source=source.key,
                    days_before=rule.days_before,
                    minutes_before=rule.minutes_before,
                    audience=rule.audience,
                )
                for rule in source.default_rules
            ],
            ignore_conflicts=True,
        )
        rules = list(ReminderRule.objects.filter(source=source.key))
    return [rule for rule in rules if rule.is_active]


def validate_rule(rule: ReminderRule) -> None:
    source = registry.get(rule.source)
    if source is None:
        raise ValidationError({"source": "Unknown deadline. / 알 수 없는 기한입니다."})
    if rule.audience not in source.audiences:
        raise ValidationError({"audience": AUDIENCE_REFUSED})
    rule.full_clean()


@transaction.atomic
def rule_save(*, actor, rule: ReminderRule, changed: list[str] | None = None) -> ReminderRule:
    creating = rule.pk is None
    validate_rule(rule)
    rule.save()
    audit_record(
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        actor=actor,
        obj=rule,
        fields=changed or ["source", "days_before", "minutes_before", "audience", "is_active"],
    )
    _refresh_later(rule.source)
    return rule


@transaction.atomic
def rule_delete(*, actor, rule: ReminderRule) -> None:
    audit_record(action=AuditAction.DELETE, actor=actor, obj=rule)
    source = rule.source
    rule.delete()
    _refresh_later(source)


def _refresh_later(source_key: str) -> None:
    from ngo.lib.celery_helpers import enqueue_on_commit

    enqueue_on_commit("reminders.refresh", kwargs={"source": source_key})


# --- Refresh: records -> items -> reminders ----------------------------------------


def refresh(source: str | None = None, object_ids=None, now: datetime | None = None) -> dict:
    """Bring items and pending reminders in line with the records. With `object_ids`
    only those records of `source` are looked at (a save just changed them)."""
    now = now or timezone.now()
    keys = [source] if source else list(registry.sources())
    totals = defaultdict(int)
    for key in keys:
        src = registry.get(key)
        if src is None:
            continue
        for name, value in _refresh_source(src, object_ids, now).items():
            totals[name] += value
    return dict(totals)


def _horizon(src: registry.Source, rules, now: datetime):
    longest = max((rule.days_before for rule in rules), default=0)
    start = now - timedelta(days=settings.REMINDER_OVERDUE_DAYS)
    end = now + timedelta(days=max(longest, 0) + HORIZON_MARGIN_DAYS)
    field = src.model._meta.get_field(src.due_field)
    if isinstance(field, models.DateTimeField):
        return start, end
    return timezone.localdate(start), timezone.localdate(end)


UPDATE_BATCH = 500


def _refresh_source(src: registry.Source, object_ids, now: datetime) -> dict:
    rules = rules_for(src)
    start, end = _horizon(src, rules, now)
    records = src.queryset().filter(
        **{f"{src.due_field}__gte": start, f"{src.due_field}__lte": end}
    )
    scope = {}
    if object_ids is not None:
        object_ids = {int(i) for i in object_ids}
        records = records.filter(pk__in=object_ids)
        scope = {"object_id__in": object_ids}
    items = list(src.items(records)) if rules else []
    User = get_user_model()
    active_users = set(
        User.objects.filter(
            is_active=True,
            pk__in={uid for item in items for ids in item.recipients.values() for uid in ids},
        ).values_list("pk", flat=True)
    )
    counts = defaultdict(int)
    with transaction.atomic():
        existing = {
            item.object_id: item
            for item in DatedItem.objects.select_for_update().filter(source=src.key, **scope)
        }
        wanted: dict[int, tuple[DatedItem, registry.Item]] = {}
        to_create = []
        to_update: dict[tuple[str, ...], list[DatedItem]] = defaultdict(list)
        for item in items:
            due_at, is_date = due_datetime(item.due)
            values = {
                "due_at": due_at,
                "due_is_date": is_date,
                "kind": str(item.kind)[:100],
                "reference": item.reference[:80],
                "url": item.url[:200],
                "branch_id": item.branch_id,
                "is_active": True,
            }
            row = existing.get(item.record.pk)
            if row is None:
                row = DatedItem(source=src.key, object_id=item.record.pk, **values)
                to_create.append(row)
            else:
                changed = tuple(k for k, v in values.items() if getattr(row, k) != v)
                for k in changed:
                    setattr(row, k, values[k])
                if changed:
                    to_update[changed].append(row)
            wanted[item.record.pk] = (row, item)
        DatedItem.objects.bulk_create(to_create)
        # bulk_update costs about a CASE arm per row and field: write only the fields
        # that changed (a moved date is one field), in moderate batches.
        for fields, rows in to_update.items():
            DatedItem.objects.bulk_update(rows, fields, batch_size=UPDATE_BATCH)
        counts["items_created"] += len(to_create)
        counts["items_updated"] += sum(len(rows) for rows in to_update.values())

        gone = [row.pk for oid, row in existing.items() if oid not in wanted and row.is_active]
        if gone:
            DatedItem.objects.filter(pk__in=gone).update(is_active=False)
            counts["reminders_cancelled"] += Reminder.objects.filter(
                item_id__in=gone, status=ReminderStatus.PENDING
            ).update(status=ReminderStatus.CANCELLED)
            counts["items_closed"] += len(gone)

        _sync_recipients(wanted, active_users, rules)
        for name, value in _sync_reminders(wanted, active_users, rules, now).items():
            counts[name] += value
    return counts


def _recipients_by_rule(item: registry.Item, rule, active_users) -> set[int]:
    return {uid for uid in item.recipients.get(rule.audience, ()) if uid in active_users}


def _sync_recipients(wanted, active_users, rules) -> None:
    Through = DatedItem.recipients.through
    item_ids = [row.pk for row, _ in wanted.values()]
    have = defaultdict(dict)  # item id -> {user id: through row id}
    for row_id, item_id, user_id in Through.objects.filter(dateditem_id__in=item_ids).values_list(
        "pk", "dateditem_id", "user_id"
    ):
        have[item_id][user_id] = row_id
    add, remove = [], []
    for row, item in wanted.values():
        should = set()
        for rule in rules:
            should |= _recipients_by_rule(item, rule, active_users)
        current = have[row.pk]
        add += [Through(dateditem_id=row.pk, user_id=uid) for uid in should - current.keys()]
        remove += [row_id for uid, row_id in current.items() if uid not in should]
    Through.objects.bulk_create(add, ignore_conflicts=True)
    if remove:
        Through.objects.filter(pk__in=remove).delete()


def _sync_reminders(wanted, active_users, rules, now) -> dict:
    counts = defaultdict(int)
    item_ids = [row.pk for row, _ in wanted.values()]
    existing = {}
    for reminder in Reminder.objects.filter(item_id__in=item_ids).only(
        "id", "item_id", "due_at", "days_before", "minutes_before", "recipient_id", "status"
    ):
        key = (
            reminder.item_id,
            reminder.due_at,
            reminder.days_before,
            reminder.minutes_before,
            reminder.recipient_id,
        )
        existing[key] = reminder
    desired: dict[tuple, datetime] = {}
    for row, item in wanted.values():
        per_recipient: dict[int, list[tuple[datetime, tuple]]] = defaultdict(list)
        for rule in rules:
            at = remind_time(row.due_at, rule.days_before, rule.minutes_before)
            for uid in _recipients_by_rule(item, rule, active_users):
                key = (row.pk, row.due_at, rule.days_before, rule.minutes_before, uid)
                per_recipient[uid].append((at, key))
        for entries in per_recipient.values():
            # Of the lead times already past, only the latest still matters: an item
            # added late, or a worker back after an outage, sends one reminder, not a burst.
            past = [entry for entry in entries if entry[0] <= now]
            keep = [entry for entry in entries if entry[0] > now]
            if past:
                keep.append(max(past, key=lambda entry: entry[0]))
            for at, key in keep:
                desired[key] = at
    to_create, revive = [], []
    for key, at in desired.items():
        reminder = existing.get(key)
        if reminder is None:
            item_id, due_at, days, minutes, uid = key
            to_create.append(
                Reminder(
                    item_id=item_id,
                    due_at=due_at,
                    days_before=days,
                    minutes_before=minutes,
                    recipient_id=uid,
                    remind_at=at,
                )
            )
        elif reminder.status == ReminderStatus.CANCELLED:
            revive.append(reminder.pk)
    Reminder.objects.bulk_create(to_create, ignore_conflicts=True)
    if revive:
        Reminder.objects.filter(pk__in=revive, status=ReminderStatus.CANCELLED).update(
            status=ReminderStatus.PENDING
        )
    stale = [
        reminder.pk
        for key, reminder in existing.items()
        if key not in desired and reminder.status == ReminderStatus.PENDING
    ]
    if stale:
        Reminder.objects.filter(pk__in=stale, status=ReminderStatus.PENDING).update(
            status=ReminderStatus.CANCELLED
        )
    counts["reminders_created"] = len(to_create) + len(revive)
    counts["reminders_cancelled"] = len(stale)
    return counts


def refresh_soon(source_key: str, object_ids) -> None:
    """After the current transaction commits, refresh these records' items. Runs in
    the web process (database only, no broker); a failure is logged and left to the
    periodic scan, never raised into the request."""
    ids = tuple(sorted({int(i) for i in object_ids if i}))
    if not ids:
        return

    def _run():
        try:
            refresh(source_key, ids)
        except Exception:
            logger.exception(
                "reminder refresh of %s failed; the periodic scan will retry", source_key
            )

    transaction.on_commit(_run)


# --- Delivery ----------------------------------------------------------------------


def email_mode_of(user) -> str:
    preference = getattr(user, "notification_preference", None)
    return preference.email_mode if preference else EmailMode.BOTH


def fire_due_reminders(now: datetime | None = None, batch: int = 500) -> int:
    """Claim due reminders in batches; each batch creates its notifications and
    e-mails in the same transaction as the claim, so it happens whole or not at all."""
    fired = 0
    while True:
        moment = now or timezone.now()
        with transaction.atomic():
            ids = list(
                Reminder.objects.select_for_update(skip_locked=True)
                .filter(status=ReminderStatus.PENDING, remind_at__lte=moment)
                .order_by("remind_at", "id")
                .values_list("id", flat=True)[:batch]
            )
            if not ids:
                return fired
            claim = uuid.uuid4()
            Reminder.objects.filter(id__in=ids, status=ReminderStatus.PENDING).update(
                status=ReminderStatus.SENT, sent_at=timezone.now(), claim=claim
            )
            claimed = list(
                Reminder.objects.filter(id__in=ids, claim=claim).select_related(
                    "item", "recipient", "recipient__notification_preference"
                )
            )
            Notification.objects.bulk_create(
                [Notification(recipient_id=r.recipient_id, reminder=r) for r in claimed]
            )
            OutgoingEmail.objects.bulk_create(
                emails.reminder_emails(
                    [
                        reminder
                        for reminder in claimed
                        if reminder.recipient.email
                        and email_mode_of(reminder.recipient)
                        in (EmailMode.IMMEDIATE, EmailMode.BOTH)
                    ]
                ),
                ignore_conflicts=True,
            )
            fired += len(claimed)


def queue_digests(now: datetime | None = None) -> int:
    """Once a day, from 08:00 Seoul: one e-mail per person listing today's and overdue
    items. Runs again later that day (beat was down at 08:00) only if it has not run."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < settings.REMINDER_DIGEST_HOUR:
        return 0
    today = local.date()
    tomorrow = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    if DigestRun.objects.filter(day=today).exists():
        return 0
    Through = DatedItem.recipients.through
    pairs = (
        Through.objects.filter(dateditem__is_active=True, dateditem__due_at__lt=tomorrow)
        .select_related("dateditem")
        .order_by("dateditem__due_at", "dateditem_id")
    )
    per_user = defaultdict(list)
    for pair in pairs:
        per_user[pair.user_id].append(pair.dateditem)
    User = get_user_model()
    people = User.objects.filter(pk__in=per_user, is_active=True).select_related(
        "notification_preference"
    )
    queued = [
        emails.digest_email(person, per_user[person.pk], today)
        for person in people
        if person.email and email_mode_of(person) in (EmailMode.DIGEST, EmailMode.BOTH)
    ]
    try:
        with transaction.atomic():
            DigestRun.objects.create(day=today)
            OutgoingEmail.objects.bulk_create(queued, ignore_conflicts=True)
    except IntegrityError:  # another worker queued today's digests first
        return 0
    return len(queued)


def send_queued_emails(now: datetime | None = None, batch: int | None = None) -> int:
    """Hand queued e-mails to the mail server, `batch` at a time (`REMINDER_EMAIL_BATCH`).

    A batch is claimed with one locking SELECT (`FOR UPDATE SKIP LOCKED` on PostgreSQL,
    so two workers take disjoint batches; on SQLite the IMMEDIATE transaction holds the
    write lock), sent over one connection and marked sent with one UPDATE in the same
    transaction. An e-mail the server refuses, or the one in hand when the connection
    fails, is retried with back-off; those after a failed connection stay due.

    A worker killed in the middle of a batch rolls the whole batch back, and the next
    run sends it again: the e-mails it had handed over go a second time, with the
    same Message-ID, so that a receiving server can drop the copies. No e-mail of
    another batch goes twice, and none is lost."""
    size = batch or settings.REMINDER_EMAIL_BATCH
    sent = 0
    while True:
        claimed, delivered, connection_failed = _send_email_batch(now or timezone.now(), size)
        sent += delivered
        if not claimed or connection_failed:
            return sent


def _refused_only(exc: Exception) -> bool:
    """The server refused this one message and stays ready for the next (421: it is
    closing the connection)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return True
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code != 421


def _send_email_batch(moment: datetime, size: int) -> tuple[int, int, bool]:
    """Claim, send and mark one batch: (claimed, sent, whether the connection failed)."""
    with transaction.atomic():
        batch = list(
            OutgoingEmail.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=EmailStatus.QUEUED, next_attempt_at__lte=moment)
            .select_related("recipient")
            .only("key", "subject", "body", "attempts", "recipient__email")
            .order_by("next_attempt_at", "id")[:size]
        )
        if not batch:
            return 0, 0, False
        sent, refused, stopped = _hand_over(batch)
        if sent:
            OutgoingEmail.objects.filter(pk__in=[email.pk for email in sent]).update(
                status=EmailStatus.SENT,
                sent_at=timezone.now(),
                attempts=models.F("attempts") + 1,
                last_error="",
            )
        for email, error in refused:
            email.attempts += 1
            failed = email.attempts >= MAX_EMAIL_ATTEMPTS
            email.status = EmailStatus.FAILED if failed else EmailStatus.QUEUED
            email.next_attempt_at = moment + timedelta(minutes=2**email.attempts)
            email.last_error = error[:200]
            logger.warning("e-mail %s not sent (%s)", email.pk, error)
        if refused:
            OutgoingEmail.objects.bulk_update(
                [email for email, _ in refused],
                ["attempts", "status", "next_attempt_at", "last_error"],
            )
    return len(batch), len(sent), stopped


def _hand_over(batch: list[OutgoingEmail]):
    """Send the batch over one connection, one message at a time, so that when the
    connection fails it is known which were handed over. Returns the e-mails sent,
    the refused ones with their error, and whether the connection failed."""
    connection = get_connection(fail_silently=False)
    sent, refused = [], []
    try:
        connection.open()
        for email in batch:
            message = EmailMessage(
                subject=email.subject,
                body=email.body,
                to=[email.recipient.email],
                headers={"Message-ID": email.message_id},
                connection=connection,
            )
            try:
                count = connection.send_messages([message])
            except Exception as exc:
                if not _refused_only(exc):
                    raise
                refused.append((email, type(exc).__name__))
                continue
            if count == 0:
                refused.append((email, "NotSent"))
            else:
                sent.append(email)
    except Exception as exc:  # the connection failed: retry the one in hand later
        in_hand = batch[len(sent) + len(refused)]
        refused.append((in_hand, type(exc).__name__))
        return sent, refused, True
    finally:
        try:
            connection.close()
        except Exception:  # what was sent is sent; a failed goodbye changes nothing
            logger.warning("the mail connection did not close cleanly", exc_info=True)
    return sent, refused, False


# --- People ------------------------------------------------------------------------


def notification_mark_read(*, user, notification_ids=None) -> int:
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    marked = rows.update(read_at=timezone.now())
    # The count read with her row at the request's start is no longer hers.
    with contextlib.suppress(AttributeError):
        delattr(user, selectors.UNREAD_ATTRIBUTE)
    return marked


@transaction.atomic
def preference_update(*, user, email_mode: str) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.get_or_create(user=user)
    changed = apply_changes(preference, {"email_mode": email_mode}, allowed={"email_mode"})
    if changed:
        audit_record(action=AuditAction.UPDATE, actor=user, obj=preference, fields=changed)
    return preference
