"""The shadow-report draft of a review, through the real task path: the
recommendations that concern migrant women with their status and dated
evidence, campaigns and submissions, the released tables as captioned
annexes with the legend of their marks, the word count against the
mechanism's limit, cancel, idempotence and bad input; the screens and the API."""

import io
import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from docx import Document

from campaigns import services as cs
from counselling import services as counselling
from counselling.models import ConsentPurpose
from ngo.audit.models import AuditAction, AuditEvent
from ngo.lib import private_files
from policy_monitor import services as ps
from policy_monitor.drafts import jobs
from policy_monitor.models import (
    DraftStatus,
    Mechanism,
    ShadowReportDraft,
    Term,
    Vocabulary,
    WordLimit,
)
from policy_monitor.statistics import services as dataset_services
from policy_monitor.statistics.tasks import generate_dataset
from policy_monitor.tasks import write_shadow_report_draft
from tests.conftest import content_of, verified_client
from tests.test_api_schema import schema_errors

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def spec():
    """The OpenAPI schema as served (see tests/test_api_schema.py)."""
    import json

    from django.utils.translation import override
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    with override("en"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


JSON = "application/json"
EN = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def _still_clock():
    with time_machine.travel(timezone.now(), tick=False):
        yield


def _terms(vocabulary, *labels):
    return list(Term.objects.filter(vocabulary=vocabulary, label_en__in=labels))


def _published_dataset(officer, make_case):
    today = timezone.localdate()
    for n in range(4):
        case = make_case(name_romanised=f"Nguyen {n}", nationality="VN", residence_status="F-6")
        counselling.consent_record(
            actor=case.created_by,
            client=case.client,
            purpose=ConsentPurpose.STATISTICS,
            given=True,
            explanation_language="vi",
        )
    dataset = dataset_services.dataset_create(
        actor=officer,
        title="Women counselled by nationality and residence status",
        period_from=today,
        period_to=today,
        dimensions=["nationality", "residence_status"],
        measures=["clients"],
        min_cell_size=3,
        generate=False,
    )
    dataset_services.dataset_request_generation(actor=officer, dataset=dataset)
    assert generate_dataset.apply(args=[dataset.pk]).get() == "generated"
    return dataset_services.dataset_publish(actor=officer, dataset=dataset)


@pytest.fixture
def world(campaign_world, policy_world, personas, make_case):
    """CEDAW's 10th review ahead; from the 9th: ¶41 (women and migrants, two
    assessments, a campaign and its demand, a published and an unpublished
    dataset) and ¶20 (women only: not about migrant women)."""
    officer = personas.policy_officer
    rec = ps.recommendation_update(
        actor=officer,
        recommendation=policy_world.recommendation,
        affected_persons=_terms(Vocabulary.AFFECTED_PERSONS, "Women", "Migrants"),
    )
    other = ps.recommendation_create(
        actor=officer,
        mechanism=policy_world.cedaw,
        review=policy_world.review,
        text="20. The Committee recommends equal pay in the civil service.",
        document_symbol="CEDAW/C/KOR/CO/9",
        paragraph="20",
        issued_on=date(2024, 5, 29),
        affected_persons=_terms(Vocabulary.AFFECTED_PERSONS, "Women"),
    )
    ps.assessment_record(
        actor=officer,
        recommendation=rec,
        assessed_on=date(2025, 9, 1),
        status="not_implemented",
        evidence="The shelter guideline still excludes women without papers.",
        campaigns=[campaign_world.campaign],
        policy_events=[policy_world.comment],
    )
    cs.demand_update(
        actor=personas.coordinator, demand=campaign_world.demand, recommendations=[rec]
    )
    published = _published_dataset(officer, make_case)
    unpublished = dataset_services.dataset_create(
        actor=officer,
        title="Work in progress",
        period_from=date(2025, 1, 1),
        period_to=date(2025, 12, 31),
        dimensions=["year"],
        measures=["clients"],
        generate=False,
    )
    ps.recommendation_update(actor=officer, recommendation=rec, datasets=[published, unpublished])
    upcoming = ps.review_create(
        actor=officer, mechanism=policy_world.cedaw, cycle="10th periodic report"
    )
    return {
        "rec": rec,
        "other": other,
        "review": upcoming,
        "published": published,
        "unpublished": unpublished,
        "campaign": campaign_world.campaign,
        "demand": campaign_world.demand,
        "policy_world": policy_world,
    }


def _request(user, review, django_capture_on_commit_callbacks) -> ShadowReportDraft:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = verified_client(user).post(
            reverse("policy_monitor:draft_create", args=[review.pk])
        )
    assert response.status_code == 302
    assert len(callbacks) <= 1
    return ShadowReportDraft.objects.filter(review=review).order_by("-pk").first()


def _docx(draft) -> Document:
    draft.refresh_from_db()
    return Document(io.BytesIO(draft.read_file()))


def _body_words(document) -> int:
    """An independent count: the paragraphs from the introduction to the annexes."""
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Introduction")
    end = texts.index("Annexes") if "Annexes" in texts else len(texts)
    return sum(len(re.findall(r"\S+", text)) for text in texts[start:end])


def test_the_draft_is_written_from_the_evidence_through_the_worker(
    world, personas, django_capture_on_commit_callbacks
):
    draft = _request(personas.policy_officer, world["review"], django_capture_on_commit_callbacks)
    assert draft.status == DraftStatus.QUEUED
    assert write_shadow_report_draft.apply(args=[draft.pk]).get() == "done"
    document = _docx(draft)
    texts = [p.text for p in document.paragraphs]
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert texts[0] == "Shadow report (draft)"
    assert "Committee on the Elimination of Discrimination against Women (CEDAW)" in texts
    assert any(t.startswith("Review: 10th periodic report") for t in texts)
    assert f"Date: {timezone.localdate().isoformat()}" in texts
    assert any(t.startswith("Submitted by: ") for t in texts)
    assert styles["Introduction"] == "Heading 1"
    rec = world["rec"]
    assert styles[str(rec)] == "Heading 2"
    assert rec.text in texts
    assert str(world["other"]) not in texts  # women only: not about migrant women
    assert "Current implementation status: Not implemented (assessed 2025-09-01)" in texts
    assert "2025-06-01 – Partially implemented: Two shelters accept undocumented women." in texts
    assert any(t.startswith("2025-09-01 – Not implemented: The shelter guideline") for t in texts)
    assert any(t.startswith("2026-01-05 – Public-comment period") for t in texts)
    assert f"{world['campaign'].title}: {world['demand'].text}" in texts
    assert "Joint shadow report on migrant women (2024-04-20)" in texts
    year = timezone.localdate().year
    caption = f"Annex 1: Women (each counted once) by nationality and residence status, {year}"
    assert styles[caption] == "Heading 2"
    assert not any(t.startswith("Annex 2") for t in texts)  # the unpublished one is left out
    assert "Figures: see annex 1." in texts
    legend = next(t for t in texts if t.startswith("“<3”"))
    assert "“x”" in legend and "k = 3" in legend
    table = document.tables[0]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[-1][0] == "Total"
    assert "4" in cells[-1]  # four women counted, stored as they are
    draft.refresh_from_db()
    assert draft.word_count == _body_words(document)
    assert draft.word_limit == 6600
    assert f"{draft.word_count} words of 6600 allowed" in texts
    assert draft.recommendation_count == 1 and draft.annex_count == 1
    assert draft.progress_percent == 100

    page = verified_client(personas.policy_officer).get(
        reverse("policy_monitor:draft_detail", args=[draft.pk]), headers=EN
    )
    assert f"{draft.word_count} words of 6600 allowed" in page.content.decode()
    assert "over the limit" not in page.content.decode()


def test_a_draft_over_the_word_limit_is_kept_and_marked(
    world, personas, django_capture_on_commit_callbacks
):
    limit = WordLimit.objects.get(mechanism__code="CEDAW", kind="shadow_report")
    ps.word_limit_update(actor=personas.policy_officer, limit=limit, max_words=50)
    draft = _request(personas.policy_officer, world["review"], django_capture_on_commit_callbacks)
    assert write_shadow_report_draft.apply(args=[draft.pk]).get() == "done"
    draft.refresh_from_db()
    assert draft.over_limit and draft.word_count > 50
    texts = [p.text for p in _docx(draft).paragraphs]
    assert f"{draft.word_count} words of 50 allowed – OVER THE LIMIT" in texts
    page = verified_client(personas.policy_officer).get(
        reverse("policy_monitor:draft_detail", args=[draft.pk]), headers=EN
    )
    assert "over the limit" in page.content.decode()
    assert "alert-danger" in page.content.decode()


def test_a_mechanism_without_a_word_limit_is_counted_anyway(
    world, personas, django_capture_on_commit_callbacks
):
    officer = personas.policy_officer
    crc = Mechanism.objects.get(code="CRC")
    ps.recommendation_create(
        actor=officer,
        mechanism=crc,
        text="30. Ensure the birth registration of every child of migrant women.",
        document_symbol="CRC/C/KOR/CO/5-6",
        paragraph="30",
        issued_on=date(2019, 10, 24),
        affected_persons=_terms(Vocabulary.AFFECTED_PERSONS, "Girls", "Migrants"),
    )
    review = ps.review_create(actor=officer, mechanism=crc, cycle="7th periodic report")
    draft = _request(officer, review, django_capture_on_commit_callbacks)
    assert write_shadow_report_draft.apply(args=[draft.pk]).get() == "done"
    draft.refresh_from_db()
    assert draft.word_limit is None and draft.word_count == _body_words(_docx(draft))
    page = verified_client(officer).get(
        reverse("policy_monitor:draft_detail", args=[draft.pk]), headers=EN
    )
    assert "No word limit is recorded" in page.content.decode()


def test_no_recommendation_about_migrant_women_gives_a_clear_message_and_no_file(
    world, personas, django_capture_on_commit_callbacks
):
    officer = personas.policy_officer
    review = ps.review_create(
        actor=officer, mechanism=Mechanism.objects.get(code="CERD"), cycle="23rd report"
    )
    client = verified_client(officer)
    response = client.post(
        reverse("policy_monitor:draft_create", args=[review.pk]), follow=True, headers=EN
    )
    assert "concerns migrant women" in response.content.decode()
    assert not ShadowReportDraft.objects.filter(review=review).exists()
    api = client.post(
        "/api/v1/shadow-report-drafts/", {"review": review.pk}, content_type=JSON, headers=EN
    )
    assert api.status_code == 400
    assert "migrant women" in str(api.json())


def test_a_second_request_while_one_runs_gives_back_the_running_draft(
    world, personas, django_capture_on_commit_callbacks
):
    officer = personas.policy_officer
    first = _request(officer, world["review"], django_capture_on_commit_callbacks)
    second = _request(officer, world["review"], django_capture_on_commit_callbacks)
    assert first.pk == second.pk
    api = verified_client(officer).post(
        "/api/v1/shadow-report-drafts/", {"review": world["review"].pk}, content_type=JSON
    )
    assert api.status_code == 202 and api.json()["id"] == first.pk
    assert ShadowReportDraft.objects.filter(review=world["review"]).count() == 1


def test_the_task_is_idempotent(world, personas, django_capture_on_commit_callbacks):
    draft = _request(personas.policy_officer, world["review"], django_capture_on_commit_callbacks)
    assert write_shadow_report_draft.apply(args=[draft.pk]).get() == "done"
    draft.refresh_from_db()
    stored = draft.file_storage_name
    assert write_shadow_report_draft.apply(args=[draft.pk]).get() == "skipped"
    draft.refresh_from_db()
    assert draft.file_storage_name == stored and draft.status == DraftStatus.DONE


def test_cancelling_a_queued_draft_keeps_nothing(
    world, personas, django_capture_on_commit_callbacks
):
    officer = personas.policy_officer
    draft = _request(officer, world["review"], django_capture_on_commit_callbacks)
    response = verified_client(officer).post(
        reverse("policy_monitor:draft_cancel", args=[draft.pk])
    )
    assert response.status_code == 302
    assert write_shadow_report_draft.apply(args=[draft.pk]).get() == "skipped"
    draft.refresh_from_db()
    assert draft.status == DraftStatus.CANCELLED and draft.file_storage_name == ""
    assert (
        verified_client(officer)
        .get(reverse("policy_monitor:draft_file", args=[draft.pk]))
        .status_code
        == 404
    )


def test_cancelling_mid_run_stops_at_the_next_step_and_keeps_nothing(
    world, personas, django_capture_on_commit_callbacks, settings
):
    officer = personas.policy_officer
    draft = _request(officer, world["review"], django_capture_on_commit_callbacks)
    area = settings.PRIVATE_MEDIA_ROOT / ShadowReportDraft.file_area
    before = set(area.rglob("*")) if area.exists() else set()

    def cancel_while_writing(stage):
        if stage == "writing":
            running = ShadowReportDraft.objects.get(pk=draft.pk)
            assert running.status == DraftStatus.RUNNING
            jobs.draft_cancel(actor=officer, draft=running)

    assert jobs.draft_write(draft_id=draft.pk, after_step=cancel_while_writing) == "cancelled"
    draft.refresh_from_db()
    assert draft.status == DraftStatus.CANCELLED
    assert draft.file_storage_name == "" and draft.word_count is None
    after = set(area.rglob("*")) if area.exists() else set()
    assert {p for p in after - before if p.is_file()} == set()
    # A new draft may be asked for at once.
    again = _request(officer, world["review"], django_capture_on_commit_callbacks)
    assert again.pk != draft.pk and again.status == DraftStatus.QUEUED


def test_the_progress_bar_polls_until_done_then_refreshes(
    world, personas, django_capture_on_commit_callbacks
):
    officer = personas.policy_officer
    draft = _request(officer, world["review"], django_capture_on_commit_callbacks)
    client = verified_client(officer)
    url = reverse("policy_monitor:draft_progress", args=[draft.pk])
    polling = client.get(url, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in polling.content.decode()
    assert reverse("policy_monitor:draft_cancel", args=[draft.pk]) in polling.content.decode()
    assert "HX-Refresh" not in polling
    write_shadow_report_draft.apply(args=[draft.pk]).get()
    done = client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


def test_the_api_creates_follows_and_downloads_a_draft(
    world, personas, django_capture_on_commit_callbacks, spec
):
    api = verified_client(personas.policy_officer)
    with django_capture_on_commit_callbacks(execute=False):
        created = api.post(
            "/api/v1/shadow-report-drafts/", {"review": world["review"].pk}, content_type=JSON
        )
    assert created.status_code == 202, created.content
    assert schema_errors(spec, "/api/v1/shadow-report-drafts/", "post", created) == []
    body = created.json()
    assert body["status"] == "queued" and body["running"] is True
    assert api.get(f"/api/v1/shadow-report-drafts/{body['id']}/file/").status_code == 404
    write_shadow_report_draft.apply(args=[body["id"]]).get()
    response = api.get(f"/api/v1/shadow-report-drafts/{body['id']}/")
    assert schema_errors(spec, "/api/v1/shadow-report-drafts/{id}/", "get", response) == []
    follow = response.json()
    assert follow["status"] == "done" and follow["progress_percent"] == 100
    assert follow["word_limit"] == 6600 and follow["over_limit"] is False
    download = api.get(f"/api/v1/shadow-report-drafts/{body['id']}/file/")
    assert download.status_code == 200
    assert download["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    document = Document(io.BytesIO(content_of(download)))
    assert document.paragraphs[0].text == "Shadow report (draft)"
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, object_type="policy_monitor.shadowreportdraft"
    ).exists()
    cancel = api.post(f"/api/v1/shadow-report-drafts/{body['id']}/cancel/")
    assert cancel.status_code == 400  # finished: nothing to stop
    listed = api.get(f"/api/v1/shadow-report-drafts/?review={world['review'].pk}&status=done")
    assert [row["id"] for row in listed.json()["results"]] == [body["id"]]
    assert api.get("/api/v1/shadow-report-drafts/?review=x").status_code == 400


def test_only_policy_officers_reach_drafts(world, personas, django_capture_on_commit_callbacks):
    draft = _request(personas.policy_officer, world["review"], django_capture_on_commit_callbacks)
    write_shadow_report_draft.apply(args=[draft.pk]).get()
    for persona in ("coordinator", "manager_a", "auditor", "volunteer"):
        client = verified_client(getattr(personas, persona))
        assert client.get(reverse("policy_monitor:draft_file", args=[draft.pk])).status_code in (
            403,
            404,
        )
        assert client.get(f"/api/v1/shadow-report-drafts/{draft.pk}/").status_code in (403, 404)
        assert client.get("/api/v1/shadow-report-drafts/").status_code == 403
    draft.refresh_from_db()
    assert private_files.exists(draft.file_area, draft.file_storage_name)
