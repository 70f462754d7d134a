"""Volume data: the seven branches (as in the demo) and their staff."""

from ngo.accounts.demo import BRANCHES
from ngo.accounts.models import Branch, User
from ngo.accounts.roles import Role

ORDER = 10

# Of the staff of one branch.
STAFF_MIX = {
    Role.COUNSELLOR: 0.7,
    Role.SHELTER_WORKER: 0.15,
    Role.BRANCH_MANAGER: 0.05,
    Role.VOLUNTEER: 0.1,
}
HEAD_OFFICE_ROLES = {
    Role.ADMINISTRATOR: 3,
    Role.CAMPAIGN_COORDINATOR: 6,
    Role.POLICY_OFFICER: 6,
    Role.AUDITOR: 2,
}


def seed(plan) -> None:
    writer = plan.writer
    for code, name_ko, name_en, head, region in BRANCHES:
        Branch.objects.get_or_create(
            code=code,
            defaults={
                "name_ko": name_ko,
                "name_en": name_en,
                "is_head_office": head,
                "region": region,
            },
        )
    branches = list(Branch.objects.order_by("id"))
    head_office = next(b for b in branches if b.is_head_office)
    local = [b for b in branches if not b.is_head_office]
    rows, links = [], []
    staff: dict[int, dict[str, list[int]]] = {b.id: {} for b in branches}

    def person(branch, role, number):
        user_id = len(rows)
        rows.append((branch, role, number))
        return user_id

    for branch in local:
        size = plan.volume.staff_per_branch
        for role, share in STAFF_MIX.items():
            for number in range(max(1, round(size * share))):
                person(branch, role, number)
    for role, count in HEAD_OFFICE_ROLES.items():
        for number in range(count):
            person(head_office, role, number)

    ids = writer.ids(User, len(rows))
    user_rows = []
    for user_id, (branch, role, number) in zip(ids, rows, strict=True):
        email = f"{role}.{number}.{branch.code.lower()}@volume.hamkke.invalid"
        user_rows.append(
            {
                "id": user_id,
                "password": "!",  # unusable: volume staff sign in only in benchmarks
                "is_superuser": False,
                "email": email,
                "full_name": f"{branch.code} {Role(role).label} {number + 1}",
                "role": role,
                "phone": None,
                "is_active": True,
                "is_staff": False,
                "is_demo": False,
                "date_joined": plan.now,
                "preferred_language": "ko",
            }
        )
        if role != Role.AUDITOR:
            links.append({"user_id": user_id, "branch_id": branch.id})
        staff[branch.id].setdefault(role, []).append(user_id)
    writer.insert(User, user_rows)
    through = User.branches.through
    writer.add(through, links)
    plan.made["branches"] = {b.id: b for b in branches}
    plan.made["local_branches"] = [b.id for b in local]
    plan.made["head_office"] = head_office.id
    plan.made["staff"] = staff
