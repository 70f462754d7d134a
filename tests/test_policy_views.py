"""The policy screens through HTTP: who sees what, the create and edit forms
(through the services, errors shown on the form), the assessment form, the
dashboard panel."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ngo.audit.models import AuditAction, AuditEvent
from policy_monitor.models import (
    Assessment,
    MonitoringNote,
    Policy,
    PolicyEvent,
    Recommendation,
    Review,
    Submission,
)
from tests.conftest import verified_client
from tests.policy_helpers import docx

PAGES = [
    "/policy/",
    "/policy/recommendations/",
    "/policy/laws/",
    "/policy/reviews/",
    "/policy/submissions/",
]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("policy_officer", 200),
        ("counsellor_a", 200),
        ("coordinator", 200),
        ("volunteer", 200),
        ("auditor", 404),
    ],
)
def test_policy_screens_by_role(policy_world, personas, url, persona, expected):
    assert verified_client(getattr(personas, persona)).get(url).status_code == expected


def test_detail_pages_render_and_hide_drafts_from_volunteers(policy_world, personas):
    w = policy_world
    officer = verified_client(personas.policy_officer)
    for url in (
        f"/policy/recommendations/{w.recommendation.pk}/",
        f"/policy/recommendations/{w.commitment.pk}/",
        f"/policy/laws/{w.plan.pk}/",
        f"/policy/reviews/{w.review.pk}/",
        f"/policy/submissions/{w.draft.pk}/",
    ):
        assert officer.get(url).status_code == 200, url
    law = officer.get(f"/policy/laws/{w.plan.pk}/").content.decode()
    assert "Internal strategy." in law and "Ministry officials asked" in law
    volunteer = verified_client(personas.volunteer)
    assert volunteer.get(f"/policy/submissions/{w.draft.pk}/").status_code == 404
    assert volunteer.get(f"/policy/submissions/{w.published.pk}/").status_code == 200
    law = volunteer.get(f"/policy/laws/{w.plan.pk}/").content.decode()
    assert "Internal strategy." not in law and "Ministry officials asked" not in law
    review = volunteer.get(f"/policy/reviews/{w.review.pk}/").content.decode()
    assert w.published.title in review and w.draft.title not in review
    # Volunteers and other staff get no write screens.
    assert volunteer.get("/policy/laws/new/").status_code == 404
    assert verified_client(personas.counsellor_a).get("/policy/reviews/new/").status_code == 404


def test_recommendation_list_filters_and_searches(policy_world, personas):
    client = verified_client(personas.policy_officer)
    page = client.get("/policy/recommendations/?q=shelter")
    assert list(page.context["page"]) == [policy_world.recommendation]
    page = client.get("/policy/recommendations/?source=plan")
    assert list(page.context["page"]) == [policy_world.commitment]
    page = client.get("/policy/recommendations/?status=partially_implemented")
    assert list(page.context["page"]) == [policy_world.recommendation]
    page = client.get("/policy/recommendations/?year=abc")
    assert page.status_code == 200 and not list(page.context["page"])


def test_the_assessment_form_records_and_refuses_a_date_before_the_recommendation(
    policy_world, personas
):
    w = policy_world
    client = verified_client(personas.policy_officer)
    url = f"/policy/recommendations/{w.recommendation.pk}/"
    response = client.post(
        url,
        {"assessed_on": "2024-01-01", "status": "implemented", "evidence": "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "cannot be dated before the recommendation" in response.content.decode()
    assert Assessment.objects.count() == 1
    response = client.post(
        url,
        {
            "assessed_on": "2025-12-01",
            "status": "implemented",
            "evidence": "The Act was amended.",
            "policies": [w.plan.pk],
            "policy_events": [w.comment.pk],
        },
    )
    assert response.status_code == 302
    w.recommendation.refresh_from_db()
    assert w.recommendation.current_status == "implemented"
    latest = w.recommendation.assessments.first()
    assert list(latest.policy_events.all()) == [w.comment]
    page = client.get(url).content.decode()
    assert "The Act was amended." in page and "Two shelters accept" in page  # history kept
    # Other staff read the history but cannot add to it.
    staff = verified_client(personas.counsellor_a)
    assert "The Act was amended." in staff.get(url).content.decode()
    assert staff.post(url, {"assessed_on": "2025-12-02"}).status_code == 403


def test_create_forms_go_through_the_services(policy_world, personas):
    w = policy_world
    client = verified_client(personas.policy_officer)
    response = client.post(
        "/policy/laws/new/",
        {
            "kind": "act",
            "title_ko": "다문화가족지원법",
            "status": "in_force",
            "responsible_body": w.ministry.pk,
        },
    )
    assert response.status_code == 302
    law = Policy.objects.get(title_ko="다문화가족지원법")
    response = client.post(
        f"/policy/laws/{law.pk}/events/new/",
        {"kind": "public_comment", "happens_on": "2026-03-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200  # no deadline
    assert "needs its deadline" in response.content.decode()
    response = client.post(
        f"/policy/laws/{law.pk}/events/new/",
        {"kind": "public_comment", "happens_on": "2026-03-01", "deadline": "2026-03-20"},
    )
    assert response.status_code == 302
    assert PolicyEvent.objects.filter(policy=law, deadline=date(2026, 3, 20)).exists()
    response = client.post(
        f"/policy/laws/{law.pk}/notes/new/", {"noted_on": "2026-03-02", "text": "Watch it."}
    )
    assert response.status_code == 302 and MonitoringNote.objects.filter(policy=law).exists()
    response = client.post(
        "/policy/reviews/new/",
        {"mechanism": w.cedaw.pk, "state": "KR", "cycle": "10th periodic report"},
    )
    assert response.status_code == 302 and Review.objects.filter(cycle__startswith="10th").exists()
    response = client.post(
        "/policy/recommendations/new/",
        {
            "source": "plan",
            "plan": w.plan.pk,
            "text": "Train immigration officers on gender-based violence.",
            "position": "none",
            "recommending_states": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Recommendation.objects.filter(source="plan").count() == 2
    response = client.post(
        "/policy/submissions/new/",
        {
            "kind": "opinion",
            "title": "Opinion on the Multicultural Families Support Act",
            "addressed_body": w.ministry.pk,
            "lead_organisation": w.centre.pk,
            "co_signers": [w.partner.pk],
            "status": "drafting",
            "language": "ko",
            "file": SimpleUploadedFile("opinion.docx", docx("의견서 본문입니다 " * 2000)),
        },
    )
    assert response.status_code == 302
    submission = Submission.objects.get(title__startswith="Opinion on the Multicultural")
    assert submission.word_count == 4000 and submission.is_joint
    page = client.get(f"/policy/submissions/{submission.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "over the limit of 5000" not in page.content.decode()
    created = AuditEvent.objects.get(
        action=AuditAction.CREATE,
        object_type="policy_monitor.submission",
        object_id=str(submission.pk),
    )
    assert "file" in created.fields and "co_signers" in created.fields


def test_edit_forms_change_only_what_changed(policy_world, personas):
    w = policy_world
    client = verified_client(personas.policy_officer)
    response = client.get(f"/policy/laws/{w.plan.pk}/edit/")
    assert response.status_code == 200
    data = {
        "kind": "national_action_plan",
        "title_ko": w.plan.title_ko,
        "title_en": w.plan.title_en,
        "number": "2023-2027",
        "responsible_body": w.ministry.pk,
        "status": "in_force",
    }
    assert client.post(f"/policy/laws/{w.plan.pk}/edit/", data).status_code == 302
    event = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="policy_monitor.policy"
    ).last()
    assert event.fields == ["number"]
    # A plan with commitments cannot stop being a plan.
    response = client.post(
        f"/policy/laws/{w.plan.pk}/edit/", {**data, "kind": "act"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "must stay a national action plan" in response.content.decode()


def test_the_policy_officer_dashboard_panel(policy_world, personas):
    page = verified_client(personas.policy_officer).get(
        "/accounts/dashboard/", HTTP_ACCEPT_LANGUAGE="en"
    )
    html = page.content.decode()
    assert "Recommendations by status" in html
    assert "Recent policy events" in html
    counsellor = verified_client(personas.counsellor_a).get(
        "/accounts/dashboard/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Recommendations by status" not in counsellor.content.decode()


def test_list_pages_keep_their_query_count(policy_world, personas, django_assert_max_num_queries):
    client = verified_client(personas.policy_officer)
    for url in ["/policy/", "/policy/laws/", "/policy/reviews/", "/policy/submissions/"]:
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200


def test_clusters_group_related_recommendations(policy_world, personas):
    client = verified_client(personas.policy_officer)
    response = client.post(
        "/policy/clusters/new/",
        {"name": "Shelter access regardless of status", "description": "CEDAW 40, UPR"},
    )
    assert response.status_code == 302
    from policy_monitor.models import Cluster

    cluster = Cluster.objects.get()
    response = client.post("/policy/clusters/new/", {"name": "Shelter access regardless of status"})
    assert response.status_code == 200  # the name is taken: shown on the form
    assert Cluster.objects.count() == 1
    client.post(
        f"/policy/recommendations/{policy_world.recommendation.pk}/edit/",
        {
            "source": "mechanism",
            "mechanism": policy_world.cedaw.pk,
            "review": policy_world.review.pk,
            "text": policy_world.recommendation.text,
            "document_symbol": "CEDAW/C/KOR/CO/9",
            "paragraph": "41",
            "issued_on": "2024-05-29",
            "position": "none",
            "cluster": cluster.pk,
        },
    )
    policy_world.recommendation.refresh_from_db()
    assert policy_world.recommendation.cluster == cluster
    page = client.get("/policy/clusters/")
    assert (
        page.status_code == 200 and "Shelter access regardless of status" in page.content.decode()
    )
    assert verified_client(personas.volunteer).get("/policy/clusters/").status_code == 200
    assert verified_client(personas.volunteer).get("/policy/clusters/new/").status_code == 404
