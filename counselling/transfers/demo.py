"""Demo data: the Busan branch asks the Seoul branch to take one of its cases
(she moved to Seoul); the Seoul manager finds it in her inbox."""

from counselling.models import Case, CaseStatus
from counselling.transfers import services
from counselling.transfers.models import Transfer
from ngo.accounts.models import Branch, User


def load() -> None:
    if Transfer.objects.exists():
        return
    counsellor = User.objects.filter(email="counsellor.busan@demo.hamkke.kr").first()
    seoul = Branch.objects.filter(code="SEO").first()
    if counsellor is None or seoul is None:
        return
    case = (
        Case.objects.filter(branch__code="BUS", created_by=counsellor)
        .exclude(status=CaseStatus.CLOSED)
        .order_by("pk")
        .first()
    )
    if case is None:
        return
    services.transfer_request(
        actor=counsellor,
        case=case,
        to_branch=seoul,
        reason="She moved to Seoul to live with her sister (demo).",
        note="Her divorce hearing is at the Seoul Family Court (demo).",
    )
