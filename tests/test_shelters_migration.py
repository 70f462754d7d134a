"""The migrations that move shelters and programmes out of the counselling app
into counselling.shelters and counselling.programmes: every row stays where it
is, read through the new models, and the content types (with the permissions on
them) follow the models."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from counselling import services
from counselling.programmes.models import Attendance, ClassSession, Enrolment, Programme
from counselling.shelters.models import Bed, BedHold, BedOccupancy, Room, Shelter, Stay
from ngo.audit.services import object_type_of

BEFORE = [("counselling", "0003_bed_occupancy_exclusion"), ("shelters", None), ("programmes", None)]
# The models as they were, with the content types and permissions of that time.
BEFORE_STATE = [
    ("counselling", "0003_bed_occupancy_exclusion"),
    ("contenttypes", "0002_remove_content_type_name"),
    ("auth", "0012_alter_user_first_name_max_length"),
]
AFTER = [("shelters", "0002_content_types"), ("programmes", "0002_content_types")]
SHELTER_MODELS = ["shelter", "room", "bed", "stay", "bedoccupancy", "bedhold"]
PROGRAMME_MODELS = ["programme", "classsession", "enrolment", "attendance"]
ADDRESS = "서울 비공개 주소 12"


def _fill(old_apps, *, case, child, staff) -> dict:
    """One of every moved record, written through the models as they were."""
    model = lambda name: old_apps.get_model("counselling", name)  # noqa: E731
    today = timezone.localdate()
    shelter = model("Shelter").objects.create(
        branch_id=case.branch_id, name="Old home", address=ADDRESS
    )
    room = model("Room").objects.create(shelter=shelter, name="101")
    bed, spare = (model("Bed").objects.create(room=room, label=label) for label in ("A", "B"))
    stay = model("Stay").objects.create(
        client_id=case.client_id,
        case_id=case.pk,
        shelter=shelter,
        bed=bed,
        admitted_on=today - timedelta(days=3),
        expected_leave_on=today + timedelta(days=30),
        children_count=1,
        discharge_notes="비밀",
        created_by_id=staff.pk,
    )
    stay.children.add(child.pk)
    model("BedOccupancy").objects.create(stay=stay, bed=bed, starts_on=stay.admitted_on)
    hold = model("BedHold").objects.create(
        bed=spare,
        case_id=case.pk,
        held_by_id=staff.pk,
        expires_at=timezone.now() + timedelta(hours=2),
    )
    programme = model("Programme").objects.create(
        branch_id=case.branch_id,
        title_ko="한국어",
        title_en="Korean",
        kind="korean",
        facilitator_id=staff.pk,
        language="ko",
        starts_on=today,
    )
    session = model("ClassSession").objects.create(programme=programme, starts_at=timezone.now())
    enrolment = model("Enrolment").objects.create(programme=programme, client_id=case.client_id)
    member = model("Enrolment").objects.create(programme=programme, member_name="Park Mi")
    attendance = model("Attendance").objects.create(
        enrolment=enrolment, session=session, present=True, recorded_by_id=staff.pk
    )
    return {
        "shelter": shelter.pk,
        "room": room.pk,
        "beds": sorted([bed.pk, spare.pk]),
        "stay": stay.pk,
        "hold": hold.pk,
        "programme": programme.pk,
        "session": session.pk,
        "enrolments": sorted([enrolment.pk, member.pk]),
        "attendance": attendance.pk,
    }


def _permission_on(old_apps, model_name: str):
    """An admin-site permission on a moved model, held by a group, as the role
    group migrations leave them."""
    OldContentType = old_apps.get_model("contenttypes", "ContentType")
    OldPermission = old_apps.get_model("auth", "Permission")
    OldGroup = old_apps.get_model("auth", "Group")
    content_type, _ = OldContentType.objects.get_or_create(
        app_label="counselling", model=model_name
    )
    permission, _ = OldPermission.objects.get_or_create(
        content_type=content_type, codename=f"view_{model_name}", defaults={"name": "Can view"}
    )
    group, _ = OldGroup.objects.get_or_create(name="administrator")
    group.permissions.add(permission)
    return permission.pk


# Moves rows between apps: the dates are only data that must arrive unchanged.
@pytest.mark.dates_as_data
@pytest.mark.django_db(transaction=True)
def test_shelter_and_programme_rows_survive_the_move(personas, make_case):
    case = make_case(name_romanised="Moved Client")
    child = services.child_add(actor=personas.counsellor_a, client=case.client, first_name="Minh")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old_apps = executor.loader.project_state(BEFORE_STATE).apps
        ids = _fill(old_apps, case=case, child=child, staff=personas.manager_a)
        permissions = {name: _permission_on(old_apps, name) for name in ("stay", "programme")}

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        # Read through today's models: the later migrations of counselling too.
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
        ContentType.objects.clear_cache()

        shelter = Shelter.objects.get(pk=ids["shelter"])
        assert shelter.address == ADDRESS  # the encrypted field still decrypts
        with connection.cursor() as cursor:
            cursor.execute("SELECT address FROM counselling_shelter WHERE id = %s", [shelter.pk])
            assert ADDRESS not in str(cursor.fetchone()[0])
        assert Room.objects.get(pk=ids["room"]).shelter == shelter
        assert (
            sorted(Bed.objects.filter(room__shelter=shelter).values_list("pk", flat=True))
            == ids["beds"]
        )
        stay = Stay.objects.get(pk=ids["stay"])
        assert (stay.case, stay.client, stay.shelter) == (case, case.client, shelter)
        assert list(stay.children.all()) == [child]
        assert stay.discharge_notes == "비밀"
        assert BedOccupancy.objects.get(stay=stay).bed_id == stay.bed_id
        assert BedHold.objects.get(pk=ids["hold"]).case == case
        programme = Programme.objects.get(pk=ids["programme"])
        assert programme.facilitator == personas.manager_a
        assert ClassSession.objects.get(pk=ids["session"]).programme == programme
        enrolments = Enrolment.objects.filter(programme=programme).order_by("pk")
        assert [e.pk for e in enrolments] == ids["enrolments"]
        assert enrolments[1].member_name == "Park Mi"
        assert Attendance.objects.get(pk=ids["attendance"]).enrolment == enrolments[0]

        # The content types moved with their models, and the permissions with them.
        moved = SHELTER_MODELS + PROGRAMME_MODELS
        assert not ContentType.objects.filter(app_label="counselling", model__in=moved).exists()
        assert ContentType.objects.get_for_model(Stay).app_label == "shelters"
        assert ContentType.objects.get_for_model(Programme).app_label == "programmes"
        administrators = Group.objects.get(name="administrator")
        for name, label in (("stay", "shelters"), ("programme", "programmes")):
            permission = Permission.objects.get(pk=permissions[name])
            assert permission.content_type.app_label == label
            assert administrators.permissions.filter(pk=permission.pk).exists()
        # Their audit trail keeps the object type it always had.
        assert object_type_of(stay) == "counselling.stay"
        assert object_type_of(Programme) == "counselling.programme"

        # The new models' state names the tables and constraints the database has.
        moved_models = [Shelter, Room, Bed, Stay, BedOccupancy, BedHold]
        moved_models += [Programme, ClassSession, Enrolment, Attendance]
        tables = set(connection.introspection.table_names())
        assert Stay.children.through._meta.db_table == "counselling_stay_children"
        with connection.cursor() as cursor:
            for model in moved_models:
                assert model._meta.db_table in tables
                found = connection.introspection.get_constraints(cursor, model._meta.db_table)
                for constraint in model._meta.constraints:
                    assert constraint.name in found, (model.__name__, constraint.name)

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM pg_constraint WHERE conname = 'bed_occupancy_no_overlap'"
                )
                assert cursor.fetchone() is not None

        # And back: the rows are still there for the models as they were.
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        back = executor.loader.project_state(BEFORE_STATE).apps
        assert (
            back.get_model("counselling", "Stay").objects.get(pk=ids["stay"]).children.count() == 1
        )
        assert ContentType.objects.filter(app_label="counselling", model="stay").exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
        ContentType.objects.clear_cache()
