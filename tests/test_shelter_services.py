"""Shelter stays, bed holds, occupancy and programmes, at the service level."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from counselling import services
from counselling.programmes import selectors as programme_selectors
from counselling.programmes import services as ps
from counselling.programmes.models import Enrolment
from counselling.shelters import selectors
from counselling.shelters import services as ss
from counselling.shelters.models import BedHold, BedOccupancy, Stay
from counselling.shelters.tasks import release_expired_bed_holds
from ngo import access
from tests.conftest import REQUIRE_SERVICES


@pytest.fixture
def woman(make_case, personas):
    case = make_case()
    services.child_add(actor=personas.counsellor_a, client=case.client, first_name="Mai", age=4)
    return case


def test_admission_defaults_the_leave_date_and_frees_the_bed_on_discharge(personas, shelter, woman):
    bed = shelter.test_beds["a"]
    child = woman.client.children.get()
    stay = ss.stay_admit(actor=personas.shelter_worker_a, case=woman, bed=bed, children=[child])
    assert stay.expected_leave_on == stay.admitted_on + timedelta(days=90)
    assert stay.children_count == 1
    assert (
        selectors.shelter_board(user=personas.shelter_worker_a, shelter=shelter)["counts"][
            "occupied"
        ]
        == 1
    )
    ss.stay_discharge(actor=personas.shelter_worker_a, stay=stay, destination="independent")
    board = selectors.shelter_board(user=personas.shelter_worker_a, shelter=shelter)
    assert board["counts"] == {"free": 4, "held": 0, "occupied": 0, "out_of_service": 0}


@pytest.mark.parametrize(
    "problem",
    ["occupied", "out_of_service", "children", "second_stay", "future", "closed_case"],
)
def test_bad_admissions_are_refused_and_nothing_is_saved(
    personas, shelter, woman, make_case, problem
):
    beds = shelter.test_beds
    worker = personas.shelter_worker_a
    kwargs = {"actor": worker, "case": woman, "bed": beds["a"]}
    if problem == "occupied":
        ss.stay_admit(actor=worker, case=make_case(), bed=beds["a"])
    elif problem == "out_of_service":
        ss.bed_set_out_of_service(actor=worker, bed=beds["a"], out_of_service=True)
    elif problem == "children":
        kwargs["children_count"] = 2  # one child on record
    elif problem == "second_stay":
        ss.stay_admit(actor=worker, case=woman, bed=beds["b"])
    elif problem == "future":
        kwargs["admitted_on"] = timezone.localdate() + timedelta(days=1)
    elif problem == "closed_case":
        services.case_change_status(
            actor=personas.counsellor_a, case=woman, to="closed", closure_reason="resolved"
        )
    before = Stay.objects.count()
    with pytest.raises(ValidationError):
        ss.stay_admit(**kwargs)
    assert Stay.objects.count() == before


def test_discharge_before_admission_is_refused(personas, shelter, woman):
    stay = ss.stay_admit(
        actor=personas.shelter_worker_a,
        case=woman,
        bed=shelter.test_beds["a"],
        admitted_on=timezone.localdate() - timedelta(days=3),
    )
    with pytest.raises(ValidationError) as error:
        ss.stay_discharge(
            actor=personas.shelter_worker_a,
            stay=stay,
            destination="home",
            discharged_on=stay.admitted_on - timedelta(days=1),
        )
    assert "discharged_on" in error.value.message_dict
    stay.refresh_from_db()
    assert stay.discharged_on is None


def test_bed_move_keeps_the_history(personas, shelter, woman):
    worker = personas.shelter_worker_a
    stay = ss.stay_admit(
        actor=worker,
        case=woman,
        bed=shelter.test_beds["a"],
        admitted_on=timezone.localdate() - timedelta(days=5),
    )
    ss.stay_move(actor=worker, stay=stay, bed=shelter.test_beds["c"])
    history = list(stay.occupancies.values_list("bed__room__name", "ends_on"))
    assert history == [("101", timezone.localdate()), ("102", None)]
    stay.refresh_from_db()
    assert stay.bed == shelter.test_beds["c"]


def test_a_held_bed_waits_for_its_case_and_lapses_by_itself(personas, shelter, woman, make_case):
    worker = personas.shelter_worker_a
    bed = shelter.test_beds["b"]
    hold = ss.bed_hold(actor=worker, bed=bed, case=woman, note="arriving by train")
    assert timedelta(hours=1, minutes=59) < hold.expires_at - timezone.now() <= timedelta(hours=2)
    other = make_case()
    with pytest.raises(ValidationError):
        ss.stay_admit(actor=worker, case=other, bed=bed)
    board = selectors.shelter_board(user=worker, shelter=shelter)
    assert board["counts"]["held"] == 1
    # Time passes: the hold lapses and the periodic task releases it.
    BedHold.objects.filter(pk=hold.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert selectors.shelter_board(user=worker, shelter=shelter)["counts"]["held"] == 0
    assert release_expired_bed_holds.apply().get() == 1
    assert release_expired_bed_holds.apply().get() == 0  # idempotent
    hold.refresh_from_db()
    assert hold.released_at is not None
    ss.stay_admit(actor=worker, case=other, bed=bed)


def test_the_held_case_is_admitted_to_its_bed_and_the_hold_ends(personas, shelter, woman):
    bed = shelter.test_beds["b"]
    hold = ss.bed_hold(actor=personas.shelter_worker_a, bed=bed, case=woman)
    ss.stay_admit(actor=personas.shelter_worker_a, case=woman, bed=bed)
    hold.refresh_from_db()
    assert hold.released_at is not None


def test_occupancy_rate_counts_bed_nights(personas, shelter, make_case):
    today = timezone.localdate()
    first = today.replace(day=1)
    worker = personas.shelter_worker_a
    stay = ss.stay_admit(
        actor=worker, case=make_case(), bed=shelter.test_beds["a"], admitted_on=first
    )
    nights = (today - first).days
    if nights:
        ss.stay_discharge(actor=worker, stay=stay, destination="home", discharged_on=today)
    rate = selectors.occupancy_rate(shelter=shelter, year=today.year, month=today.month)
    import calendar

    days = calendar.monthrange(today.year, today.month)[1]
    expected_nights = nights if nights else 1  # still there tonight
    assert rate["bed_nights"] == expected_nights
    assert rate["capacity"] == 4 * days
    assert rate["rate"] == round(100 * expected_nights / (4 * days), 1)


def test_shelter_scope_by_persona(personas, shelter, woman):
    ss.stay_admit(actor=personas.shelter_worker_a, case=woman, bed=shelter.test_beds["a"])
    assert access.scope(personas.shelter_worker_a, Stay).count() == 1
    assert access.scope(personas.counsellor_a, Stay).count() == 1  # her case
    assert access.scope(personas.counsellor_a, Stay, access.Need.WRITE).count() == 0
    for persona in ("counsellor_b", "volunteer", "coordinator", "auditor"):
        assert access.scope(getattr(personas, persona), Stay).count() == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql" and not REQUIRE_SERVICES,
    reason="the exclusion constraint exists on PostgreSQL",
)
def test_database_refuses_overlapping_occupancies(personas, shelter, woman, make_case):
    stay = ss.stay_admit(actor=personas.shelter_worker_a, case=woman, bed=shelter.test_beds["a"])
    other = ss.stay_admit(
        actor=personas.shelter_worker_a, case=make_case(), bed=shelter.test_beds["b"]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        # Bypassing the services: the database itself says no.
        BedOccupancy.objects.create(
            stay=other,
            bed=stay.bed,
            starts_on=stay.admitted_on + timedelta(days=1),
            ends_on=stay.admitted_on + timedelta(days=3),
        )


@pytest.mark.skipif(
    connection.vendor != "postgresql" and not REQUIRE_SERVICES,
    reason="real concurrency needs PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_admissions_to_the_last_bed_make_one_stay(personas, shelter, make_case):
    from django.db import connections

    bed = shelter.test_beds["a"]
    for other in ("b", "c"):
        ss.bed_set_out_of_service(
            actor=personas.admin, bed=shelter.test_beds[other], out_of_service=True
        )
    cases = [make_case() for _ in range(20)]
    barrier = threading.Barrier(20)
    results, errors = [], []

    def admit(case):
        try:
            barrier.wait(timeout=30)
            ss.stay_admit(actor=personas.shelter_worker_a, case=case, bed=bed)
            results.append(case.pk)
        except ValidationError:
            errors.append(case.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=admit, args=(case,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 1
    assert len(errors) == 19
    assert Stay.objects.filter(bed=bed).count() == 1
    assert BedOccupancy.objects.filter(bed=bed).count() == 1


# --- Programmes ----------------------------------------------------------------------------


def test_enrolment_attendance_and_completion(personas, programme, make_case):
    now = timezone.now()
    facilitator = personas.volunteer
    held = [
        ps.class_session_add(
            actor=facilitator, programme=programme, starts_at=now - timedelta(days=d)
        )
        for d in (14, 7)
    ]
    ps.class_session_add(actor=facilitator, programme=programme, starts_at=now + timedelta(days=7))
    member = ps.enrol(
        actor=facilitator, programme=programme, member_name="Lan", member_contact="010-1111-2222"
    )
    client = ps.enrol(actor=personas.manager_a, programme=programme, client=make_case().client)
    with pytest.raises(ValidationError):
        ps.enrol(actor=facilitator, programme=programme, client=client.client)
    ps.attendance_record(
        actor=facilitator, session=held[0], present={member.pk: True, client.pk: True}
    )
    ps.attendance_record(
        actor=facilitator, session=held[1], present={member.pk: True, client.pk: False}
    )
    member.refresh_from_db()
    client.refresh_from_db()
    # 3 classes planned, threshold 50%: 2 of 3 completes, 1 of 3 does not.
    assert member.status == "completed"
    assert client.status == "enrolled"
    sheet = programme_selectors.attendance_sheet(programme=programme)
    assert [row["marks"] for row in sheet["rows"]] == [[True, True, None], [True, False, None]]


def test_attendance_for_a_class_that_has_not_happened_is_refused(personas, programme):
    future = ps.class_session_add(
        actor=personas.volunteer, programme=programme, starts_at=timezone.now() + timedelta(hours=2)
    )
    member = ps.enrol(actor=personas.volunteer, programme=programme, member_name="Lan")
    with pytest.raises(ValidationError):
        ps.attendance_record(actor=personas.volunteer, session=future, present={member.pk: True})
    assert not member.attendances.exists()


def test_enrolment_needs_a_client_or_a_member_not_both(personas, programme, make_case):
    with pytest.raises(ValidationError):
        ps.enrol(actor=personas.volunteer, programme=programme)
    with pytest.raises(ValidationError):
        ps.enrol(
            actor=personas.volunteer,
            programme=programme,
            client=make_case().client,
            member_name="Also someone",
        )
    assert Enrolment.objects.count() == 0


def test_facilitator_manages_her_programme_without_seeing_cases(personas, programme):
    volunteer = personas.volunteer
    assert access.can(volunteer, programme, access.Need.WRITE)
    assert not access.can(personas.counsellor_b, programme, access.Need.READ)
    assert access.can(personas.counsellor_a, programme, access.Need.READ)
    assert not access.can(personas.counsellor_a, programme, access.Need.WRITE)


def test_shelters_and_programmes_are_created_only_at_ones_own_branch(personas, branch_b):
    with pytest.raises(ValidationError):
        ss.shelter_create(actor=personas.manager_a, branch=branch_b, name="Busan shelter")
    with pytest.raises(ValidationError):
        ps.programme_create(
            actor=personas.manager_a,
            branch=branch_b,
            title_ko="가",
            title_en="A",
            kind="korean",
            facilitator=personas.manager_a,
            language="ko",
            starts_on=timezone.localdate(),
        )
    assert ss.shelter_create(actor=personas.admin, branch=branch_b, name="Busan shelter")


def test_facilitator_finds_her_programmes_on_the_home_page(personas, programme):
    from tests.conftest import verified_client

    page = verified_client(personas.volunteer).get("/accounts/dashboard/")
    panels = page.context["panels"]
    assert [p["programmes"] for p in panels] == [[programme]]
    assert f"/counselling/programmes/{programme.pk}/" in page.content.decode()
    assert (
        verified_client(personas.volunteer)
        .get(f"/counselling/programmes/{programme.pk}/")
        .status_code
        == 200
    )
