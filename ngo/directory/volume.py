"""Volume data: partner organisations (shelters, legal aid, unions, ministries...)."""

from datetime import timedelta

from ngo.directory.models import Organisation, OrganisationKind
from ngo.volume import weighted

ORDER = 20

KINDS = {
    OrganisationKind.NGO: 20,
    OrganisationKind.WOMENS_ORGANISATION: 15,
    OrganisationKind.COMMUNITY_GROUP: 15,
    OrganisationKind.LABOUR_UNION: 5,
    OrganisationKind.RELIGIOUS_BODY: 5,
    OrganisationKind.LAWYERS: 5,
    OrganisationKind.ACADEMIC: 5,
    OrganisationKind.GOVERNMENT: 8,
    OrganisationKind.MEDIA: 4,
    OrganisationKind.HOSPITAL: 8,
    OrganisationKind.LEGAL_AID: 6,
    OrganisationKind.POLICE: 2,
    OrganisationKind.IMMIGRATION_OFFICE: 2,
}


def seed(plan) -> None:
    count = plan.volume.organisations
    ids = plan.writer.ids(Organisation, count)
    kinds = weighted(plan.rng, KINDS, k=count)
    rows = []
    for number, (org_id, kind) in enumerate(zip(ids, kinds, strict=True), start=1):
        rows.append(
            {
                "id": org_id,
                "name_ko": f"단체 {number}",
                "name_en": f"Organisation {number}",
                "kind": kind,
                "authority_type": "ministry" if kind == OrganisationKind.GOVERNMENT else "",
                "country": "KR",
                "scope": "national",
                "website": "",
                "email": f"contact{number}@example.org",
                "phone": "",
                "notes": "",
                "is_active": True,
                "created_at": plan.moment(plan.now - timedelta(days=5 * 365), plan.now),
            }
        )
    plan.writer.insert(Organisation, rows)
    plan.made["organisations"] = {kind: [] for kind in KINDS}
    for org_id, kind in zip(ids, kinds, strict=True):
        plan.made["organisations"][kind].append(org_id)
    plan.made["organisation_ids"] = list(ids)
