"""Her copy of her data (PIPA art. 35): prepared by a counsellor, approved by a
manager, built by the worker, downloaded by those two only, deleted in time."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from counselling.rights import services
from counselling.rights.models import ExportStatus, SubjectAccessExport
from counselling.rights.registry import sections
from counselling.rights.tasks import build_export, build_waiting_exports, delete_expired_exports
from ngo.audit.models import AuditAction, AuditEvent
from tests.rights_helpers import OTHER, PDF, members, other_client, pdf_text, rich_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _english():
    # The services' messages are asserted in English; the screens ask for it.
    with translation.override("en"):
        yield


@pytest.fixture
def hoa(personas, branch_a, shelter, programme, organisations, login):
    client = rich_client(
        counsellor=personas.counsellor_a,
        manager=personas.manager_a,
        admin=personas.admin,
        branch=branch_a,
        shelter=shelter,
        programme=programme,
        organisations=organisations,
    )
    # Her page read once: the access log has a line.
    login(personas.counsellor_a).get(
        reverse("counselling:client_detail", args=[client.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    return client


@pytest.fixture
def zenobia(personas, branch_a):
    return other_client(counsellor=personas.counsellor_a, branch=branch_a)


def _prepare(actor, client) -> SubjectAccessExport:
    return services.export_prepare(
        actor=actor, client=client, requester="herself", identity_check="alien_card"
    )


def _built(personas, client) -> SubjectAccessExport:
    export = _prepare(personas.counsellor_a, client)
    services.export_approve(actor=personas.manager_a, export=export)
    assert build_export.apply(args=[export.pk]).get() == "built"
    return SubjectAccessExport.objects.get(pk=export.pk)


def test_the_zip_holds_every_section_of_hers_and_nothing_of_the_other_woman(personas, hoa, zenobia):
    export = _built(personas, hoa)
    assert export.status == ExportStatus.READY
    files = members(export.read_file())
    import json

    data = json.loads(files["data.json"])["sections"]
    for section in sections():
        assert data[section.key]["rows"], f"the section {section.key} is empty"
        assert f"csv/{section.key}.csv" in files
    text = files["data.json"].decode()
    for value in (
        "Nguyễn Thị Hoa",
        "010-2222-3333",
        "Hoa session note",
        "Hoa referral reason",
        "Hoa incident description",
    ):
        assert value in text
    assert files[[n for n in files if n.startswith("files/documents/")][0]] == PDF
    assert "Minh" in files["csv/children.csv"].decode("utf-8-sig")
    # Her DV confirmation letter, as she was given it, and the legal hold on her case.
    (letter,) = [n for n in files if n.startswith("files/letters/")]
    assert files[letter].startswith(b"%PDF") and data["letters"]["rows"][0]
    assert "Hoa divorce suit, family court" in text
    # Her safe-contact rules, the code word included: it is hers.
    assert "Hoa lotus" in text and data["safety"]["rows"]
    summary = pdf_text(files["summary.pdf"])
    assert "Nguyễn Thị Hoa" in summary
    for section in sections():
        korean, english = section.title.split(" / ")
        assert korean in summary and english.split()[0] in summary
    # Not a byte of the other woman's, in any file (the PDF read as text).
    contents = [content for name, content in files.items() if name != "summary.pdf"]
    contents.append(summary.encode())
    for value in OTHER.values():
        assert not any(value.encode() in content for content in contents), value
    assert zenobia.case_code.encode() not in b"".join(contents)


def test_the_access_log_names_the_staff_and_their_role_not_her_data(personas, hoa):
    export = _built(personas, hoa)
    import json

    log = json.loads(members(export.read_file())["data.json"])["sections"]["access_log"]["rows"]
    reader = personas.counsellor_a
    assert any(reader.full_name in row.values() for row in log)
    with translation.override("ko"):  # the copy is written in Korean
        role = reader.get_role_display()
    assert any(role in row.values() for row in log)


def test_nothing_is_built_before_the_approval_and_the_preparer_cannot_approve(personas, hoa):
    export = _prepare(personas.manager_a, hoa)
    assert build_export.apply(args=[export.pk]).get() == "skipped"
    with pytest.raises(ValidationError, match="another manager"):
        services.export_approve(actor=personas.manager_a, export=export)
    with pytest.raises(PermissionDenied):
        services.export_approve(actor=personas.counsellor_a, export=export)
    export.refresh_from_db()
    assert export.status == ExportStatus.PREPARED and export.approved_by is None
    assert not export.storage_name


def test_the_build_is_idempotent_and_catches_up_on_lost_messages(personas, hoa):
    export = _prepare(personas.counsellor_a, hoa)
    services.export_approve(actor=personas.manager_a, export=export)
    assert build_waiting_exports.apply().get() == 1  # the message never reached a worker
    export.refresh_from_db()
    first = export.storage_name
    assert build_export.apply(args=[export.pk]).get() == "skipped"
    assert build_waiting_exports.apply().get() == 0
    export.refresh_from_db()
    assert export.storage_name == first and export.status == ExportStatus.READY


def test_the_screens_prepare_approve_and_download_with_an_audit_of_each_download(
    personas, hoa, login
):
    counsellor, manager = login(personas.counsellor_a), login(personas.manager_a)
    counsellor.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("rights:export_prepare", args=[hoa.pk])
    response = counsellor.post(
        url,
        {"export-requested_on": "", "export-requester": "herself", "export-identity_check": "x"},
    )
    assert response.status_code == 400 and not SubjectAccessExport.objects.exists()
    response = counsellor.post(
        url,
        {
            "export-requested_on": timezone.localdate().isoformat(),
            "export-requester": "herself",
            "export-identity_check": "alien_card",
        },
    )
    assert response.status_code == 302
    export = SubjectAccessExport.objects.get()
    download = reverse("rights:export_download", args=[export.pk])
    response = counsellor.get(download, follow=True)
    assert "must be approved" in response.content.decode()
    # A counsellor does not approve (403); the manager does.
    assert counsellor.post(reverse("rights:export_approve", args=[export.pk])).status_code == 403
    response = manager.post(reverse("rights:export_approve", args=[export.pk]))
    assert response.status_code == 302
    # The queued build runs on commit in the worker; the test runs what it runs.
    assert build_export.apply(args=[export.pk]).get() == "built"
    before = AuditEvent.objects.filter(action=AuditAction.EXPORT, reason="download").count()
    for browser in (counsellor, manager):
        response = browser.get(download)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/zip"
        assert "summary.pdf" in members(response.content)
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT, reason="download")
    assert events.count() == before + 2
    assert {e.actor for e in events} == {personas.counsellor_a, personas.manager_a}
    # Another counsellor of the branch, who may read her file, may not download it.
    other = login(_colleague(personas))
    assert other.get(download).status_code == 403


def _colleague(personas):
    from ngo.accounts.roles import Role
    from tests.factories import UserFactory

    return UserFactory(
        email="colleague.a@example.org",
        role=Role.COUNSELLOR,
        branches=list(personas.counsellor_a.branches.all()),
    )


def test_audit_events_hold_no_personal_data(personas, hoa):
    export = _built(personas, hoa)
    services.export_download(actor=personas.counsellor_a, export=export)
    events = AuditEvent.objects.filter(object_type="rights.subjectaccessexport")
    assert events.count() >= 4
    text = " ".join(f"{e.fields} {e.reason} {e.object_id}" for e in events)
    for value in ("Hoa", "010-2222-3333", "alien_card"):
        assert value not in text


def test_expired_files_are_deleted_by_the_daily_task_and_cannot_be_downloaded(
    personas, hoa, settings
):
    settings.RIGHTS_EXPORT_KEEP_DAYS = 14
    export = _built(personas, hoa)
    path = export.file_path()
    assert path.exists()
    assert delete_expired_exports.apply().get() == 0
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
        with pytest.raises(ValidationError, match="expired"):
            services.export_download(actor=personas.counsellor_a, export=export)
        assert delete_expired_exports.apply().get() == 1
        assert delete_expired_exports.apply().get() == 0
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED and not export.storage_name
    assert not path.exists()
    assert AuditEvent.objects.filter(
        object_type="rights.subjectaccessexport", action=AuditAction.DELETE, reason="expired"
    ).exists()


def test_an_export_for_a_client_of_another_branch_is_not_found(personas, hoa, login):
    response = login(personas.counsellor_b).post(
        reverse("rights:export_prepare", args=[hoa.pk]),
        {"export-requester": "herself", "export-identity_check": "alien_card"},
    )
    assert response.status_code == 404
    assert not SubjectAccessExport.objects.exists()
    export = _built(personas, hoa)
    other = login(personas.counsellor_b)
    assert other.get(reverse("rights:export_download", args=[export.pk])).status_code == 404
    assert other.get(reverse("rights:client_rights", args=[hoa.pk])).status_code == 404


def test_the_page_and_the_panel_show_the_days_left(personas, hoa, login):
    _prepare(personas.counsellor_a, hoa)
    services.request_record(
        actor=personas.counsellor_a,
        client=hoa,
        kind="deletion",
        asked="Delete my old address.",
        received_on=timezone.localdate() - timedelta(days=12),
    )
    browser = login(personas.counsellor_a)
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = browser.get(reverse("rights:client_rights", args=[hoa.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "10 days left" in text and "2 days overdue" in text
    panel = browser.get(reverse("counselling:client_detail", args=[hoa.pk])).content.decode()
    assert 'id="rights"' in panel and "10 days left" in panel and "2 days overdue" in panel
