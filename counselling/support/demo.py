"""Fictional services given, with their costs, for the quick start."""

from datetime import timedelta

from django.utils import timezone

from counselling.models import Case
from counselling.support import services
from counselling.support.models import ServiceGiven
from ngo.accounts.models import User
from ngo.directory.models import Organisation


def load() -> None:
    if ServiceGiven.objects.exists():
        return
    counsellor = User.objects.get(email="counsellor@demo.hamkke.kr")
    cases = list(Case.objects.filter(branch__in=counsellor.branches.all()).order_by("pk")[:2])
    if not cases:
        return
    today = timezone.localdate()
    hospital = Organisation.objects.filter(kind="hospital").first()
    entries = [
        {"kind": "medical", "organisation": hospital, "cost_krw": 85000, "paid_by": "centre"},
        {"kind": "interpreting", "provider_name": "Interpreter pool (demo)", "cost_krw": 40000},
        {
            "kind": "legal_aid",
            "provider_name": "Public-interest lawyer (demo)",
            "cost_krw": 0,
            "paid_by": "provider_free",
        },
        {"kind": "emergency_money", "cost_krw": 300000, "paid_by": "public_fund"},
        {"kind": "childcare", "status": "planned", "cost_krw": 120000},
    ]
    for index, values in enumerate(entries):
        services.service_add(
            actor=counsellor,
            case=cases[index % len(cases)],
            given_on=today - timedelta(days=20 - index * 3),
            **values,
        )
