"""A fictional shelter for the quick start (never in production): two rooms, and
the demo client with a child staying there. Runs after the counselling demo."""

from datetime import timedelta

from django.utils import timezone

from counselling.models import Case
from counselling.shelters import bed_requests, services
from counselling.shelters.models import Shelter
from ngo.accounts.models import User

# The counselling demo's client who comes to the shelter with her child.
RESIDENT = "Nguyen Thi Hoa"


def load() -> None:
    if Shelter.objects.exists():
        return
    case = Case.objects.filter(client__name_romanised=RESIDENT).order_by("pk").first()
    if case is None:
        return
    manager = User.objects.get(email="manager@demo.hamkke.kr")
    shelter = services.shelter_create(
        actor=manager,
        branch=case.branch,
        name="Seoul shelter",
        public_name="Shelter in Seoul",
        address="Confidential (demo)",
        max_stay_days=180,
        hold_hours=2,
    )
    beds = []
    for room_name in ("101", "102"):
        room = services.room_create(actor=manager, shelter=shelter, name=room_name)
        beds += [services.bed_create(actor=manager, room=room, label=label) for label in "AB"]
        beds.append(services.bed_create(actor=manager, room=room, label="C1", kind="cot"))
    worker = User.objects.get(email="shelter@demo.hamkke.kr")
    children = list(case.client.children.all())
    services.stay_admit(
        actor=worker,
        case=case,
        bed=beds[0],
        admitted_on=timezone.localdate() - timedelta(days=12),
        children=children,
        cots=[beds[2]][: len(children)],
    )
    services.bed_hold(actor=worker, bed=beds[3], note="Referral from the hotline (demo)")
    _request_from_busan(shelter)


def _request_from_busan(shelter) -> None:
    """Busan has no shelter: its counsellor asks Seoul's for a bed tonight."""
    counsellor = User.objects.filter(email="counsellor.busan@demo.hamkke.kr").first()
    case = Case.objects.filter(branch__code="BUS").exclude(status="closed").order_by("pk").first()
    if counsellor is None or case is None:
        return
    bed_requests.bed_request_create(
        actor=counsellor,
        case=case,
        shelter=shelter,
        from_date=timezone.localdate(),
        reason="Her husband found the flat; she cannot stay in Busan tonight (demo).",
        urgency="tonight",
    )
