"""Demo links of the evidence chain (never in production): campaign demands
pressing for the CEDAW recommendations of the policy demo. The policy demo is
loaded first, so that its recommendations exist."""

from campaigns import services
from campaigns.models import Demand
from policy_monitor import demo as policy_demo
from policy_monitor.models import Recommendation

# (the start of a demand's text, the paragraphs of CEDAW/C/KOR/CO/9 it presses for)
LINKS = [
    ("Do not make 250 hours", ("48",)),
    ("Protect women on E-6-2 visas", ("40",)),
]


def load(actor) -> None:
    policy_demo.load()
    for start, paragraphs in LINKS:
        demand = Demand.objects.filter(text__startswith=start).first()
        recommendations = list(
            Recommendation.objects.filter(
                document_symbol="CEDAW/C/KOR/CO/9", paragraph__in=paragraphs
            )
        )
        if demand is None or not recommendations or demand.recommendations.exists():
            continue
        services.demand_update(actor=actor, demand=demand, recommendations=recommendations)
