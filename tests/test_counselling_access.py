"""The counselling access rules, persona by persona."""

import threading

import pytest
from django.db import connection

from counselling import services
from counselling.models import Case, Client, CounsellingSession, Document, Referral
from ngo import access
from ngo.access import Need
from tests.conftest import REQUIRE_SERVICES

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def cases(personas, make_case):
    """An open case and a restricted case at SEO (both by counsellor_a), one at BUS."""
    other_seo = personas.counsellor_a.__class__.objects.create_user(
        "counsellor.a2@example.org", "x" * 14, full_name="Second SEO counsellor", role="counsellor"
    )
    other_seo.branches.set(personas.counsellor_a.branches.all())
    return {
        "open": make_case(),
        "restricted": make_case(restricted=True),
        "busan": make_case(actor=personas.counsellor_b),
        "colleague": other_seo,
    }


def _visible(user, model=Case):
    return set(access.scope(user, model).values_list("pk", flat=True))


def test_counsellor_sees_her_branch_and_her_restricted_case(personas, cases):
    assert _visible(personas.counsellor_a) == {cases["open"].pk, cases["restricted"].pk}


def test_a_colleague_of_the_same_branch_does_not_see_a_restricted_case(cases):
    colleague = cases["colleague"]
    assert _visible(colleague) == {cases["open"].pk}
    # Nor the client of the restricted case.
    assert cases["restricted"].client_id not in _visible(colleague, Client)
    assert cases["open"].client_id in _visible(colleague, Client)


def test_manager_sees_restricted_cases_of_her_branch(personas, cases):
    assert _visible(personas.manager_a) == {cases["open"].pk, cases["restricted"].pk}


def test_administrator_sees_all_branches_but_restricted_only_when_assigned(personas, cases):
    assert _visible(personas.admin) == {cases["open"].pk, cases["busan"].pk}


@pytest.mark.parametrize("persona", ["coordinator", "policy_officer", "auditor", "volunteer"])
def test_roles_without_case_data_see_no_case_record_at_all(personas, cases, persona):
    user = getattr(personas, persona)
    for model in (Case, Client, CounsellingSession, Referral, Document):
        assert access.scope(user, model).count() == 0


def test_shelter_worker_reads_but_does_not_write(personas, cases):
    worker = personas.shelter_worker_a
    assert cases["open"].pk in _visible(worker)
    assert access.scope(worker, Case, Need.WRITE).count() == 0


def test_records_follow_their_case(personas, cases):
    services.session_record(actor=personas.counsellor_a, case=cases["restricted"], mode="phone")
    services.session_record(actor=personas.counsellor_b, case=cases["busan"], mode="phone")
    assert access.scope(cases["colleague"], CounsellingSession).count() == 0
    assert access.scope(personas.counsellor_a, CounsellingSession).count() == 1
    assert access.scope(personas.admin, CounsellingSession).count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql" and not REQUIRE_SERVICES,
    reason="real concurrency needs PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_intakes_get_distinct_case_codes(personas):
    from django.db import connections

    branch = personas.counsellor_a.branches.first()
    codes, errors = [], []

    def intake(n):
        try:
            _client, case = services.client_intake(
                actor=personas.counsellor_a,
                branch=branch,
                client={"name_romanised": f"Parallel {n}"},
                case={"case_types": ["other"]},
                confirm_not_duplicate=True,
            )
            codes.append(case.client.case_code)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=intake, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(codes)) == 12
    assert sorted(int(c.rsplit("-", 1)[1]) for c in codes) == list(range(1, 13))


def test_dashboard_shows_my_caseload_and_what_is_due(personas, make_case):
    from datetime import timedelta

    from django.utils import timezone

    from tests.conftest import verified_client

    case = make_case(restricted=False)
    services.risk_assess(
        actor=personas.counsellor_a, case=case, answers={"threats_to_kill": True, "weapon": True}
    )
    services.session_record(
        actor=personas.counsellor_a, case=case, mode="phone", follow_up_on=timezone.localdate()
    )
    services.case_event_add(
        actor=personas.counsellor_a,
        case=case,
        kind="court_hearing",
        starts_at=timezone.now() + timedelta(days=3),
    )
    page = verified_client(personas.counsellor_a).get("/accounts/dashboard/")
    panel = page.context["panels"][0]
    assert (
        panel["open_cases"],
        panel["high_risk"],
        panel["follow_ups_due"],
        panel["key_dates_week"],
    ) == (1, 1, 1, 1)
    assert verified_client(personas.volunteer).get("/accounts/dashboard/").context["panels"] == []


def test_administrator_sees_clients_of_every_branch_even_without_a_case(personas, cases):
    from counselling.models import Client

    loose = Client.objects.create(
        branch=cases["busan"].branch,
        case_code="BUS-0000-0001",
        name_romanised="No case yet",
        created_by=personas.admin,
    )
    visible = _visible(personas.admin, Client)
    assert loose.pk in visible
    assert cases["busan"].client_id in visible
    assert cases["restricted"].client_id not in visible  # restricted, not assigned
    assert loose.pk not in _visible(personas.counsellor_a, Client)


def test_the_case_page_reads_its_timeline_and_files_as_the_archive_wide_rule_does(
    personas, cases, settings, tmp_path
):
    """The case page asks only this case and its client's other cases, and must
    answer as the Document/CaseActivity rule does over the whole archive: for
    each persona, and for a client whose other case is restricted away."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db.models import Q

    from counselling import selectors
    from counselling.models import CaseActivity

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    counsellor = personas.counsellor_a
    shared = cases["open"]
    services.case_open(
        actor=counsellor,
        client=shared.client,
        case_types=["labour"],
        restricted=True,
        assigned=[counsellor],
    )
    services.document_upload(
        actor=counsellor,
        client=shared.client,
        uploaded_file=SimpleUploadedFile("note.pdf", PDF_BYTES),
        title="Her note",
    )
    everyone = [*personas.all().values(), cases["colleague"]]
    for case in Case.objects.all():
        rows = Q(case=case) | Q(client_id=case.client_id, case__isnull=True)
        files = Q(case=case) | Q(case__isnull=True, client_id=case.client_id)
        for user in everyone:
            if not access.can(user, case, Need.READ):
                continue
            archive_wide = set(access.scope(user, CaseActivity).filter(rows))
            assert set(selectors.case_timeline(user=user, case=case)) == archive_wide
            archive_files = set(access.scope(user, Document).filter(files))
            assert set(selectors.documents_of_case(user=user, case=case)) == archive_files
    # The colleague reads the open case, but its client has a case restricted away
    # from her: the rule shows her none of the client's records, nor does the page.
    assert access.can(cases["colleague"], shared, Need.READ)
    assert list(selectors.case_timeline(user=cases["colleague"], case=shared)) == []
    assert list(selectors.case_timeline(user=counsellor, case=shared)) != []
