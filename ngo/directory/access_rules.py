"""Every member of staff reads the directory; some roles add and edit it.
Contact people's e-mail and phone are a further, field-level rule
(`sees_contact_details`), applied by the serializers and the templates."""

from django.db.models import Q

from ngo import access
from ngo.access import Need, routes
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


_reads_directory_gate = routes.readers(Organisation)

routes.register(
    {
        "directory:index": routes.Route(public=True, methods=routes.READ_ONLY),  # a redirect
        "directory:organisation_list": routes.page(gate=_reads_directory_gate),
        "directory:organisation_new": routes.form(gate=_reads_directory_gate, creates=Organisation),
        "directory:organisation_import": routes.form(
            gate=_reads_directory_gate, creates=Organisation
        ),
        "directory:organisation_detail": routes.page(
            gate=_reads_directory_gate, record=Organisation
        ),
        "directory:organisation_edit": routes.form(gate=_reads_directory_gate, record=Organisation),
        "directory:contact_new": routes.form(gate=_reads_directory_gate, record=Organisation),
        "directory:contact_edit": routes.form(gate=_reads_directory_gate, record=ContactPerson),
        "api:organisation-list": routes.api_list(Organisation),
        "api:organisation-import-csv": routes.api_action(record=False, creates=Organisation),
        "api:organisation-detail": routes.api_detail(Organisation),
        "api:organisation-contact-list": routes.api_list(ContactPerson, on_parent=True),
        "api:organisation-contact-detail": routes.api_detail(
            ContactPerson, write=("PATCH", "DELETE")
        ),
    }
)
