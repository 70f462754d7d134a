"""The Letters panel of the case page (see counselling.case_panels)."""

from __future__ import annotations

from counselling.case_panels import Panel, register
from counselling.letters import forms, selectors, services
from counselling.letters.models import LetterStatus
from counselling.letters.texts import second_page_language
from ngo import access
from ngo.access import Need
from ngo.accounts.roles import Capability


@register
def letters_panel(user, case) -> Panel | None:
    if not user.can(Capability.READ_CASES):
        return None
    letters = list(selectors.letter_list(user=user, case=case))
    can_write = access.can(user, case, Need.WRITE)
    signs = services.may_sign(user, case.branch)
    for letter in letters:
        letter.may_approve = (
            signs and letter.status == LetterStatus.PREPARED and letter.prepared_by_id != user.pk
        )
        letter.may_revoke = signs and letter.status == LetterStatus.ISSUED
    awaiting = any(letter.status == LetterStatus.PREPARED for letter in letters)
    problem = services.dv_work_problem(case)
    return Panel(
        template="letters/_case_panel.html",
        context={
            "letters": letters,
            "may_prepare": can_write and not awaiting and not problem,
            "problem": problem if can_write else "",
            "prepare_form": forms.LetterPrepareForm(
                initial={"language": second_page_language(case.client.languages)}
            ),
            "revoke_form": forms.LetterRevokeForm(),
        },
    )
