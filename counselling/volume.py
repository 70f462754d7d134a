"""Volume data: clients, cases and everything on them, over the years of the
archive, in the proportions of the centre's own reports (most women are marriage
migrants from Vietnam, China and the Philippines; about half the cases are
domestic violence; most cases close within a year or two)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db import connection

from counselling.models import (
    Case,
    CaseActivity,
    CaseCodeCounter,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    CaseStatusChange,
    CaseType,
    Child,
    Client,
    ClosureReason,
    Consent,
    ConsentPurpose,
    CounsellingSession,
    Document,
    MaritalStatus,
    Referral,
    ResidenceStatus,
    RiskAssessment,
    RiskLevel,
    SafetyPlan,
    Service,
    SessionMode,
    phone_index_of,
    residence_index_of,
)
from ngo.accounts.roles import Role
from ngo.audit.services import object_type_of
from ngo.lib import private_files
from ngo.volume import spread, weighted

ORDER = 30

BRANCH_WEIGHTS = {"SEO": 30, "BUS": 20, "DAE": 12, "GWJ": 12, "DJN": 10, "GMH": 16}
NATIONALITIES = {
    "VN": (38, ["vi", "ko"]),
    "CN": (20, ["zh", "ko"]),
    "PH": (10, ["tl", "en"]),
    "KH": (7, ["km"]),
    "TH": (5, ["th"]),
    "UZ": (4, ["uz", "ru"]),
    "MN": (3, ["mn"]),
    "NP": (3, ["ne"]),
    "JP": (2, ["ja"]),
    "ID": (2, ["id"]),
    "LK": (1, ["si"]),
    "RU": (1, ["ru"]),
    "KG": (1, ["ky", "ru"]),
    "BD": (1, ["bn"]),
    "MM": (1, ["my"]),
    "US": (1, ["en"]),
}
RESIDENCE = {
    ResidenceStatus.F6: 45,
    ResidenceStatus.NATURALISED: 12,
    ResidenceStatus.E9: 10,
    ResidenceStatus.H2: 5,
    ResidenceStatus.UNDOCUMENTED: 8,
    ResidenceStatus.G1: 3,
    ResidenceStatus.E62: 2,
    ResidenceStatus.D2: 3,
    ResidenceStatus.OTHER: 12,
}
MARITAL = {
    MaritalStatus.MARRIED: 40,
    MaritalStatus.SEPARATED: 15,
    MaritalStatus.DIVORCE_PENDING: 12,
    MaritalStatus.DIVORCED: 15,
    MaritalStatus.SINGLE: 10,
    MaritalStatus.UNKNOWN: 8,
}
CASE_TYPES = {
    CaseType.DOMESTIC_VIOLENCE: 47,
    CaseType.FAMILY_LAW: 15,
    CaseType.RESIDENCE: 12,
    CaseType.LABOUR: 10,
    CaseType.SEXUAL_VIOLENCE: 6,
    CaseType.HEALTH: 5,
    CaseType.TRAFFICKING: 2,
    CaseType.OTHER: 3,
}
RISK = {RiskLevel.NONE: 45, RiskLevel.LOW: 25, RiskLevel.MEDIUM: 17, RiskLevel.HIGH: 10}
RISK[RiskLevel.SEVERE] = 3
MODES = {
    SessionMode.IN_PERSON: 40,
    SessionMode.PHONE: 30,
    SessionMode.HOTLINE: 8,
    SessionMode.ONLINE: 8,
    SessionMode.HOME_VISIT: 4,
    SessionMode.ACCOMPANY_COURT: 3,
    SessionMode.ACCOMPANY_POLICE: 2,
    SessionMode.ACCOMPANY_HOSPITAL: 3,
    SessionMode.ACCOMPANY_IMMIGRATION: 2,
}
SERVICES = {
    Service.COUNSELLING: 60,
    Service.LEGAL_ADVICE: 20,
    Service.PSYCHOLOGICAL: 8,
    Service.MEDICAL: 5,
    Service.POSTNATAL: 2,
    Service.EDUCATION: 3,
    Service.EMERGENCY_FINANCIAL: 2,
}
CLOSURE = {
    ClosureReason.RESOLVED: 55,
    ClosureReason.LOST_CONTACT: 15,
    ClosureReason.CLIENT_WITHDREW: 10,
    ClosureReason.REFERRED: 12,
    ClosureReason.LEFT_KOREA: 6,
    ClosureReason.OTHER: 2,
}
EVENTS = {
    CaseEventKind.COURT_HEARING: 35,
    CaseEventKind.IMMIGRATION_APPOINTMENT: 25,
    CaseEventKind.VISA_DEADLINE: 15,
    CaseEventKind.POLICE_INTERVIEW: 10,
    CaseEventKind.MEDICAL_APPOINTMENT: 10,
    CaseEventKind.OTHER: 5,
}
SCORES = {
    RiskLevel.LOW: (1, 4),
    RiskLevel.MEDIUM: (5, 8),
    RiskLevel.HIGH: (9, 12),
    RiskLevel.SEVERE: (13, 18),
}


def seed(plan) -> None:
    clients = _clients(plan)
    cases = _cases(plan, clients)
    _sessions(plan, cases, clients)
    _consents(plan, clients)
    _risk_and_plans(plan, cases)
    _events(plan, cases)
    _referrals(plan, cases)
    _documents(plan, cases)
    _timeline(plan)
    plan.made["clients"] = clients
    plan.made["cases"] = cases


def _counsellors(plan, branch_id) -> list[int]:
    return plan.made["staff"][branch_id][Role.COUNSELLOR]


def _clients(plan) -> dict:
    """{client id: (branch id, first contact date, languages)}."""
    volume, rng, writer = plan.volume, plan.rng, plan.writer
    codes = {b.code: b.id for b in plan.made["branches"].values()}
    branch_weights = {codes[code]: w for code, w in BRANCH_WEIGHTS.items() if code in codes}
    earliest = plan.today - timedelta(days=365 * volume.years)
    counters: dict[tuple[int, int], int] = defaultdict(int)
    existing = {(c.branch_id, c.year): c.last_number for c in CaseCodeCounter.objects.all()}
    nationality_weights = {code: weight for code, (weight, _langs) in NATIONALITIES.items()}
    made, rows = {}, []
    for client_id in writer.ids(Client, volume.clients):
        branch_id = weighted(rng, branch_weights)
        first = plan.day(earliest, plan.today)
        year = first.year
        counters[(branch_id, year)] += 1
        number = existing.get((branch_id, year), 0) + counters[(branch_id, year)]
        code = plan.made["branches"][branch_id].code
        nationality = weighted(rng, nationality_weights)
        languages = NATIONALITIES[nationality][1]
        phone = f"010-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
        age = rng.randint(19, 58)
        rows.append(
            writer.row(
                Client,
                id=client_id,
                branch_id=branch_id,
                case_code=f"{code}-{year}-{number:04d}",
                name_original=f"Client {client_id}",
                name_romanised=f"Client {client_id}",
                birth_date=first.replace(year=first.year - age, day=min(first.day, 28)),
                nationality=nationality,
                languages=languages,
                interpreter_needed=rng.random() < 0.4,
                residence_status=(status := weighted(rng, RESIDENCE)),
                residence_status_index=residence_index_of(status),
                visa_expiry=plan.day(first, first + timedelta(days=900)),
                marital_status=weighted(rng, MARITAL),
                phone=phone,
                phone_index=phone_index_of(phone),
                address=f"Address of client {client_id}",
                safe_contact="Text only, after 10" if rng.random() < 0.2 else None,
                narrative=f"Background of client {client_id}.",
                created_by_id=rng.choice(_counsellors(plan, branch_id)),
                created_at=plan.moment(first, first),
            )
        )
        made[client_id] = (branch_id, first, languages[0])
    writer.insert(Client, rows)
    for (branch_id, year), count in counters.items():
        number = existing.get((branch_id, year), 0) + count
        CaseCodeCounter.objects.update_or_create(
            branch_id=branch_id, year=year, defaults={"last_number": number}
        )
    children = []
    for client_id, (_branch, first, _language) in made.items():
        if rng.random() < 0.4:
            for _ in range(rng.choice((1, 1, 2, 3))):
                born = plan.day(first - timedelta(days=365 * 12), plan.today)
                children.append(
                    writer.row(Child, client_id=client_id, first_name="Child", birth_date=born)
                )
    writer.add(Child, children)
    return made


def _cases(plan, clients) -> dict:
    """{case id: (client id, branch id, opened, closed or None, status, counsellors)}."""
    volume, rng, writer, today = plan.volume, plan.rng, plan.writer, plan.today
    per_client = spread(rng, volume.cases, len(clients))
    made, rows, links, changes = {}, [], [], []
    case_ids = iter(writer.ids(Case, volume.cases))
    for (client_id, (branch_id, first, _language)), count in zip(
        clients.items(), per_client, strict=True
    ):
        opened = first
        for _ in range(count):
            case_id = next(case_ids)
            age = (today - opened).days
            if age > 730:
                status = CaseStatus.CLOSED if rng.random() < 0.97 else CaseStatus.ACTIVE
            elif age < 45:
                status = CaseStatus.INTAKE if rng.random() < 0.4 else CaseStatus.ACTIVE
            else:
                status = CaseStatus.CLOSED if rng.random() < 0.6 else CaseStatus.ACTIVE
            closed = None
            if status == CaseStatus.CLOSED:
                closed = min(opened + timedelta(days=rng.randint(7, 540)), today)
            counsellors = _counsellors(plan, branch_id)
            staff = rng.sample(counsellors, min(len(counsellors), 2 if rng.random() < 0.2 else 1))
            types = sorted({weighted(rng, CASE_TYPES) for _ in range(rng.choice((1, 1, 2)))})
            rows.append(
                writer.row(
                    Case,
                    id=case_id,
                    client_id=client_id,
                    branch_id=branch_id,
                    case_types=types,
                    status=status,
                    risk_level=weighted(rng, RISK),
                    opened_on=opened,
                    closed_on=closed,
                    closure_reason=weighted(rng, CLOSURE) if closed else "",
                    closure_note=f"Closed: case {case_id}" if closed else None,
                    restricted=rng.random() < 0.03,
                    summary=f"Summary of case {case_id}.",
                    created_by_id=staff[0],
                    created_at=plan.moment(opened, opened),
                    updated_at=plan.moment(closed or opened, closed or opened),
                )
            )
            for user_id in staff:
                links.append({"case_id": case_id, "user_id": user_id})
            changes.append((case_id, "", CaseStatus.INTAKE, opened, staff[0], ""))
            if status != CaseStatus.INTAKE:
                started = min(opened + timedelta(days=rng.randint(0, 14)), closed or today)
                changes.append(
                    (case_id, CaseStatus.INTAKE, CaseStatus.ACTIVE, started, staff[0], "")
                )
            if closed:
                reason = rows[-1]["closure_reason"]
                changes.append(
                    (case_id, CaseStatus.ACTIVE, CaseStatus.CLOSED, closed, staff[0], reason)
                )
            made[case_id] = (client_id, branch_id, opened, closed, status, staff)
            opened = min(opened + timedelta(days=rng.randint(30, 900)), today)
    writer.insert(Case, rows)
    through = Case.assigned.through
    writer.add(through, links)
    writer.insert(
        CaseStatusChange,
        (
            writer.row(
                CaseStatusChange,
                id=change_id,
                case_id=case_id,
                from_status=before,
                to_status=after,
                changed_by_id=actor,
                changed_at=plan.moment(day, day),
                reason=reason,
            )
            for change_id, (case_id, before, after, day, actor, reason) in zip(
                writer.ids(CaseStatusChange, len(changes)), changes, strict=True
            )
        ),
    )
    return made


def _sessions(plan, cases, clients) -> None:
    volume, rng, writer, now = plan.volume, plan.rng, plan.writer, plan.now
    per_case = spread(rng, volume.sessions, len(cases))
    session_ids = iter(writer.ids(CounsellingSession, volume.sessions))

    def rows():
        for (case_id, (client_id, _b, opened, closed, status, staff)), count in zip(
            cases.items(), per_case, strict=True
        ):
            language = clients[client_id][2]
            until = closed or plan.today
            for number in range(count):
                started = plan.moment(opened, until) if until > opened else plan.moment(opened, now)
                started = min(started, now)
                last_open = number == count - 1 and status != CaseStatus.CLOSED
                yield writer.row(
                    CounsellingSession,
                    id=next(session_ids),
                    case_id=case_id,
                    started_at=started,
                    duration_minutes=rng.choice((30, 45, 60, 60, 90, 120)),
                    mode=weighted(rng, MODES),
                    language=language,
                    staff_id=rng.choice(staff),
                    services=[weighted(rng, SERVICES)],
                    notes=f"Notes of session {number + 1} of case {case_id}.",
                    follow_up_on=(plan.today + timedelta(days=rng.randint(1, 30)))
                    if last_open
                    else None,
                    created_at=started,
                )

    writer.insert(CounsellingSession, rows())


def _consents(plan, clients) -> None:
    rng, writer = plan.rng, plan.writer
    rows = []
    for client_id, (branch_id, first, language) in clients.items():
        counsellor = rng.choice(_counsellors(plan, branch_id))
        decisions = [(ConsentPurpose.STORE_DATA, True)]
        draw = rng.random()
        if draw < 0.85:
            decisions.append((ConsentPurpose.STATISTICS, True))
        elif draw < 0.92:
            decisions.append((ConsentPurpose.STATISTICS, False))
        if rng.random() < 0.5:
            decisions.append((ConsentPurpose.SHARE_REFERRAL, True))
        for purpose, given in decisions:
            rows.append(
                writer.row(
                    Consent,
                    client_id=client_id,
                    purpose=purpose,
                    given=given,
                    organisation_kinds=["legal_aid", "hospital"]
                    if purpose == ConsentPurpose.SHARE_REFERRAL
                    else [],
                    decided_on=first,
                    explanation_language=language,
                    recorded_by_id=counsellor,
                    recorded_at=plan.moment(first, first),
                )
            )
    writer.add(Consent, rows)


def _risk_and_plans(plan, cases) -> None:
    rng, writer = plan.rng, plan.writer
    assessments, plans = [], []
    assessment_ids = iter(writer.ids(RiskAssessment, len(cases)))
    for case_id, (_client, _branch, opened, closed, status, staff) in cases.items():
        if rng.random() >= 0.5:
            continue
        level = weighted(rng, {k: v for k, v in RISK.items() if k != RiskLevel.NONE})
        low, high = SCORES[level]
        assessment_id = next(assessment_ids)
        assessed = plan.moment(opened, closed or plan.today)
        assessments.append(
            writer.row(
                RiskAssessment,
                id=assessment_id,
                case_id=case_id,
                assessed_at=assessed,
                assessed_by_id=staff[0],
                answers={"threats_to_kill": level in (RiskLevel.HIGH, RiskLevel.SEVERE)},
                score=rng.randint(low, high),
                level=level,
                notes=f"Assessment of case {case_id}.",
            )
        )
        if level in (RiskLevel.HIGH, RiskLevel.SEVERE):
            plans.append(
                writer.row(
                    SafetyPlan,
                    case_id=case_id,
                    risk_assessment_id=assessment_id,
                    created_by_id=staff[0],
                    created_at=assessed,
                    next_review_on=assessed.date() + timedelta(days=30),
                    is_active=status != CaseStatus.CLOSED,
                    notes="Keep the phone charged; the shelter's number is saved as a friend's.",
                )
            )
    writer.insert(RiskAssessment, assessments)
    writer.add(SafetyPlan, plans)


def _events(plan, cases) -> None:
    rng, writer, now = plan.rng, plan.writer, plan.now
    rows = []
    for case_id, (_client, _branch, opened, closed, _status, staff) in cases.items():
        if rng.random() >= 0.5:
            continue
        starts = plan.moment(opened, (closed or plan.today) + timedelta(days=60))
        rows.append(
            writer.row(
                CaseEvent,
                case_id=case_id,
                kind=weighted(rng, EVENTS),
                starts_at=starts,
                place="",
                notes=None,
                done=starts < now,
                created_by_id=staff[0],
                created_at=min(starts, now),
            )
        )
    writer.add(CaseEvent, rows)


def _referrals(plan, cases) -> None:
    rng, writer = plan.rng, plan.writer
    organisations = plan.made["organisations"]
    targets = organisations["legal_aid"] + organisations["hospital"] + organisations["ngo"]
    if not targets:
        return
    rows = []
    for case_id, (_client, _branch, opened, closed, _status, staff) in cases.items():
        if rng.random() >= 0.2:
            continue
        sent = plan.day(opened, closed or plan.today)
        rows.append(
            writer.row(
                Referral,
                case_id=case_id,
                organisation_id=rng.choice(targets),
                shares_personal_data=False,
                status="completed" if closed else "sent",
                sent_on=sent,
                completed_on=closed,
                responded_on=closed,
                created_by_id=staff[0],
                created_at=plan.moment(sent, sent),
            )
        )
    writer.add(Referral, rows)


def _documents(plan, cases) -> None:
    """Small encrypted files, as the upload service stores them."""
    rng, writer = plan.rng, plan.writer
    picked = rng.sample(list(cases.items()), min(plan.volume.documents, len(cases)))
    rows = []
    for case_id, (client_id, _branch, opened, closed, _status, staff) in picked:
        data = b"%PDF-1.4\n% volume document\n"
        rows.append(
            writer.row(
                Document,
                client_id=client_id,
                case_id=case_id,
                title=f"Document of case {case_id}",
                original_name="statement.pdf",
                content_type="application/pdf",
                kind="pdf",
                size=len(data),
                sha256="0" * 64,
                storage_name=private_files.store(Document.file_area, data),
                uploaded_by_id=staff[0],
                uploaded_at=plan.moment(opened, closed or plan.today),
            )
        )
    writer.add(Document, rows)


def _timeline(plan) -> None:
    """The timeline lines the services would have written, made in SQL from the
    records above (one statement per kind)."""
    activity = connection.ops.quote_name(CaseActivity._meta.db_table)
    columns = "client_id, case_id, kind, occurred_at, actor_id, object_type, object_id, label"
    text = "TEXT" if connection.vendor == "sqlite" else "VARCHAR"
    sources = [
        (
            Case,
            "t.client_id, t.id",
            CaseActivity.Kind.CASE_OPENED,
            "t.created_at",
            "t.created_by_id",
            "t.status",
            "",
        ),
        (
            CounsellingSession,
            "c.client_id, t.case_id",
            CaseActivity.Kind.SESSION,
            "t.started_at",
            "t.staff_id",
            "t.mode",
            "JOIN {case} c ON c.id = t.case_id",
        ),
        (
            CaseStatusChange,
            "c.client_id, t.case_id",
            CaseActivity.Kind.STATUS,
            "t.changed_at",
            "t.changed_by_id",
            "t.to_status",
            "JOIN {case} c ON c.id = t.case_id",
        ),
        (
            RiskAssessment,
            "c.client_id, t.case_id",
            CaseActivity.Kind.RISK,
            "t.assessed_at",
            "t.assessed_by_id",
            "t.level",
            "JOIN {case} c ON c.id = t.case_id",
        ),
        (
            Consent,
            "t.client_id, NULL",
            CaseActivity.Kind.CONSENT,
            "t.recorded_at",
            "t.recorded_by_id",
            "t.purpose",
            "",
        ),
    ]
    case_table = connection.ops.quote_name(Case._meta.db_table)
    with connection.cursor() as cursor:
        for model, owner, kind, when, actor, label, join in sources:
            table = connection.ops.quote_name(model._meta.db_table)
            # Table and column names come from the models above, never from input.
            cursor.execute(
                f"INSERT INTO {activity} ({columns}) SELECT {owner}, %s, {when}, {actor}, %s,"  # noqa: S608
                f" CAST(t.id AS {text}), {label} FROM {table} t {join.format(case=case_table)}"
                " ORDER BY t.id",
                [kind, object_type_of(model)],
            )
            plan.writer.counts[CaseActivity._meta.label] += cursor.rowcount
