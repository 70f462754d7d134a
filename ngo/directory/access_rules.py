"""Every member of staff reads the directory; some roles add and edit it.
Contact people's e-mail and phone are a further, field-level rule
(`sees_contact_details`), applied by the serializers and the templates."""

from django.db.models import Q

from ngo import access
from ngo.access import Need
from ngo.accounts.roles import Capability
from ngo.directory.models import ContactPerson, Organisation, Tag


def _reads_directory(user) -> bool:
    return user.can(Capability.READ_CAMPAIGNS) or user.can(Capability.READ_CASES)


@access.rule(Organisation)
def organisation_rule(user, need: Need) -> Q | None:
    if need is Need.WRITE:
        return Q() if user.can(Capability.WRITE_DIRECTORY) else None
    if _reads_directory(user):
        return Q()
    return None


@access.rule(ContactPerson)
def contact_person_rule(user, need: Need) -> Q | None:
    return organisation_rule(user, need)


@access.rule(Tag)
def tag_rule(user, need: Need) -> Q | None:
    return organisation_rule(user, need)


def sees_contact_details(user) -> bool:
    """Volunteers see who to contact, not how: no e-mail, no phone."""
    return bool(user and user.is_authenticated and user.can(Capability.READ_CONTACT_DETAILS))
