"""Volume data: UN recommendations to Korea over the years (most from the UPR),
half of them with an assessment of their implementation."""

from __future__ import annotations

from datetime import timedelta

from ngo.accounts.roles import Role
from ngo.volume import weighted
from policy_monitor.models import (
    Assessment,
    ImplementationStatus,
    Mechanism,
    Position,
    Recommendation,
    Source,
)

ORDER = 60

POSITIONS = {Position.SUPPORTED: 60, Position.NOTED: 30, Position.NONE: 10}
STATUSES = {
    ImplementationStatus.NOT_IMPLEMENTED: 35,
    ImplementationStatus.PARTIALLY: 40,
    ImplementationStatus.IMPLEMENTED: 15,
    ImplementationStatus.REGRESSED: 3,
    ImplementationStatus.UNKNOWN: 7,
}


def seed(plan) -> None:
    rng, writer, today = plan.rng, plan.writer, plan.today
    mechanisms = list(Mechanism.objects.values_list("id", "code"))
    if not mechanisms:
        return
    officers = plan.made["staff"][plan.made["head_office"]][Role.POLICY_OFFICER]
    span = 365 * plan.volume.years
    recommendations, assessments = [], []
    for rec_id in writer.ids(Recommendation, plan.volume.recommendations):
        mechanism_id, code = rng.choice(mechanisms)
        issued = today - timedelta(days=rng.randint(0, span))
        status = weighted(rng, STATUSES) if rng.random() < 0.5 else ""
        recommendations.append(
            writer.row(
                Recommendation,
                id=rec_id,
                created_by_id=rng.choice(officers),
                created_at=plan.moment(issued, issued),
                updated_at=plan.moment(issued, issued),
                source=Source.MECHANISM,
                mechanism_id=mechanism_id,
                text=f"Ensure that migrant women who are victims of violence ({rec_id}) "
                "can keep their residence status.",
                document_symbol=f"{code}/KOR/{issued.year}",
                paragraph=str(rng.randint(1, 80)),
                issued_on=issued,
                recommending_states=[],
                position=weighted(rng, POSITIONS),
                countries_concerned=["KR"],
                uhri_annotation_id=f"vol-{rec_id}",
                current_status=status or ImplementationStatus.UNKNOWN,
                current_status_on=issued + timedelta(days=365) if status else None,
            )
        )
        if status:
            assessments.append(
                writer.row(
                    Assessment,
                    recommendation_id=rec_id,
                    assessed_on=issued + timedelta(days=365),
                    status=status,
                    assessor_id=rng.choice(officers),
                    evidence="The ministry's annual report; our casework.",
                    created_at=plan.moment(issued, issued),
                )
            )
    writer.insert(Recommendation, recommendations)
    writer.add(Assessment, assessments)
