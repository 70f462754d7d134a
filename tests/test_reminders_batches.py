"""E-mails leave in batches: one claim, one connection and one UPDATE per batch. What
a failure in the middle of a batch leaves behind: the e-mails handed over are marked
sent and never go again, the one in hand is retried later, the rest stay due."""

import socket
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ngo.lib.smtp_sink import SmtpSink
from ngo.reminders import services
from ngo.reminders.models import EmailStatus, OutgoingEmail
from tests.factories import UserFactory
from tests.mail_backends import BreakingBackend, CountingBackend

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts():
    CountingBackend.connections = []
    BreakingBackend.taken = 0


def _queue(count: int, people: int = 5) -> list[OutgoingEmail]:
    """`count` more reminder e-mails waiting in the outbox, for a few people."""
    staff = [UserFactory() for _ in range(people)]
    first = OutgoingEmail.objects.count()
    return OutgoingEmail.objects.bulk_create(
        OutgoingEmail(
            key=f"reminder:{first + n}",
            recipient=staff[n % people],
            subject=f"[Hamkke] Visa expiry in 7 days: CASE-{n:04d}",
            body=f"Reference: CASE-{n:04d}\n",
            next_attempt_at=timezone.now() - timedelta(seconds=count - n),  # the order
        )
        for n in range(count)
    )


def _by_status(status) -> set[str]:
    return set(OutgoingEmail.objects.filter(status=status).values_list("key", flat=True))


def _statements(queries) -> int:
    # The test runs inside a transaction, where each atomic block adds a savepoint.
    return sum(1 for q in queries.captured_queries if "SAVEPOINT" not in q["sql"])


def _sent_message_ids() -> list[str]:
    return [message.extra_headers["Message-ID"] for message in mail.outbox]


def test_a_batch_goes_to_a_real_mail_server_over_one_connection(settings):
    _queue(30)
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        assert services.send_queued_emails(batch=100) == 30
        assert (sink.received, sink.duplicates, sink.connections) == (30, 0, 1)

        sink.reset()
        _queue(25)
        assert services.send_queued_emails(batch=10) == 25
        assert (sink.received, sink.duplicates, sink.connections) == (25, 0, 3)
    assert OutgoingEmail.objects.exclude(status=EmailStatus.SENT).count() == 0


