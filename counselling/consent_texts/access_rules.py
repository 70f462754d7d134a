"""Who reads and who edits the consent texts.

- Reading: the staff who explain consent (READ_CASES) and the administrators.
- Editing and the "reviewed by a native speaker" mark: administrators only
  (MANAGE_STAFF). Anyone else who may read gets 403, others 404.
"""

from django.db.models import Q

from counselling.consent_texts.models import ConsentText
from ngo import access
from ngo.access import Need, routes
from ngo.accounts.roles import Capability


def may_read(user) -> bool:
    return user.can(Capability.READ_CASES) or user.can(Capability.MANAGE_STAFF)


@access.rule(ConsentText)
def consent_text_rule(user, need: Need) -> Q | None:
    if not may_read(user):
        return None
    if need is Need.WRITE and not user.can(Capability.MANAGE_STAFF):
        return None
    return Q()


_readers = routes.Gate("reads consent texts", may_read)

routes.register(
    {
        "consent_texts:text_list": routes.page(gate=_readers),
        "consent_texts:text_edit": routes.form(gate=_readers, record=ConsentText),
        "consent_texts:text_review": routes.action(gate=_readers, record=ConsentText),
        "consent_texts:explanation": routes.page(gate=_readers),
        "api:consent-text-list": routes.api_list(ConsentText, create=False),
        "api:consent-text-detail": routes.api_detail(ConsentText),
        "api:consent-text-review": routes.api_action(ConsentText),
    }
)
