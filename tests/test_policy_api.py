"""The policy REST API through HTTP: who may read and write what (per endpoint
and persona), what volunteers see, assessments and the current status, word
limits, exports and their audit, and constant query counts on lists."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook

from ngo.audit.models import AuditAction, AuditEvent
from policy_monitor import services
from policy_monitor.models import (
    Assessment,
    Mechanism,
    Recommendation,
    Submission,
    WordLimit,
)
from tests.conftest import content_of, verified_client
from tests.policy_helpers import docx

API = "/api/v1"
STAFF_READERS = ["counsellor_a", "manager_a", "shelter_worker_a", "coordinator", "admin"]
LISTS = [
    "policies",
    "policy-events",
    "monitoring-notes",
    "mechanisms",
    "reviews",
    "submissions",
    "word-limits",
    "terms",
    "sdg-targets",
    "clusters",
    "recommendations",
    "assessments",
]


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- Reading -------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", LISTS)
@pytest.mark.parametrize("persona", ["policy_officer", *STAFF_READERS])
def test_all_staff_read_every_policy_list(policy_world, personas, persona, endpoint):
    response = verified_client(getattr(personas, persona)).get(f"{API}/{endpoint}/")
    assert response.status_code == 200
    if endpoint not in ("clusters", "sdg-targets"):
        assert response.json()["count"] > 0


@pytest.mark.parametrize("endpoint", LISTS)
def test_the_auditor_reads_no_policy_records(policy_world, personas, endpoint):
    assert _ids(verified_client(personas.auditor).get(f"{API}/{endpoint}/")) == set()


def test_volunteers_see_published_material_only(policy_world, personas):
    w = policy_world
    client = verified_client(personas.volunteer)
    assert _ids(client.get(f"{API}/submissions/")) == {w.published.pk}
    assert client.get(f"{API}/submissions/{w.draft.pk}/").status_code == 404
    assert client.get(f"{API}/submissions/{w.published.pk}/").status_code == 200
    # Laws, public events, reviews and recommendations are public documents.
    assert _ids(client.get(f"{API}/policies/")) == {w.plan.pk}
    assert _ids(client.get(f"{API}/policy-events/")) == {w.comment.pk}
    assert client.get(f"{API}/policy-events/{w.meeting.pk}/").status_code == 404
    assert _ids(client.get(f"{API}/recommendations/")) == {w.recommendation.pk, w.commitment.pk}
    assert _ids(client.get(f"{API}/reviews/")) == {w.review.pk}
    # Our assessments and notes are internal.
    assert _ids(client.get(f"{API}/assessments/")) == set()
    assert client.get(f"{API}/assessments/{w.assessment.pk}/").status_code == 404
    assert _ids(client.get(f"{API}/monitoring-notes/")) == set()
    assert client.get(f"{API}/monitoring-notes/{w.note.pk}/").status_code == 404
    # The recommendation page shows no assessment history to her either.
    page = client.get(f"/policy/recommendations/{w.recommendation.pk}/").content.decode()
    assert "Two shelters accept" not in page


def test_a_detail_read_is_audited(policy_world, personas):
    client = verified_client(personas.counsellor_a)
    client.get(f"{API}/recommendations/{policy_world.recommendation.pk}/")
    assert AuditEvent.objects.filter(
        action=AuditAction.READ,
        actor=personas.counsellor_a,
        object_type="policy_monitor.recommendation",
    ).exists()


# --- Writing -------------------------------------------------------------------------------


def _creates(w):
    return {
        "policies": {"kind": "act", "title_ko": "외국인근로자의 고용 등에 관한 법률"},
        "policy-events": {
            "policy": w.plan.pk,
            "kind": "amendment_proposed",
            "happens_on": "2026-02-01",
        },
        "monitoring-notes": {"policy": w.plan.pk, "noted_on": "2026-02-01", "text": "x"},
        "reviews": {"mechanism": w.cedaw.pk, "cycle": "10th periodic report"},
        "submissions": {
            "kind": "opinion",
            "title": "Opinion on the E-9 rule",
            "addressed_body": w.ministry.pk,
            "lead_organisation": w.centre.pk,
        },
        "terms": {"vocabulary": "theme", "label_en": "Seasonal workers"},
        "clusters": {"name": "Workplace change (E-9)"},
        "recommendations": {
            "mechanism": w.cedaw.pk,
            "text": "The Committee recommends ...",
            "document_symbol": "CEDAW/C/KOR/CO/9",
            "paragraph": "43",
        },
        "assessments": {
            "recommendation": w.recommendation.pk,
            "assessed_on": "2025-07-01",
            "status": "implemented",
            "evidence": "Amended.",
        },
        "word-limits": {"kind": "urgent_appeal", "max_words": 1000},
    }


@pytest.mark.parametrize(
    "endpoint",
    [
        "policies",
        "policy-events",
        "monitoring-notes",
        "reviews",
        "submissions",
        "terms",
        "clusters",
        "recommendations",
        "assessments",
        "word-limits",
    ],
)
def test_policy_officers_write_and_others_get_403(policy_world, personas, endpoint):
    body = _creates(policy_world)[endpoint]
    for persona in ["counsellor_a", "coordinator", "volunteer", "auditor", "admin"]:
        response = verified_client(getattr(personas, persona)).post(
            f"{API}/{endpoint}/", body, content_type="application/json"
        )
        assert response.status_code == 403, (persona, response.content)
    response = verified_client(personas.policy_officer).post(
        f"{API}/{endpoint}/", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, actor=personas.policy_officer
    ).exists()


def test_updates_need_write_and_go_through_services(policy_world, personas):
    w = policy_world
    url = f"{API}/policies/{w.plan.pk}/"
    staff = verified_client(personas.counsellor_a)
    assert staff.patch(url, {"number": "x"}, content_type="application/json").status_code == 403
    volunteer = verified_client(personas.volunteer)
    draft = f"{API}/submissions/{w.draft.pk}/"
    assert (
        volunteer.patch(draft, {"title": "x"}, content_type="application/json").status_code == 404
    )
    officer = verified_client(personas.policy_officer)
    response = officer.patch(url, {"number": "2023-1"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["number"] == "2023-1"
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(w.plan.pk)).last()
    assert event.fields == ["number"]
    # Assessments are history: no update, no delete.
    assessment = f"{API}/assessments/{w.assessment.pk}/"
    assert officer.patch(assessment, {}, content_type="application/json").status_code == 405
    assert officer.delete(assessment).status_code == 405


def test_bad_input_answers_400_in_both_languages(policy_world, personas):
    w = policy_world
    client = verified_client(personas.policy_officer)
    # A public-comment period without its deadline.
    response = client.post(
        f"{API}/policy-events/",
        {"policy": w.plan.pk, "kind": "public_comment", "happens_on": "2026-02-01"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "deadline" in response.content.decode()
    # A submission to nobody; a non-government "responsible body".
    response = client.post(
        f"{API}/submissions/",
        {"kind": "opinion", "title": "x", "lead_organisation": w.centre.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    response = client.post(
        f"{API}/policies/",
        {"kind": "act", "title_en": "x", "responsible_body": w.centre.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    # A commitment needs its plan; a recommendation its mechanism.
    response = client.post(
        f"{API}/recommendations/",
        {"source": "plan", "text": "Do it."},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    assert response.status_code == 400
    assert Recommendation.objects.count() == 2


# --- Assessments ------------------------------------------------------------------------------


def test_assessment_dated_before_the_recommendation_is_refused(policy_world, personas):
    w = policy_world
    client = verified_client(personas.policy_officer)
    response = client.post(
        f"{API}/assessments/",
        {
            "recommendation": w.recommendation.pk,
            "assessed_on": "2024-01-01",
            "status": "implemented",
            "evidence": "x",
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "cannot be dated before the recommendation (2024-05-29)" in fields["assessed_on"][0]
    assert Assessment.objects.count() == 1
    w.recommendation.refresh_from_db()
    assert w.recommendation.current_status == "partially_implemented"


def test_the_current_status_is_the_latest_assessment_and_history_is_kept(policy_world, personas):
    w = policy_world
    officer = personas.policy_officer
    services.assessment_record(
        actor=officer,
        recommendation=w.recommendation,
        assessed_on=date(2025, 9, 1),
        status="regressed",
        evidence="The pilot ended.",
    )
    # An older assessment entered later does not change the current status.
    services.assessment_record(
        actor=officer,
        recommendation=w.recommendation,
        assessed_on=date(2024, 12, 1),
        status="not_implemented",
        evidence="Nothing yet.",
    )
    w.recommendation.refresh_from_db()
    assert (w.recommendation.current_status, w.recommendation.current_status_on) == (
        "regressed",
        date(2025, 9, 1),
    )
    assert w.recommendation.assessments.count() == 3
    client = verified_client(officer)
    assert _ids(client.get(f"{API}/recommendations/?status=regressed")) == {w.recommendation.pk}
    assert _ids(client.get(f"{API}/recommendations/?status=unknown")) == {w.commitment.pk}


def test_a_future_assessment_is_refused(policy_world, personas):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.assessment_record(
            actor=personas.policy_officer,
            recommendation=policy_world.recommendation,
            assessed_on=timezone.localdate() + timedelta(days=3),
            status="implemented",
            evidence="x",
        )
    assert "future" in str(error.value)


# --- Filters and search -------------------------------------------------------------------------


def test_recommendation_filters_and_search(policy_world, personas):
    w = policy_world
    client = verified_client(personas.policy_officer)
    assert _ids(client.get(f"{API}/recommendations/?source=plan")) == {w.commitment.pk}
    assert _ids(client.get(f"{API}/recommendations/?mechanism={w.cedaw.pk}")) == {
        w.recommendation.pk
    }
    assert _ids(client.get(f"{API}/recommendations/?year=2024")) == {w.recommendation.pk}
    assert _ids(client.get(f"{API}/recommendations/?q=shelter")) == {w.recommendation.pk}
    assert _ids(client.get(f"{API}/recommendations/?q=interpretation migrant")) == {w.commitment.pk}
    assert _ids(client.get(f"{API}/recommendations/?q=KOR/CO/9")) == {w.recommendation.pk}
    theme = w.recommendation.themes.model.objects.get(label_en="Migrants", vocabulary="theme")
    services.recommendation_update(
        actor=personas.policy_officer, recommendation=w.recommendation, themes=[theme]
    )
    assert _ids(client.get(f"{API}/recommendations/?theme={theme.pk}")) == {w.recommendation.pk}
    assert _ids(client.get(f"{API}/recommendations/?position=supported")) == set()
    assert _ids(client.get(f"{API}/recommendations/?sdg=5")) == set()
    response = client.get(f"{API}/recommendations/?status=nonsense")
    assert response.status_code == 400


# --- Submissions, files and word limits ----------------------------------------------------------


def test_word_count_of_the_attached_text_warns_when_over_the_limit(policy_world, personas):
    w = policy_world
    # The seeded CEDAW follow-up limit, made small for the test.
    WordLimit.objects.filter(mechanism__code="CEDAW", kind="follow_up_report").update(max_words=20)
    client = verified_client(personas.policy_officer)
    text = (
        "Migrant women on E-9 visas cannot change workplaces without the employer's release.\n" * 3
    )
    upload = SimpleUploadedFile("follow-up.docx", docx(text))
    response = client.patch(
        f"{API}/submissions/{w.draft.pk}/",
        data=_multipart({"file": upload}),
        content_type="multipart/form-data; boundary=BoUnDaRy",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["word_count"] == 36
    assert body["word_limit"] == 20
    assert body["word_warning"] == "36 words: over the limit of 20 by 16."
    page = client.get(f"/policy/submissions/{w.draft.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "over the limit of 20" in page.content.decode()
    # A plain-text file is counted too; a short one gives no warning.
    response = client.patch(
        f"{API}/submissions/{w.draft.pk}/",
        data=_multipart({"file": SimpleUploadedFile("short.txt", "몇 단어 뿐입니다".encode())}),
        content_type="multipart/form-data; boundary=BoUnDaRy",
    )
    assert response.json()["word_count"] == 3 and response.json()["word_warning"] == ""


def _multipart(data):
    from django.test.client import encode_multipart

    return encode_multipart("BoUnDaRy", data)


def test_joint_submissions_get_the_joint_limit(policy_world, personas):
    upr = Mechanism.objects.get(code="UPR")
    review = services.review_create(actor=personas.policy_officer, mechanism=upr, cycle="4th")
    submission = services.submission_create(
        actor=personas.policy_officer,
        kind="upr_stakeholder",
        title="UPR joint submission",
        review=review,
        lead_organisation=policy_world.centre,
        co_signers=[policy_world.partner],
    )
    assert services.word_limit_for(submission) == 5630
    submission.co_signers.clear()
    assert services.word_limit_for(Submission.objects.get(pk=submission.pk)) == 2815


def test_submission_files_are_served_only_to_those_who_may_read_them(policy_world, personas):
    w = policy_world
    for submission in (w.draft, w.published):
        services.submission_update(
            actor=personas.policy_officer,
            submission=submission,
            upload=SimpleUploadedFile("report.txt", b"Shadow report text."),
        )
    volunteer = verified_client(personas.volunteer)
    assert volunteer.get(f"{API}/submissions/{w.draft.pk}/file/").status_code == 404
    assert volunteer.get(f"/policy/submissions/{w.draft.pk}/file/").status_code == 404
    response = volunteer.get(f"/policy/submissions/{w.published.pk}/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Shadow report text."
    assert (
        verified_client(personas.auditor)
        .get(f"{API}/submissions/{w.published.pk}/file/")
        .status_code
        == 404
    )
    response = verified_client(personas.counsellor_a).get(f"{API}/submissions/{w.draft.pk}/file/")
    assert response.status_code == 200
    bad = verified_client(personas.policy_officer).patch(
        f"{API}/submissions/{w.draft.pk}/",
        data=_multipart({"file": SimpleUploadedFile("virus.exe", b"MZ")}),
        content_type="multipart/form-data; boundary=BoUnDaRy",
    )
    assert bad.status_code == 400


# --- Exports -----------------------------------------------------------------------------------


def test_csv_export_has_the_current_status_and_is_audited(policy_world, personas):
    client = verified_client(personas.policy_officer)
    response = client.get(f"{API}/recommendations/export.csv?source=mechanism")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    text = content_of(response).decode("utf-8-sig")
    assert "CEDAW/C/KOR/CO/9" in text
    assert "Expand interpretation" not in text  # filtered out (a commitment)
    lines = text.strip().splitlines()
    assert len(lines) == 2
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, actor=personas.policy_officer)
    assert event.reason == "csv:1" and event.object_type == "policy_monitor.recommendation"


def test_every_recommendation_is_exported_and_outside_text_cannot_run(policy_world, personas):
    """More rows than one read chunk, no cap; UHRI text starting with "=" stays text."""
    from policy_monitor.exports import CHUNK

    Recommendation.objects.bulk_create(
        Recommendation(
            source="mechanism",
            mechanism=policy_world.cedaw,
            document_symbol="CEDAW/C/KOR/CO/8",
            paragraph=str(n),
            text=f'=HYPERLINK("http://example.org/{n}") {n}' if n == 7 else f"Text {n}",
        )
        for n in range(CHUNK + 500)
    )
    client = verified_client(personas.policy_officer)
    response = client.get(f"{API}/recommendations/export.csv?source=mechanism")
    assert response.streaming
    rows = list(csv.reader(io.StringIO(content_of(response).decode("utf-8-sig"))))
    assert len(rows) == 1 + CHUNK + 500 + 1  # the header, the new ones, policy_world's
    texts = {row[7] for row in rows[1:]}
    assert '\'=HYPERLINK("http://example.org/7") 7' in texts
    assert not any(text.startswith("=") for text in texts)
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, actor=personas.policy_officer)
    assert event.reason == f"csv:{CHUNK + 501}"


def test_xlsx_export_from_the_screen(policy_world, personas):
    client = verified_client(personas.counsellor_a)
    response = client.get("/policy/recommendations/export.xlsx", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(content_of(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    statuses = {row[13] for row in rows[1:]}
    assert statuses == {"Partially implemented", "Unknown"}
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, reason="xlsx:2").exists()
    assert client.get("/policy/recommendations/export.pdf").status_code == 404
    assert (
        verified_client(personas.auditor).get("/policy/recommendations/export.csv").status_code
        == 404
    )


# --- Query counts -----------------------------------------------------------------------------


def _add_recommendations(officer, mechanism, n, start):
    theme = mechanism.recommendations.model.themes.field.related_model.objects.first()
    for i in range(start, start + n):
        rec = services.recommendation_create(
            actor=officer,
            mechanism=mechanism,
            text=f"{i}. Recommendation {i}",
            document_symbol="CERD/C/KOR/CO/20-22",
            paragraph=str(i),
            themes=[theme],
        )
        services.assessment_record(
            actor=officer,
            recommendation=rec,
            assessed_on=timezone.localdate(),
            status="not_implemented",
            evidence="x",
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        f"{API}/recommendations/",
        f"{API}/submissions/",
        f"{API}/assessments/",
        "/policy/recommendations/",
        "/policy/recommendations/export.csv",
    ],
)
@pytest.mark.dates_as_data
def test_list_query_counts_do_not_grow_with_rows(policy_world, personas, url):
    officer = personas.policy_officer
    cerd = Mechanism.objects.get(code="CERD")
    client = verified_client(officer)
    _add_recommendations(officer, cerd, 3, 100)
    for i in range(3):
        services.submission_create(
            actor=officer,
            kind="opinion",
            title=f"Opinion {i}",
            addressed_body=policy_world.ministry,
            lead_organisation=policy_world.centre,
            co_signers=[policy_world.partner],
        )
    few = _count(client, url)
    _add_recommendations(officer, cerd, 6, 200)
    for i in range(6):
        services.submission_create(
            actor=officer,
            kind="opinion",
            title=f"Opinion b{i}",
            addressed_body=policy_world.ministry,
            lead_organisation=policy_world.centre,
        )
    assert _count(client, url) == few


# --- Administrators edit the catalogues --------------------------------------------------------


def test_administrators_edit_word_limits_in_the_admin_through_the_service(personas):
    client = verified_client(personas.admin)
    limit = WordLimit.objects.get(mechanism__code="CERD", kind="shadow_report")
    response = client.post(
        f"/admin/policy_monitor/wordlimit/{limit.pk}/change/",
        {
            "mechanism": limit.mechanism_id,
            "kind": "shadow_report",
            "max_words": 10700,
            "max_words_joint": "",
            "note": limit.note,
        },
    )
    assert response.status_code == 302
    limit.refresh_from_db()
    assert limit.max_words == 10700
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, actor=personas.admin, object_type="policy_monitor.wordlimit"
    ).exists()
    assert verified_client(personas.policy_officer).get(
        "/admin/policy_monitor/wordlimit/"
    ).status_code in (302, 403)


def test_words_of_a_pdf_and_a_docx_are_counted_and_a_broken_file_refused():
    from django.core.exceptions import ValidationError

    from policy_monitor.services import word_count_of
    from tests.policy_helpers import docx, pdf

    assert word_count_of("report.pdf", pdf(["migrant", "women", "rights", "report"])) == 4
    assert word_count_of("report.docx", docx("one two three\nfour five")) == 5
    assert word_count_of("report.hwp", b"anything") is None
    with pytest.raises(ValidationError) as refused:
        word_count_of("report.pdf", b"%PDF-1.4 not really")
    assert "PDF" in str(refused.value)
    with pytest.raises(ValidationError):
        word_count_of("report.docx", b"PK\x03\x04 not a zip")