def test_one_connection_per_batch_and_every_email_once(settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.CountingBackend"
    _queue(25)
    assert services.send_queued_emails(batch=10) == 25
    assert CountingBackend.connections == [10, 10, 5]
    assert len(set(_sent_message_ids())) == 25
    assert services.send_queued_emails(batch=10) == 0
    assert len(mail.outbox) == 25


def test_a_connection_lost_mid_batch_keeps_what_went_and_leaves_the_rest_due(settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.BreakingBackend"
    settings.TEST_MAIL_BREAK_AFTER = 4
    emails = _queue(10)
    keys = [email.key for email in emails]
    before = timezone.now()

    assert services.send_queued_emails(batch=100) == 4
    assert CountingBackend.connections == [4]
    # The four handed over are sent, once; the fifth was in hand when the connection
    # went, so it is retried after a back-off; the five after it were never tried.
    assert _by_status(EmailStatus.SENT) == set(keys[:4])
    in_hand = OutgoingEmail.objects.get(key=keys[4])
    assert (in_hand.status, in_hand.attempts, in_hand.last_error) == (
        EmailStatus.QUEUED,
        1,
        "SMTPServerDisconnected",
    )
    assert in_hand.next_attempt_at > before
    untried = OutgoingEmail.objects.filter(key__in=keys[5:])
    assert {(e.status, e.attempts, e.last_error) for e in untried} == {(EmailStatus.QUEUED, 0, "")}
    assert all(e.next_attempt_at <= before for e in untried)  # still due

    # The next run (the server is back) sends the five still due, and nothing again.
    settings.EMAIL_BACKEND = "tests.mail_backends.CountingBackend"
    assert services.send_queued_emails(batch=100) == 5
    # After its back-off, the one that was in hand.
    assert services.send_queued_emails(now=timezone.now() + timedelta(minutes=3)) == 1
    assert len(mail.outbox) == 10
    assert len(set(_sent_message_ids())) == 10
    assert _by_status(EmailStatus.SENT) == set(keys)


def test_a_refused_address_does_not_stop_the_batch(settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.BreakingBackend"
    settings.TEST_MAIL_BREAK_AFTER = 1000
    emails = _queue(6, people=3)
    settings.TEST_MAIL_REFUSE = [emails[1].recipient.email]

    assert services.send_queued_emails() == 4
    assert CountingBackend.connections == [4]
    refused = OutgoingEmail.objects.filter(recipient=emails[1].recipient)
    assert {(e.status, e.attempts, e.last_error) for e in refused} == {
        (EmailStatus.QUEUED, 1, "SMTPRecipientsRefused")
    }


def test_an_unreachable_mail_server_costs_one_attempt_of_one_email(settings):
    with socket.socket() as probe:  # a port on loopback where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    emails = _queue(5)
    assert services.send_queued_emails() == 0
    first = OutgoingEmail.objects.get(pk=emails[0].pk)
    assert (first.attempts, first.last_error) == (1, "ConnectionRefusedError")
    assert set(
        OutgoingEmail.objects.exclude(pk=first.pk).values_list("attempts", "last_error")
    ) == {(0, "")}


def test_sending_10_or_100_emails_takes_the_same_number_of_queries(settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.CountingBackend"
    counts = []
    for count in (10, 100):
        OutgoingEmail.objects.all().delete()
        _queue(count)
        with CaptureQueriesContext(connection) as queries:
            assert services.send_queued_emails(batch=100) == count
        counts.append(_statements(queries))
    assert counts[0] == counts[1] == 3  # claim, mark sent, and the look that finds no more


class HoldingBackend(CountingBackend):
    """The first worker's mail server: it stalls until the second worker is done."""

    hold_thread: threading.Thread | None = None
    holding = threading.Event()
    release = threading.Event()

    def send_messages(self, messages):
        if threading.current_thread() is HoldingBackend.hold_thread:
            HoldingBackend.holding.set()
            HoldingBackend.release.wait(timeout=30)
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_take_disjoint_batches(settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent claims need PostgreSQL's row locks")
    settings.EMAIL_BACKEND = f"{__name__}.HoldingBackend"
    _queue(10)
    first_sent = []

    def first_worker():
        try:
            first_sent.append(services.send_queued_emails(batch=5))
        finally:
            connection.close()

    worker = threading.Thread(target=first_worker)
    HoldingBackend.hold_thread = worker
    HoldingBackend.holding.clear()
    HoldingBackend.release.clear()
    worker.start()
    try:
        assert HoldingBackend.holding.wait(timeout=30)
        # The first worker holds its batch of five; the second takes the other five.
        assert services.send_queued_emails(batch=5) == 5
    finally:
        HoldingBackend.release.set()
        worker.join(timeout=60)
    assert first_sent == [5]
    assert sorted(CountingBackend.connections) == [5, 5]
    assert len(set(_sent_message_ids())) == 10
    assert _by_status(EmailStatus.SENT) == set(OutgoingEmail.objects.values_list("key", flat=True))


def test_a_full_refresh_takes_the_same_queries_for_4_or_12_moved_deadlines(make_case):
    from counselling.models import Client

    counts = []
    for count in (4, 12):
        cases = [
            make_case(visa_expiry=timezone.localdate() + timedelta(days=40)) for _ in range(count)
        ]
        services.refresh()
        # Every visa is renewed at once (behind the records' backs, so only the scan sees it).
        Client.objects.filter(pk__in=[case.client_id for case in cases]).update(
            visa_expiry=timezone.localdate() + timedelta(days=50)
        )
        with CaptureQueriesContext(connection) as queries:
            outcome = services.refresh()
        assert outcome["items_updated"] == count
        counts.append(_statements(queries))
    assert counts[0] == counts[1]
