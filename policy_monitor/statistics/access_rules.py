"""Who may see and make shadow-report datasets.

- Reading needs READ_STATISTICS (policy officers, branch managers,
  administrators, auditors). Counsellors, shelter workers, coordinators and
  volunteers see none.
- Those who make datasets (WRITE_STATISTICS) and those who see every branch
  (ALL_BRANCHES) read every dataset. A branch manager reads only the datasets
  that cover nothing but her own branch(es): not an all-branch dataset, not
  one that includes another branch.
- Creating, generating, cancelling a generation and publishing need
  WRITE_STATISTICS (policy officers, administrators).
"""

from django.db.models import Q

from ngo import access
from ngo.access import Need, routes
from ngo.accounts.roles import Capability
from policy_monitor.statistics.models import StatisticsDataset


def sees_all_branches(user) -> bool:
    return user.can(Capability.WRITE_STATISTICS) or user.can(Capability.ALL_BRANCHES)


def _within_own_branches(user) -> Q:
    through = StatisticsDataset.branches.through.objects
    covers_some = through.values("statisticsdataset_id")
    covers_other = through.exclude(branch_id__in=user.branch_ids()).values("statisticsdataset_id")
    return Q(pk__in=covers_some) & ~Q(pk__in=covers_other)


@access.rule(StatisticsDataset)
def dataset_rule(user, need: Need) -> Q | None:
    if need is Need.WRITE:
        return Q() if user.can(Capability.WRITE_STATISTICS) else None
    if not user.can(Capability.READ_STATISTICS):
        return None
    if sees_all_branches(user):
        return Q()
    return _within_own_branches(user)


# --- Routes (see ngo.access.routes) ---------------------------------------------------

_reads_statistics = routes.has(Capability.READ_STATISTICS)

routes.register(
    {
        "statistics:dataset_list": routes.page(gate=_reads_statistics),
        "statistics:dataset_create": routes.form(gate=_reads_statistics, creates=StatisticsDataset),
        "statistics:dataset_detail": routes.page(gate=_reads_statistics, record=StatisticsDataset),
        "statistics:dataset_status": routes.page(gate=_reads_statistics, record=StatisticsDataset),
        "statistics:dataset_progress": routes.page(
            gate=_reads_statistics, record=StatisticsDataset
        ),
        "statistics:dataset_cancel": routes.action(
            gate=_reads_statistics, record=StatisticsDataset
        ),
        "statistics:dataset_generate": routes.action(
            gate=_reads_statistics, record=StatisticsDataset
        ),
        "statistics:dataset_publish": routes.action(
            gate=_reads_statistics, record=StatisticsDataset
        ),
        "statistics:dataset_export": routes.page(gate=_reads_statistics, record=StatisticsDataset),
        "api:statistics-dataset-list": routes.api_list(StatisticsDataset, gate=_reads_statistics),
        "api:statistics-dataset-detail": routes.api_detail(
            StatisticsDataset, write=(), gate=_reads_statistics
        ),
        "api:statistics-dataset-generate": routes.api_action(
            StatisticsDataset, gate=_reads_statistics
        ),
        "api:statistics-dataset-cancel": routes.api_action(
            StatisticsDataset, gate=_reads_statistics
        ),
        "api:statistics-dataset-publish": routes.api_action(
            StatisticsDataset, gate=_reads_statistics
        ),
        "api:statistics-dataset-export": routes.api_action(
            StatisticsDataset, method="GET", gate=_reads_statistics
        ),
    }
)
