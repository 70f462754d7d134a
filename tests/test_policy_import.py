"""Importing OHCHR UHRI exports: a realistic file, re-import idempotence, a
changed row, refused rows, a file that is not a UHRI export, the worker job."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ngo.audit.models import AuditAction, AuditEvent
from policy_monitor import imports, services, uhri
from policy_monitor.models import (
    ImportJob,
    ImportStatus,
    Recommendation,
    SdgTarget,
    Term,
    Vocabulary,
)
from policy_monitor.tasks import run_import_job
from tests.conftest import verified_client
from tests.policy_helpers import HEADER, uhri_csv, uhri_rows, uhri_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(data: bytes, name="uhri-export.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


def _import(actor, data=None, name="uhri-export.xlsx") -> ImportJob:
    return imports.import_job_create(actor=actor, upload=_upload(data or uhri_xlsx(), name))


def _outcomes(job):
    return {line["row"]: line for line in job.report["rows"]}


def test_a_realistic_uhri_file_is_imported_row_by_row(personas):
    job = _import(personas.policy_officer)
    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.updated_count, job.unchanged_count, job.refused_count) == (
        5,
        0,
        0,
        3,
    )
    assert job.total_rows == 8

    cedaw = Recommendation.objects.get(uhri_annotation_id="6721300")
    assert cedaw.mechanism.code == "CEDAW"
    assert cedaw.document_symbol == "CEDAW/C/KOR/CO/8"
    assert cedaw.paragraph == "41" and not cedaw.paragraph_unparsed
    assert cedaw.issued_on == date(2018, 3, 14)  # Excel serial 43173
    assert sorted(t.label_en for t in cedaw.themes.all()) == [
        "Gender-based violence",
        "Migrants",
        "Women's rights",
    ]
    assert sorted(t.label_en for t in cedaw.affected_persons.all()) == [
        "Migrant workers",
        "Women",
    ]
    assert sorted(s.code for s in cedaw.sdg_targets.all()) == ["5.2", "8.8"]
    assert cedaw.countries_concerned == ["Republic of Korea"]
    assert cedaw.current_status == "unknown"

    cerd = Recommendation.objects.get(uhri_annotation_id="6721301")
    assert cerd.mechanism.code == "CERD"  # matched on UHRI's full body name
    assert cerd.issued_on == date(2018, 12, 10)
    # An unknown theme becomes a new thesaurus term.
    assert Term.objects.filter(
        vocabulary=Vocabulary.THEME, label_en="Marriage migrants' residence rights"
    ).exists()
    assert "Theme: Marriage migrants' residence rights" in [
        t.replace("주제", "Theme") for t in job.report["new_terms"]
    ] or any("Marriage migrants' residence rights" in t for t in job.report["new_terms"])

    upr = Recommendation.objects.get(uhri_annotation_id="6721302")
    assert (upr.mechanism.code, upr.paragraph, upr.position) == ("UPR", "132.190", "supported")
    assert upr.recommending_states == ["Philippines"]
    assert upr.upr_session == "28"
    assert upr.issued_on == date(2017, 12, 27)
    assert SdgTarget.objects.get(code="8.8").goal == 8

    unparsed = Recommendation.objects.get(uhri_annotation_id="6721303")
    assert unparsed.paragraph == "" and unparsed.paragraph_unparsed  # kept, flagged
    assert unparsed.issued_on == date(2024, 5, 29)
    rows = _outcomes(job)
    assert rows[5]["outcome"] == "created" and rows[5]["warnings"]

    ccpr = Recommendation.objects.get(document_symbol="CCPR/C/KOR/CO/5")
    assert ccpr.uhri_annotation_id is None and ccpr.paragraph == "15"

    # Refused rows, with their reasons; the unknown body is reported.
    assert rows[6]["outcome"] == "refused"
    assert any("text" in r.lower() or "본문" in r for r in rows[6]["reasons"])
    assert rows[7]["outcome"] == "refused"
    assert "Committee on Enforced Disappearances" in job.report["unknown_bodies"]
    assert rows[9]["outcome"] == "refused"
    assert any("31/31/2021" in r for r in rows[9]["reasons"])
    assert Recommendation.objects.count() == 5
    # Every created record is audited (field names only).
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.CREATE, object_type="policy_monitor.recommendation"
        ).count()
        == 5
    )


def test_reimporting_the_same_file_changes_nothing(personas):
    _import(personas.policy_officer)
    audit_before = AuditEvent.objects.count()
    snapshot = list(Recommendation.objects.order_by("pk").values())
    again = _import(personas.policy_officer)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 5)
    assert again.refused_count == 3
    assert list(Recommendation.objects.order_by("pk").values()) == snapshot
    # Only the job's own events, no recommendation was written.
    assert not AuditEvent.objects.filter(
        pk__gt=0, object_type="policy_monitor.recommendation", action=AuditAction.UPDATE
    ).exists()
    assert AuditEvent.objects.count() - audit_before == 2  # job created, job done


def test_a_changed_row_updates_the_record_and_says_what_changed(personas):
    _import(personas.policy_officer)
    rows = uhri_rows()
    rows[2][9] = "Noted"  # the UPR position
    rows[2][4] = "- Migrants\n- Right to work\n- Women's rights"  # one more theme
    rows[6][7] = "2023-11-06"  # the CCPR row, matched on symbol + paragraph
    job = _import(personas.policy_officer, uhri_xlsx(rows))
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 2, 3)
    lines = _outcomes(job)
    assert lines[4]["outcome"] == "updated"
    assert set(lines[4]["changed"]) == {"position", "themes"}
    assert lines[8]["changed"] == ["issued_on"]
    upr = Recommendation.objects.get(uhri_annotation_id="6721302")
    assert upr.position == "noted" and upr.themes.count() == 3
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.UPDATE, object_type="policy_monitor.recommendation"
        ).count()
        == 2
    )


def test_csv_export_of_uhri_imports_the_same(personas):
    job = _import(personas.policy_officer, uhri_csv(), name="uhri-export.csv")
    assert (job.created_count, job.refused_count) == (5, 3)
    assert Recommendation.objects.get(uhri_annotation_id="6721300").issued_on == date(2018, 3, 14)
    # ... and the XLSX of the same rows then changes nothing.
    again = _import(personas.policy_officer)
    assert again.unchanged_count == 5


def test_a_file_that_is_not_a_uhri_export_names_the_missing_columns(personas):
    data = uhri_xlsx(rows=[["x", "y"]], header=["Name", "Document Symbol"])
    with pytest.raises(ValidationError) as error:
        _import(personas.policy_officer, data)
    message = " ".join(error.value.messages)
    assert '"Text"' in message and '"Reccomending Body"' in message
    assert '"Document Symbol"' not in message
    assert not ImportJob.objects.exists()


def test_a_damaged_or_foreign_file_is_refused_clearly(personas):
    with pytest.raises(ValidationError):
        _import(personas.policy_officer, b"not a workbook", name="uhri.xlsx")
    with pytest.raises(ValidationError):
        _import(personas.policy_officer, b"%PDF-1.4", name="uhri.pdf")


def test_cells_and_dates_are_read_in_every_uhri_form():
    assert uhri.multi("- Women\n- Migrants\n") == ["Women", "Migrants"]
    assert uhri.multi("Women") == ["Women"]
    assert uhri.parse_date(43173) == date(2018, 3, 14)
    assert uhri.parse_date(43173.0) == date(2018, 3, 14)
    assert uhri.parse_date("43173") == date(2018, 3, 14)
    assert uhri.parse_date("2018-03-14") == date(2018, 3, 14)
    assert uhri.parse_date("14/03/2018") == date(2018, 3, 14)
    assert uhri.parse_date("") is None
    with pytest.raises(ValueError):
        uhri.parse_date("March-ish")
    assert uhri.split_paragraph("49. The Committee")[1] == "49"
    assert uhri.split_paragraph("132.190 Take measures")[1] == "132.190"
    assert uhri.split_paragraph("The Committee")[1] is None
    assert HEADER[2] == "Reccomending Body"


# --- The worker job --------------------------------------------------------------------------


def test_a_large_file_is_queued_and_the_worker_task_is_idempotent(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = imports.import_job_create(
            actor=personas.policy_officer, upload=_upload(uhri_xlsx()), run_inline=False
        )
    assert job.status == ImportStatus.QUEUED and len(callbacks) == 1
    assert not Recommendation.objects.exists()
    # The task as the worker runs it (acks_late: it may be delivered twice).
    assert run_import_job.apply(args=(job.pk,)).get() is True
    assert run_import_job.apply(args=(job.pk,)).get() is False
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.percent == 100
    assert (job.created_count, job.refused_count) == (5, 3)
    assert Recommendation.objects.count() == 5
    assert run_import_job.acks_late


def test_import_page_uploads_and_shows_the_report(personas):
    client = verified_client(personas.policy_officer)
    response = client.post("/policy/imports/", {"file": _upload(uhri_xlsx())})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    page = client.get(f"/policy/imports/{job.pk}/")
    assert page.status_code == 200
    assert "CEDAW/C/KOR/CO/8" in page.content.decode()
    assert "Committee on Enforced Disappearances" in page.content.decode()
    bad = client.post("/policy/imports/", {"file": _upload(uhri_xlsx(rows=[], header=["Name"]))})
    assert bad.status_code == 200
    assert "Reccomending Body" in bad.content.decode()


def test_import_api_and_progress_polling(personas):
    client = verified_client(personas.policy_officer)
    response = client.post("/api/v1/uhri-imports/", {"file": _upload(uhri_xlsx())})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "done" and body["created_count"] == 5
    assert len(body["report"]["rows"]) == 8
    bad = client.post(
        "/api/v1/uhri-imports/", {"file": _upload(uhri_xlsx(rows=[], header=["Name"]))}
    )
    assert bad.status_code == 400
    assert "Reccomending Body" in bad.content.decode()
    progress = client.get(f"/policy/imports/{body['id']}/progress/", HTTP_HX_REQUEST="true")
    assert progress.status_code == 200


@pytest.mark.parametrize("persona", ["counsellor_a", "volunteer", "coordinator", "auditor"])
def test_only_policy_officers_import(personas, persona):
    client = verified_client(getattr(personas, persona))
    response = client.post("/api/v1/uhri-imports/", {"file": _upload(uhri_xlsx())})
    assert response.status_code == 403
    assert not Recommendation.objects.exists()
    assert client.get("/policy/imports/").status_code in (403, 404)


def test_a_job_that_breaks_says_so_instead_of_running_for_ever(personas):
    job = imports.import_job_create(
        actor=personas.policy_officer, upload=_upload(uhri_xlsx()), run_inline=False
    )
    services.private_path(job.file_storage_name).unlink()
    with pytest.raises(FileNotFoundError):
        imports.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.error
    assert imports.import_job_run(job_id=job.pk) is False  # not claimed again
