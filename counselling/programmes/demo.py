"""A fictional programme for the quick start (never in production): a Korean
class run by the demo volunteer, with two clients and a community member."""

from datetime import timedelta

from django.utils import timezone

from counselling.models import Client
from counselling.programmes import services
from counselling.programmes.models import Programme
from ngo.accounts.models import User


def load() -> None:
    if Programme.objects.exists():
        return
    manager = User.objects.get(email="manager@demo.hamkke.kr")
    volunteer = User.objects.get(email="volunteer@demo.hamkke.kr")
    programme = services.programme_create(
        actor=manager,
        branch=manager.branches.first(),
        title_ko="한국어 초급 (데모)",
        title_en="Korean for beginners (demo)",
        kind="korean",
        facilitator=volunteer,
        language="ko",
        interpreter_available=True,
        completion_threshold=75,
        starts_on=timezone.localdate() - timedelta(days=14),
    )
    now = timezone.now()
    for days in (14, 7, 0, -7, -14):
        services.class_session_add(
            actor=volunteer,
            programme=programme,
            starts_at=now - timedelta(days=days, hours=1),
            place="Room 3",
        )
    for client in Client.objects.filter(branch=manager.branches.first())[:2]:
        services.enrol(actor=manager, programme=programme, client=client)
    services.enrol(actor=volunteer, programme=programme, member_name="Community member (demo)")
