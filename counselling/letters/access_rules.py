"""Who may see and change letters.

- A letter follows the rule of its case: whoever reads the case reads its
  letters (and downloads an issued one); whoever writes the case prepares one.
- Approving (signing) and revoking: the branch managers of the letter's branch
  (services.may_sign), never the person who prepared it.
- A letter whose records were destroyed has no case: no one reads it here; it
  only verifies.
- The verification page is public.
"""

from django.db.models import Q

from counselling.access_rules import visible_cases
from counselling.letters.models import Letter
from counselling.letters.services import may_sign
from counselling.models import Case
from ngo import access
from ngo.access import Need, routes
from ngo.accounts.roles import Capability


@access.rule(Letter)
def letter_rule(user, need: Need) -> Q | None:
    if not user.can(Capability.READ_CASES):
        return None
    if need is Need.WRITE and not user.can(Capability.WRITE_CASES):
        return None
    return Q(case__in=visible_cases(user).values("pk"))


# --- Routes (see ngo.access.routes) ---------------------------------------------------

_reads_cases = routes.has(Capability.READ_CASES)


def _signs(user, letter) -> bool:
    return may_sign(user, letter.branch if letter is not None else None)


_PUBLIC_FORM = routes.Route(public=True, methods=routes._methods(GET=Need.READ, POST=Need.WRITE))

routes.register(
    {
        "letters:letter_prepare": routes.action(gate=_reads_cases, record=Case),
        "letters:letter_approve": routes.action(
            gate=_reads_cases, record=Letter, write_check=_signs
        ),
        "letters:letter_revoke": routes.action(
            gate=_reads_cases, record=Letter, write_check=_signs
        ),
        "letters:letter_pdf": routes.page(gate=_reads_cases, record=Letter),
        "letters:verify": _PUBLIC_FORM,
        "api:letter-list": routes.api_list(Letter, on_parent=True),
        "api:letter-detail": routes.api_detail(Letter, write=()),
        "api:letter-approve": routes.api_action(Letter, write_check=_signs),
        "api:letter-revoke": routes.api_action(Letter, write_check=_signs),
        "api:letter-pdf": routes.api_action(Letter, method="GET"),
    }
)
