"""What counselling adds to the directory's organisation page: how many
referrals were made to it. A count only: the page is read by volunteers too,
and case data stays in the case files."""

from counselling.models import Referral
from ngo.directory.panels import Panel, register


@register
def referrals_panel(user, organisation) -> Panel | None:
    # Every referral, whoever made it: a number tells nothing about any case.
    count = Referral.objects.filter(organisation=organisation).count()
    return Panel(
        template="counselling/_organisation_referrals.html",
        context={"referral_count": count},
    )
