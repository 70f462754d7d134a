"""The scrubbers of the apps that hold records of a client (see registry.py).

What is kept is what the shadow-report statistics count
(policy_monitor.statistics.counting): her nationality, residence status,
marital status, whether she has children, her estimated age, the year of her
birth (1 January of it) and the month of her visa expiry (its 1st); the
branch, types, risk level and dates of her cases; the dates, modes and
services of her sessions; her consent decisions. Everything that names, reaches
or describes her is blanked: names, contacts, narratives, notes, the names and
birth dates of her children, document titles, file names and files.
"""

from __future__ import annotations

from django.db.models import F, Q, TextField, Value

from counselling.models import (
    Case,
    CaseEvent,
    Child,
    Client,
    CounsellingSession,
    Document,
    Referral,
    RiskAssessment,
    SafetyPlan,
    SafetyPlanItem,
    SafetyPlanReview,
)
from counselling.programmes.models import Enrolment
from counselling.retention.models import DestructionItem, LegalHold
from counselling.retention.registry import (
    Counts,
    add_counts,
    register_scrubber,
    schedule_file_deletion,
)
from counselling.shelters.models import BedHold, BedRequest, Stay
from ngo.reminders.models import DatedItem

# Where a column may not be empty (a name, a reason the database requires).
DESTROYED = "[destroyed]"


def encrypted_empty(model, name: str) -> Value:
    """An encrypted empty string, for an encrypted column that may not be NULL
    (the field itself would store an empty value as NULL)."""
    field = model._meta.get_field(name)
    return Value(field.f.encrypt(b"").decode(), output_field=TextField())


def _bump(queryset, **values) -> int:
    return queryset.update(version=F("version") + 1, **values)


def _scrub_documents(documents) -> int:
    count = 0
    for document in documents.exclude(storage_name__startswith="destroyed-"):
        schedule_file_deletion(document.file_area, document.storage_name)
        Document.objects.filter(pk=document.pk).update(
            title=encrypted_empty(Document, "title"),
            original_name=encrypted_empty(Document, "original_name"),
            sha256="",
            size=0,
            storage_name=f"destroyed-{document.pk}",
        )
        count += 1
    return count


def _scrub_referrals(referrals) -> int:
    # The database asks a reason for sharing without consent; a neutral one stays.
    without_consent = Q(shares_personal_data=True, consent__isnull=True)
    return _bump(
        referrals.filter(without_consent), reason=None, consent_override_reason=DESTROYED
    ) + _bump(referrals.exclude(without_consent), reason=None, consent_override_reason="")


def scrub_counselling_case(case: Case) -> Counts:
    """One case and everything recorded on it."""
    on_case = {"case": case}
    plans = SafetyPlan.objects.filter(**on_case)
    return {
        "counselling.Case": _bump(Case.objects.filter(pk=case.pk), summary=None, closure_note=None),
        "counselling.CaseEvent": _bump(CaseEvent.objects.filter(**on_case), place="", notes=None),
        "counselling.CounsellingSession": _bump(
            CounsellingSession.objects.filter(**on_case),
            notes=None,
            interpreter_name="",
            interpreter_organisation="",
        ),
        "counselling.RiskAssessment": RiskAssessment.objects.filter(**on_case).update(notes=None),
        "counselling.SafetyPlan": _bump(plans, notes=None),
        "counselling.SafetyPlanItem": SafetyPlanItem.objects.filter(plan__in=plans).update(
            action=encrypted_empty(SafetyPlanItem, "action"), responsible=""
        ),
        "counselling.SafetyPlanReview": SafetyPlanReview.objects.filter(plan__in=plans).update(
            note=None
        ),
        "counselling.Referral": _scrub_referrals(Referral.objects.filter(**on_case)),
        "counselling.Document": _scrub_documents(Document.objects.filter(**on_case)),
    }


def scrub_counselling_client(client: Client) -> Counts:
    """Her, her children, her documents and every case of hers."""
    counts: Counts = {}
    for case in Case.objects.filter(client=client):
        add_counts(counts, scrub_counselling_case(case))
    client = Client.objects.get(pk=client.pk)
    birth = client.birth_date.replace(month=1, day=1) if client.birth_date else None
    visa = client.visa_expiry.replace(day=1) if client.visa_expiry else None
    add_counts(
        counts,
        {
            "counselling.Client": _bump(
                Client.objects.filter(pk=client.pk),
                name_original="",
                name_romanised=DESTROYED,
                birth_date=birth,
                visa_expiry=visa,
                languages=[],
                phone=None,
                phone_index="",
                address=None,
                safe_contact=None,
                narrative=None,
            ),
            "counselling.Child": _bump(
                Child.objects.filter(client=client),
                first_name="",
                birth_date=None,
                age=None,
                notes=None,
            ),
            "counselling.Document": _scrub_documents(Document.objects.filter(client=client)),
        },
    )
    return counts


def scrub_shelter_case(case: Case) -> Counts:
    return {
        "shelters.Stay": _bump(Stay.objects.filter(case=case), discharge_notes=None),
        "shelters.BedHold": BedHold.objects.filter(case=case).update(note=""),
        "shelters.BedRequest": _scrub_bed_requests(BedRequest.objects.filter(case=case)),
    }


def _scrub_bed_requests(requests) -> int:
    """Her reasons go; the counts and dates stay (for the shelters' statistics)."""
    BedRequest.children.through.objects.filter(bedrequest__in=requests).delete()
    return requests.update(reason=encrypted_empty(BedRequest, "reason"), decline_reason=None)


def scrub_shelters(client: Client) -> Counts:
    return {
        "shelters.Stay": _bump(Stay.objects.filter(client=client), discharge_notes=None),
        "shelters.BedHold": BedHold.objects.filter(case__client=client).update(note=""),
        "shelters.BedRequest": _scrub_bed_requests(BedRequest.objects.filter(case__client=client)),
    }


def scrub_programmes(client: Client) -> Counts:
    return {
        "programmes.Enrolment": Enrolment.objects.filter(client=client).update(member_contact=None)
    }


def scrub_reminders(client: Client) -> Counts:
    """Her deadlines (referenced by her case code) with their reminders and
    notifications: nothing is due about a destroyed record."""
    _deleted, by_model = DatedItem.objects.filter(reference=client.case_code).delete()
    return dict(by_model)


def scrub_retention(client: Client) -> Counts:
    """The free text of released holds and of review exclusions about her."""
    return {
        "retention.LegalHold": LegalHold.objects.filter(client=client).update(
            reason=encrypted_empty(LegalHold, "reason")
        ),
        "retention.DestructionItem": DestructionItem.objects.filter(client=client).update(
            exclusion_reason=None
        ),
    }


register_scrubber("counselling", scrub_counselling_client, case_fn=scrub_counselling_case)
register_scrubber("shelters", scrub_shelters, case_fn=scrub_shelter_case)
register_scrubber("programmes", scrub_programmes)
register_scrubber("reminders", scrub_reminders)
register_scrubber("retention", scrub_retention)


def _register_installed_apps() -> None:
    """The scrubbers of the nested apps that may be installed beside this one."""
    from django.apps import apps

    if apps.is_installed("counselling.letters"):
        from counselling.letters.services import scrub_letters_for_client

        register_scrubber("letters", scrub_letters_for_client)


_register_installed_apps()
