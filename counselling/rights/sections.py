"""The sections of her copy, for every record about a client that exists today.

Each collector reads her records as stored, in a few queries; `display.row`
turns one record into display values. A new kind of record is one more
`register_section(...)` call (see registry.py)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from counselling.models import (
    RISK_INDICATORS,
    Case,
    CaseActivity,
    CaseEvent,
    CaseStatusChange,
    Child,
    Client,
    Consent,
    CounsellingSession,
    Document,
    Referral,
    RiskAssessment,
    SafetyPlan,
    SafetyPlanItem,
    SafetyPlanReview,
)
from counselling.programmes.models import Attendance, Enrolment
from counselling.rights.display import display, row, safe_file_name
from counselling.rights.models import RightsRequest, SubjectAccessExport
from counselling.rights.registry import records_of, register_section
from counselling.shelters.models import BedHold, BedOccupancy, BedRequest, Stay
from ngo.audit.models import AuditEvent
from ngo.audit.services import object_type_of

CLIENT_FIELDS = [
    "case_code",
    "name_original",
    "name_romanised",
    "birth_date",
    "estimated_age",
    "nationality",
    "languages",
    "interpreter_needed",
    "residence_status",
    "visa_expiry",
    "marital_status",
    "phone",
    "address",
    "safe_contact",
    "narrative",
    "branch",
    "created_at",
    "updated_at",
]


def _client(client: Client):
    values = row(client, CLIENT_FIELDS)
    values[str(Client._meta.get_field("nationality").verbose_name)] = (
        client.nationality.name if client.nationality else ""
    )
    values[str(Client._meta.get_field("branch").verbose_name)] = client.branch.name
    return [values]


def _children(client: Client):
    return [
        row(child, ["first_name", "birth_date", "age", "lives_with_client", "notes"])
        for child in Child.objects.filter(client=client)
    ]


def _cases(client: Client):
    cases = Case.objects.filter(client=client).prefetch_related("assigned").order_by("opened_on")
    return [
        row(
            case,
            [
                "case_types",
                "status",
                "risk_level",
                "opened_on",
                "closed_on",
                "closure_reason",
                "closure_note",
                "restricted",
                "summary",
            ],
            **{_("case"): case.reference, _("assigned staff"): list(case.assigned.all())},
        )
        for case in cases
    ]


def _case_history(client: Client):
    changes = [
        row(
            change,
            ["from_status", "to_status", "changed_at", "reason"],
            **{_("record"): _("Status changed"), _("case"): change.case.reference},
            **{_("by"): change.changed_by},
        )
        for change in CaseStatusChange.objects.filter(case__client=client).select_related(
            "case__client", "changed_by"
        )
    ]
    timeline = [
        row(
            activity,
            ["kind", "occurred_at", "label"],
            **{
                _("record"): _("Timeline"),
                _("case"): activity.case.reference if activity.case else "",
                _("by"): activity.actor,
            },
        )
        for activity in CaseActivity.objects.filter(client=client).select_related(
            "case__client", "actor"
        )
    ]
    return changes + timeline


def _sessions(client: Client):
    return [
        row(
            session,
            [
                "started_at",
                "duration_minutes",
                "mode",
                "language",
                "interpreter_name",
                "interpreter_organisation",
                "staff",
                "services",
                "notes",
                "follow_up_on",
            ],
            **{_("case"): session.case.reference},
        )
        for session in CounsellingSession.objects.filter(case__client=client).select_related(
            "case__client", "staff"
        )
    ]


def _events(client: Client):
    return [
        row(
            event,
            ["kind", "starts_at", "place", "notes", "done"],
            **{_("case"): event.case.reference},
        )
        for event in CaseEvent.objects.filter(case__client=client).select_related("case__client")
    ]


def _referrals(client: Client):
    return [
        row(
            referral,
            [
                "organisation",
                "reason",
                "shares_personal_data",
                "consent_override_reason",
                "status",
                "sent_on",
                "responded_on",
                "completed_on",
            ],
            **{_("case"): referral.case.reference},
        )
        for referral in Referral.objects.filter(case__client=client).select_related(
            "case__client", "organisation"
        )
    ]


def _risk(client: Client):
    assessments = [
        row(
            assessment,
            ["assessed_at", "assessed_by", "score", "level", "follow_up_by", "notes"],
            **{
                _("record"): _("Risk assessment"),
                _("case"): assessment.case.reference,
                _("answers"): [
                    str(label)
                    for name, (_weight, label) in RISK_INDICATORS.items()
                    if assessment.answers.get(name)
                ],
            },
        )
        for assessment in RiskAssessment.objects.filter(case__client=client).select_related(
            "case__client", "assessed_by"
        )
    ]
    plans = []
    for plan in SafetyPlan.objects.filter(case__client=client).select_related("case__client"):
        plans.append(
            row(
                plan,
                ["created_at", "next_review_on", "is_active", "notes"],
                **{_("record"): _("Safety plan"), _("case"): plan.case.reference},
            )
        )
        plans += [
            row(
                item,
                ["action", "responsible", "due_on", "done"],
                **{_("record"): _("Safety plan item")},
            )
            for item in plan.items.all()
        ]
        plans += [
            row(
                review,
                ["reviewed_on", "reviewed_by", "note"],
                **{_("record"): _("Safety plan review")},
            )
            for review in plan.reviews.select_related("reviewed_by")
        ]
    return assessments + plans


def _consents(client: Client):
    return [
        row(
            consent,
            [
                "purpose",
                "given",
                "organisation_kinds",
                "decided_on",
                "explanation_language",
                "interpreter_explained",
            ],
            **{
                _("recorded by"): consent.recorded_by,
                _("recorded at"): consent.recorded_at,
                _("texts she was shown"): ", ".join(
                    f"{text.language}/{text.section} v{text.version}"
                    for text in consent.texts_shown.all()
                ),
            },
        )
        for consent in Consent.objects.filter(client=client)
        .select_related("recorded_by")
        .prefetch_related("texts_shown")
    ]


def _documents(client: Client):
    rows, files = [], []
    for document in Document.objects.filter(client=client).select_related("case__client"):
        name = f"{document.pk}-{safe_file_name(document.original_name, 'document')}"
        rows.append(
            row(
                document,
                [
                    "title",
                    "category",
                    "expires_on",
                    "original_name",
                    "content_type",
                    "size",
                    "uploaded_at",
                ],
                **{
                    _("case"): document.case.reference if document.case else "",
                    _("file in this copy"): f"files/documents/{name}",
                },
            )
        )
        files.append((name, document.read_file()))
    return rows, files


def _bed(bed) -> str:
    return f"{bed.room.shelter.name} {bed.room.name} {bed.label}"


def _stays(client: Client):
    rows = []
    stays = Stay.objects.filter(client=client).select_related("shelter", "bed__room__shelter")
    for stay in stays.prefetch_related("children"):
        rows.append(
            row(
                stay,
                [
                    "admitted_on",
                    "expected_leave_on",
                    "children_count",
                    "discharged_on",
                    "destination",
                    "discharge_notes",
                ],
                **{
                    _("record"): _("Stay"),
                    _("shelter"): stay.shelter.name,
                    _("accompanying children"): [c.first_name for c in stay.children.all()],
                },
            )
        )
    occupancies = BedOccupancy.objects.filter(stay__client=client).select_related(
        "bed__room__shelter"
    )
    rows += [
        row(o, ["starts_on", "ends_on"], **{_("record"): _("Bed"), _("bed"): _bed(o.bed)})
        for o in occupancies
    ]
    holds = BedHold.objects.filter(case__client=client).select_related("bed__room__shelter")
    rows += [
        row(
            hold,
            ["note", "created_at", "expires_at", "released_at"],
            **{_("record"): _("Bed held for her"), _("bed"): _bed(hold.bed)},
        )
        for hold in holds
    ]
    requests = BedRequest.objects.filter(case__client=client).select_related("shelter")
    rows += [
        row(
            request,
            ["adult_beds", "cots", "from_date", "urgency", "reason", "status", "decline_reason"],
            **{_("record"): _("Bed requested for her"), _("shelter"): request.shelter.shown_name},
        )
        for request in requests
    ]
    return rows


def _programmes(client: Client):
    rows = []
    enrolments = Enrolment.objects.filter(client=client).select_related("programme")
    for enrolment in enrolments:
        rows.append(
            row(
                enrolment,
                ["status", "enrolled_on", "completed_on"],
                **{_("record"): _("Enrolment"), _("programme"): enrolment.programme.title},
            )
        )
    attendances = Attendance.objects.filter(enrolment__client=client).select_related(
        "session__programme"
    )
    rows += [
        row(
            attendance,
            ["present"],
            **{
                _("record"): _("Attendance"),
                _("programme"): attendance.session.programme.title,
                _("class session"): attendance.session.starts_at,
            },
        )
        for attendance in attendances
    ]
    return rows


def _her_records() -> list:
    """Every model with a record about her, for the reminders and the access log."""
    from django.apps import apps

    from counselling.rights.registry import path_to_client

    return [model for model in apps.get_models() if path_to_client(model) is not None]


def _reminders(client: Client):
    from ngo.reminders import registry as reminders
    from ngo.reminders.models import DatedItem

    condition = Q(pk__in=[])
    for key, source in reminders.sources().items():
        ids = [str(pk) for pk in records_of(source.model, client).values_list("pk", flat=True)]
        if ids:
            condition |= Q(source=key, object_id__in=ids)
    items = DatedItem.objects.filter(condition).order_by("due_at")
    return [
        {
            "id": item.pk,
            _("deadline"): str(item.label),
            _("due"): display(item.due_at if not item.due_is_date else item.due_date),
            _("reference"): item.reference,
            _("active"): display(item.is_active),
        }
        for item in items
    ]


def _access_log(client: Client):
    condition = Q(pk__in=[])
    for model in _her_records():
        ids = [str(pk) for pk in records_of(model, client).values_list("pk", flat=True)]
        if ids:
            condition |= Q(object_type=object_type_of(model), object_id__in=ids)
    events = AuditEvent.objects.filter(condition).select_related("actor").order_by("occurred_at")
    return [
        {
            "id": event.pk,
            _("time"): display(event.occurred_at),
            _("staff"): event.actor.full_name if event.actor else _("(the system)"),
            _("role"): event.actor.get_role_display() if event.actor else "",
            _("action"): event.get_action_display(),
            _("record"): event.object_type,
        }
        for event in events
    ]


def _rights(client: Client):
    requests = [
        row(
            request,
            [
                "kind",
                "asked",
                "received_on",
                "due_on",
                "outcome",
                "reason",
                "changes_made",
                "decided_at",
            ],
            **{_("record"): _("Request")},
        )
        for request in RightsRequest.objects.filter(client=client)
    ]
    exports = [
        row(
            export,
            ["requested_on", "requester", "identity_check", "due_on", "status", "built_at"],
            **{_("record"): _("Copy of her data")},
        )
        for export in SubjectAccessExport.objects.filter(client=client)
    ]
    return requests + exports


register_section("client", "내담자 기록 / Her record", _client, models=[Client])
register_section("children", "자녀 / Children", _children, models=[Child])
register_section("cases", "사례 / Cases", _cases, models=[Case, Case.assigned.through])
register_section(
    "case_history",
    "사례 이력 / Case history and timeline",
    _case_history,
    models=[CaseStatusChange, CaseActivity],
)
register_section(
    "sessions", "상담 및 서비스 / Sessions and services", _sessions, models=[CounsellingSession]
)
register_section("events", "주요 일정 / Key dates and events", _events, models=[CaseEvent])
register_section("referrals", "연계 / Referrals", _referrals, models=[Referral])
register_section(
    "risk",
    "위험도 평가 및 안전 계획 / Risk assessments and safety plans",
    _risk,
    models=[RiskAssessment, SafetyPlan, SafetyPlanItem, SafetyPlanReview],
)
register_section(
    "consents", "동의 / Consents", _consents, models=[Consent, Consent.texts_shown.through]
)
register_section("documents", "문서 / Documents", _documents, models=[Document])
register_section(
    "stays",
    "쉼터 입소 / Shelter stays",
    _stays,
    models=[
        Stay,
        Stay.children.through,
        BedOccupancy,
        BedHold,
        BedRequest,
        BedRequest.children.through,
    ],
)
register_section(
    "programmes",
    "역량 강화 프로그램 / Empowerment programmes",
    _programmes,
    models=[Enrolment, Attendance],
)
register_section("reminders", "알림 / Reminders about her", _reminders)
register_section(
    "rights",
    "정보주체의 권리 행사 / Her requests and copies of her data",
    _rights,
    models=[RightsRequest, SubjectAccessExport],
)
register_section("access_log", "열람 기록 / Who read her file and when", _access_log)
