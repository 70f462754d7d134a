"""The shelter panel of the home page: beds occupied against beds available,
arrivals and leaves, month by month over the last twelve months."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, DateField, DurationField, ExpressionWrapper, Q, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.shelters.models import Bed, BedOccupancy, Stay
from ngo import access
from ngo.access import Need
from ngo.accounts.roles import Capability
from ngo.lib import charts
from ngo.lib.dashboard import register


def _day(value: date) -> Value:
    return Value(value, output_field=DateField())


def bed_nights_per_month(*, user, months: list[date], today: date) -> list[int]:
    """Nights slept in the user's shelters in each month, up to tonight (one
    query: one conditional SUM of overlapping date ranges per month)."""
    occupancies = BedOccupancy.objects.filter(stay__in=access.scope(user, Stay, Need.READ))
    tomorrow = today + timedelta(days=1)
    sums = {}
    for n, first in enumerate(months):
        after = min(charts.month_after(first), tomorrow)
        nights = ExpressionWrapper(
            Least(Coalesce("ends_on", _day(after)), _day(after))
            - Greatest("starts_on", _day(first)),
            output_field=DurationField(),
        )
        overlaps = Q(starts_on__lt=after) & (Q(ends_on__isnull=True) | Q(ends_on__gt=first))
        sums[f"m{n}"] = Sum(nights, filter=overlaps)
    totals = occupancies.aggregate(**sums)
    return [(totals[f"m{n}"] or timedelta()).days for n in range(len(months))]


def shelter_movements(*, user, months: list[date], today: date) -> dict:
    """Per month: average beds occupied, beds in service, arrivals and leaves (four queries)."""
    stays = access.scope(user, Stay, Need.READ)
    nights = bed_nights_per_month(user=user, months=months, today=today)
    tomorrow = today + timedelta(days=1)
    days = [(min(charts.month_after(m), tomorrow) - m).days for m in months]

    def per_month(field):
        rows = (
            stays.filter(**{f"{field}__gte": months[0]})
            .annotate(month=TruncMonth(field))
            .values("month")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return charts.per_period({row["month"]: row["n"] for row in rows}, months)

    beds = access.scope(user, Bed, Need.READ).filter(out_of_service=False).count()
    return {
        "bed_nights": nights,
        "average_occupied": [round(n / d, 1) for n, d in zip(nights, days, strict=True)],
        "beds": beds,
        "arrivals": per_month("admitted_on"),
        "leaves": per_month("discharged_on"),
    }


@register
def shelter_panel(user):
    if not user.can(Capability.WRITE_SHELTER):
        return None
    today = timezone.localdate()
    months = charts.month_starts(today)
    labels = charts.month_labels(months)
    numbers = shelter_movements(user=user, months=months, today=today)
    return {
        "template": "dashboard/shelters.html",
        "beds": numbers["beds"],
        "charts": [
            charts.chart(
                key="shelter-occupancy",
                title=_("Average beds occupied per month, against beds in service"),
                labels=labels,
                series=[
                    (_("beds occupied (average)"), numbers["average_occupied"]),
                    (_("beds in service"), [numbers["beds"]] * len(months)),
                ],
                lines=(_("beds in service"),),
            ),
            charts.chart(
                key="shelter-movements",
                title=_("Arrivals and leaves per month"),
                labels=labels,
                series=[(_("arrivals"), numbers["arrivals"]), (_("leaves"), numbers["leaves"])],
            ),
        ],
    }
