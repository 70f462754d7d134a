"""Demo data: the branches and one account per role. Never in production."""

from __future__ import annotations

import json
import secrets

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from ngo.accounts import services
from ngo.accounts.models import Branch, User
from ngo.accounts.roles import Role

BRANCHES = [
    ("HQ", "본부", "Head office", True, "서울 Seoul"),
    ("SEO", "서울지부", "Seoul branch", False, "서울 Seoul"),
    ("BUS", "부산지부", "Busan branch", False, "부산 Busan"),
    ("DAE", "대구지부", "Daegu branch", False, "대구 Daegu"),
    ("GWJ", "광주지부", "Gwangju branch", False, "광주 Gwangju"),
    ("DJN", "대전지부", "Daejeon branch", False, "대전 Daejeon"),
    ("GMH", "김해지부", "Gimhae branch", False, "경남 Gyeongnam"),
]

ACCOUNTS = [
    ("counsellor@demo.hamkke.kr", "김상담 Kim Sang-dam", Role.COUNSELLOR, ["SEO"]),
    ("counsellor.busan@demo.hamkke.kr", "박상담 Park Sang-dam", Role.COUNSELLOR, ["BUS"]),
    ("shelter@demo.hamkke.kr", "이쉼터 Lee Swim-teo", Role.SHELTER_WORKER, ["SEO"]),
    ("manager@demo.hamkke.kr", "최지부 Choi Ji-bu", Role.BRANCH_MANAGER, ["SEO"]),
    ("coordinator@demo.hamkke.kr", "정연대 Jung Yeon-dae", Role.CAMPAIGN_COORDINATOR, ["HQ"]),
    ("policy@demo.hamkke.kr", "한정책 Han Jeong-chaek", Role.POLICY_OFFICER, ["HQ"]),
    ("admin@demo.hamkke.kr", "오관리 Oh Gwan-ri", Role.ADMINISTRATOR, ["HQ"]),
    ("auditor@demo.hamkke.kr", "윤감사 Yoon Gam-sa", Role.AUDITOR, []),
    ("volunteer@demo.hamkke.kr", "서자원 Seo Ja-won", Role.VOLUNTEER, ["SEO"]),
]


def _logins_file():
    return settings.VAR_DIR / "demo-logins.json"


def _passwords() -> dict[str, str]:
    """One random password per demo account, made once and kept under var/."""
    path = _logins_file()
    known = json.loads(path.read_text()) if path.exists() else {}
    for email, *_rest in ACCOUNTS:
        known.setdefault(email, "demo-" + secrets.token_urlsafe(12))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(known, indent=2))
    path.chmod(0o600)
    return known


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Create what is missing; returns (role label, e-mail, password) per account."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo data cannot be loaded in production.")
    for code, name_ko, name_en, head, region in BRANCHES:
        if not Branch.objects.filter(code=code).exists():
            services.branch_create(
                actor=None,
                code=code,
                name_ko=name_ko,
                name_en=name_en,
                is_head_office=head,
                region=region,
            )
    branches = {b.code: b for b in Branch.objects.all()}
    passwords = _passwords()
    logins = []
    for email, name, role, codes in ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = services.staff_create(
                actor=None,
                email=email,
                full_name=name,
                role=role,
                branches=[branches[c] for c in codes],
                password=passwords[email],
                is_demo=True,
            )
        elif not user.check_password(passwords[email]):
            user.set_password(passwords[email])
            user.save(update_fields=["password"])
        logins.append((Role(role).label, email, passwords[email]))
    _load_app_demos()
    return logins


def _load_app_demos() -> None:
    """Each app may add its own fictional records in a `demo.py` with `load()`."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    for config in apps.get_app_configs():
        module = f"{config.name}.demo"
        if config.name != "ngo.accounts" and find_spec(module) is not None:
            import_module(module).load()
