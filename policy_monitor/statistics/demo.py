"""A demo shadow-report dataset from the fictional demo cases (never in production).

`load()` is idempotent. It records the demo women's consent to statistical
use (three of the four: the fourth shows how a woman without consent is left
out), then defines and generates two datasets in-process (women, cases and
sessions by nationality and residence status, published so that its tables
stand in the release ledger; referrals, shelter stays, bed-nights and
accompanying children by branch), and a third whose generation was cancelled
(back to draft, "Generation cancelled").
"""

from django.utils import timezone

from counselling.models import Client, ConsentPurpose
from counselling.services import consent_in_force, consent_record
from ngo.accounts.models import User
from policy_monitor.statistics import services
from policy_monitor.statistics.models import DatasetStatus, StatisticsDataset

TITLE = "CEDAW 10th report: shadow report annex (demo)"
SHELTER_TITLE = "Shelter stays and referrals by branch (demo)"
CANCELLED_TITLE = "Age bands by case type (demo, generation cancelled)"


def load() -> None:
    if StatisticsDataset.objects.filter(title=TITLE).exists():
        return
    officer = User.objects.filter(email="policy@demo.hamkke.kr").first()
    if officer is None:
        return
    clients = list(Client.objects.order_by("pk").prefetch_related("cases__assigned"))
    for client in clients[:3]:
        if consent_in_force(client, ConsentPurpose.STATISTICS) is None:
            case = client.cases.first()
            recorder = case.created_by if case is not None else officer
            consent_record(
                actor=recorder,
                client=client,
                purpose=ConsentPurpose.STATISTICS,
                given=True,
                explanation_language=(client.languages or ["ko"])[0],
            )
    today = timezone.localdate()
    dataset = services.dataset_create(
        actor=officer,
        title=TITLE,
        purpose="Evidence for the list of issues on migrant women (CEDAW/C/KOR)",
        period_from=today.replace(month=1, day=1),
        period_to=today,
        dimensions=["nationality", "residence_status"],
        measures=["clients", "cases", "sessions"],
        min_cell_size=3,
    )
    shelter = services.dataset_create(
        actor=officer,
        title=SHELTER_TITLE,
        purpose="Shelter capacity for migrant women and their children",
        period_from=today.replace(month=1, day=1),
        period_to=today,
        dimensions=["branch"],
        measures=["referrals", "stays", "bed_nights", "children"],
        min_cell_size=3,
    )
    # Counted here and now rather than waiting for a worker; the queued task
    # then finds nothing left to do.
    for each in (dataset, shelter):
        services.dataset_generate(dataset_id=each.pk)
    # Published, so that the release ledger holds its tables.
    dataset.refresh_from_db()
    if dataset.status == DatasetStatus.GENERATED:
        services.dataset_publish(actor=officer, dataset=dataset)
    cancelled = services.dataset_create(
        actor=officer,
        title=CANCELLED_TITLE,
        period_from=today.replace(month=1, day=1),
        period_to=today,
        dimensions=["age_band", "case_type"],
        measures=["clients"],
        min_cell_size=3,
    )
    services.dataset_cancel_generation(actor=officer, dataset=cancelled)
