"""Recording, changing and deleting incidents, and what her copy and the
destruction of her records ask of this app.

Every write is atomic and audited in its own transaction; recording one also
writes the "incident recorded" line of the case timeline."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.incidents.models import (
    MAX_PERPETRATORS,
    Incident,
    Perpetrator,
    PlaceKind,
    RemovalReason,
    ViolenceType,
    YesNoUnknown,
)
from counselling.models import Case, CaseActivity, Client
from ngo.accounts.models import User
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record, audited_create, audited_update, object_type_of
from ngo.lib.versions import check_version

INCIDENT_FIELDS = (
    "violence_type",
    "occurred_on",
    "date_approximate",
    "place",
    "perpetrator",
    "broker_involved",
    "perpetrator_count",
    "reported_to_police",
    "description",
)
TIMELINE_KIND = "incident"


def _names(choices) -> str:
    return ", ".join(f"{value} ({label})" for value, label in choices.choices)


def _choice_problems(values: dict) -> dict[str, str]:
    """A message naming what may be chosen, for each coded field given an unknown value."""
    checks = {
        "violence_type": (
            ViolenceType,
            _("Choose one of the six GBVIMS types of violence: %(choices)s."),
        ),
        "place": (PlaceKind, _("Choose a kind of place: %(choices)s.")),
        "perpetrator": (
            Perpetrator,
            _("Choose the perpetrator's relationship to her: %(choices)s."),
        ),
        "broker_involved": (YesNoUnknown, _("Answer yes, no or unknown.")),
        "reported_to_police": (YesNoUnknown, _("Answer yes, no or unknown.")),
    }
    problems = {}
    for name, (choices, message) in checks.items():
        if name in values and values[name] not in choices.values:
            problems[name] = message % {"choices": _names(choices)}
    return problems


def _check(incident: Incident) -> None:
    """What the database cannot hold: the date, against today and her birth."""
    problems = _choice_problems({name: getattr(incident, name) for name in INCIDENT_FIELDS})
    day = incident.occurred_on
    if day is not None and day > timezone.localdate():
        problems["occurred_on"] = _("The date of the incident cannot be in the future.")
    birth = incident.case.client.birth_date
    if day is not None and birth is not None and day < birth:
        problems["occurred_on"] = _(
            "The date of the incident cannot be before her date of birth (%(birth)s)."
        ) % {"birth": birth.isoformat()}
    count = incident.perpetrator_count
    if count is not None and not 1 <= count <= MAX_PERPETRATORS:
        problems["perpetrator_count"] = _("The number of perpetrators is from 1 to 99.")
    if problems:
        raise ValidationError(problems)


def _tidy(values: dict) -> dict:
    values = dict(values)
    if "description" in values:
        values["description"] = (values["description"] or "").strip() or None
    return values


@transaction.atomic
def incident_record(*, actor: User, case: Case, **values) -> Incident:
    """A new incident on the case, with its line on the case timeline."""
    values = _tidy(values)
    problems = _choice_problems(values)
    if problems:
        raise ValidationError(problems)
    incident = audited_create(
        Incident,
        actor=actor,
        values=values,
        allowed=INCIDENT_FIELDS,
        extra={"case": case, "recorded_by": actor},
        before_save=_check,
    )
    CaseActivity.objects.create(
        client_id=case.client_id,
        case=case,
        kind=TIMELINE_KIND,
        actor=actor,
        object_type=object_type_of(incident),
        object_id=str(incident.pk),
        label=incident.violence_type,
    )
    return incident


@transaction.atomic
def incident_update(
    *, actor: User, incident: Incident, expected_version: int | None = None, **values
) -> Incident:
    """Change an incident; refused (StaleVersion) if someone saved it since
    `expected_version`."""
    values = _tidy(values)
    problems = _choice_problems(values)
    if problems:
        raise ValidationError(problems)
    audited_update(
        incident,
        actor=actor,
        values=values,
        allowed=INCIDENT_FIELDS,
        before_save=_check,
        expected_version=expected_version,
    )
    return incident


@transaction.atomic
def incident_delete(
    *, actor: User, incident: Incident, reason: str, expected_version: int | None = None
) -> None:
    """Delete an incident, saying why (a reason code, kept by the audit)."""
    if reason not in RemovalReason.values:
        raise ValidationError(
            {
                "reason": _("Say why the incident is deleted: %(choices)s.")
                % {"choices": _names(RemovalReason)}
            }
        )
    check_version(incident, expected_version)
    audit_record(action=AuditAction.DELETE, actor=actor, obj=incident, reason=reason)
    incident.delete()


# --- Her copy and the destruction of her records ----------------------------------------


def incidents_for_subject_access(client: Client) -> list[Incident]:
    return list(
        Incident.objects.filter(case__client=client)
        .select_related("case")
        .order_by("occurred_on", "pk")
    )


def _scrub(incidents) -> int:
    """Blank the description and keep the month of the date and the codes, which
    the statistics count."""
    count = 0
    for incident in incidents.select_for_update():
        incident.description = None
        incident.occurred_on = incident.occurred_on.replace(day=1)
        incident.date_approximate = True
        incident.version += 1
        incident.save(update_fields=["description", "occurred_on", "date_approximate", "version"])
        count += 1
    return count


def scrub_incidents_for_client(client: Client) -> dict[str, int]:
    return {"incidents.Incident": _scrub(Incident.objects.filter(case__client=client))}


def scrub_incidents_for_case(case: Case) -> dict[str, int]:
    return {"incidents.Incident": _scrub(Incident.objects.filter(case=case))}
