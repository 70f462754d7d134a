"""The one catalogue of roles and what each may do.

Every access decision asks about a capability, never about a role name, so
adding a role means adding one line here (and a migration for its group).
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNSELLOR = "counsellor", _("Counsellor")
    SHELTER_WORKER = "shelter_worker", _("Shelter worker")
    BRANCH_MANAGER = "branch_manager", _("Branch manager")
    CAMPAIGN_COORDINATOR = "campaign_coordinator", _("Campaign coordinator")
    POLICY_OFFICER = "policy_officer", _("Policy officer")
    ADMINISTRATOR = "administrator", _("Administrator")
    AUDITOR = "auditor", _("Auditor")
    VOLUNTEER = "volunteer", _("Volunteer")


class Capability(StrEnum):
    READ_CASES = "read_cases"  # client and case contents of own branches
    WRITE_CASES = "write_cases"
    READ_SHELTER = "read_shelter"
    WRITE_SHELTER = "write_shelter"
    MANAGE_BRANCH = "manage_branch"  # branch caseload, staff list of own branches
    WRITE_CAMPAIGNS = "write_campaigns"
    READ_CAMPAIGNS = "read_campaigns"
    # E-mail and phone of the directory's contact people: staff, not volunteers.
    READ_CONTACT_DETAILS = "read_contact_details"
    WRITE_DIRECTORY = "write_directory"  # the shared organisation directory
    WRITE_POLICY = "write_policy"
    READ_POLICY = "read_policy"  # published policy material (public documents)
    READ_POLICY_INTERNAL = "read_policy_internal"  # drafts, assessments, meeting notes
    READ_STATISTICS = "read_statistics"  # aggregate, anonymised figures only
    WRITE_STATISTICS = "write_statistics"  # define, generate and publish datasets, all branches
    READ_AUDIT = "read_audit"
    MANAGE_STAFF = "manage_staff"  # branches, staff accounts, all branches
    ALL_BRANCHES = "all_branches"  # sees records of every branch


_STAFF_READS = {
    Capability.READ_CAMPAIGNS,
    Capability.READ_POLICY,
    Capability.READ_POLICY_INTERNAL,
    Capability.READ_CONTACT_DETAILS,
}

CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.COUNSELLOR: frozenset(
        {
            Capability.READ_CASES,
            Capability.WRITE_CASES,
            Capability.READ_SHELTER,
            Capability.WRITE_DIRECTORY,
        }
        | _STAFF_READS
    ),
    Role.SHELTER_WORKER: frozenset(
        {Capability.READ_CASES, Capability.READ_SHELTER, Capability.WRITE_SHELTER} | _STAFF_READS
    ),
    Role.BRANCH_MANAGER: frozenset(
        {
            Capability.READ_CASES,
            Capability.WRITE_CASES,
            Capability.READ_SHELTER,
            Capability.WRITE_SHELTER,
            Capability.MANAGE_BRANCH,
            Capability.READ_STATISTICS,
            Capability.WRITE_DIRECTORY,
        }
        | _STAFF_READS
    ),
    Role.CAMPAIGN_COORDINATOR: frozenset(
        {Capability.WRITE_CAMPAIGNS, Capability.WRITE_DIRECTORY} | _STAFF_READS
    ),
    Role.POLICY_OFFICER: frozenset(
        {Capability.WRITE_POLICY, Capability.READ_STATISTICS, Capability.WRITE_STATISTICS}
        | _STAFF_READS
    ),
    # Administrators see the cases of every branch (restricted ones only when assigned).
    Role.ADMINISTRATOR: frozenset(
        {
            Capability.READ_CASES,
            Capability.WRITE_CASES,
            Capability.READ_SHELTER,
            Capability.WRITE_SHELTER,
            Capability.MANAGE_STAFF,
            Capability.WRITE_DIRECTORY,
            Capability.ALL_BRANCHES,
            Capability.READ_AUDIT,
            Capability.READ_STATISTICS,
            Capability.WRITE_STATISTICS,
        }
        | _STAFF_READS
    ),
    Role.AUDITOR: frozenset(
        {Capability.READ_AUDIT, Capability.READ_STATISTICS, Capability.ALL_BRANCHES}
    ),
    # Volunteers: organisations, campaigns and published policy material, never case data.
    Role.VOLUNTEER: frozenset({Capability.READ_CAMPAIGNS, Capability.READ_POLICY}),
}

# Roles that can open case contents, or hand out accounts that can, or read
# the audit trail, must use a second factor.
TWO_FACTOR_CAPABILITIES = {
    Capability.READ_CASES,
    Capability.READ_SHELTER,
    Capability.MANAGE_STAFF,
    Capability.READ_AUDIT,
}


def capabilities_of(role: str) -> frozenset[Capability]:
    return CAPABILITIES.get(role, frozenset())


def role_needs_two_factor(role: str) -> bool:
    return bool(capabilities_of(role) & TWO_FACTOR_CAPABILITIES)
