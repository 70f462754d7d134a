"""The measures beyond women, cases and sessions: referrals by the kind of
organisation, shelter stays, bed-nights inside the period and accompanying
children (counted, never identified); consent withdrawal leaves her
referrals and stays out; impossible breakdowns are refused with a message."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from counselling import services
from counselling.services.referrals import referral_create
from counselling.shelters import services as ss
from policy_monitor.statistics import counting
from policy_monitor.statistics import services as stats
from policy_monitor.statistics.tabulation import OTHER
from policy_monitor.statistics.tasks import generate_dataset
from tests.statistics_population import consent

MARCH = (date(2025, 3, 1), date(2025, 3, 31))


def _dataset(personas, dimensions, measures, branches=()):
    return stats.dataset_create(
        actor=personas.policy_officer,
        title="March 2025",
        period_from=MARCH[0],
        period_to=MARCH[1],
        dimensions=list(dimensions),
        measures=list(measures),
        branches=list(branches),
        min_cell_size=3,
        generate=False,
    )


def _by_row(table) -> dict:
    return {r: n for r, n in zip(table.row_codes, table.row_totals, strict=True) if n}


def _woman(make_case, given=True, withdrawn=False):
    case = make_case()
    consent(case.created_by, case.client, given)
    if withdrawn:
        consent(case.created_by, case.client, False)
    return case


@pytest.fixture
def stays(personas, shelter, make_case):
    """In March 2025: A (20 Feb - 5 Mar, two children), B (28 Mar - 10 Apr),
    C (10-12 Mar, one child), E (from 30 Mar, still there); D left on 1 Feb;
    F (6-8 Mar) withdrew her consent."""
    worker, beds = personas.shelter_worker_a, shelter.test_beds

    def stay(case, bed, admitted, discharged=None, children=0):
        admitted_stay = ss.stay_admit(
            actor=worker,
            case=case,
            bed=bed,
            admitted_on=admitted,
            expected_leave_on=discharged or date(2025, 6, 30),
            children_count=children,
        )
        if discharged:
            ss.stay_discharge(
                actor=worker, stay=admitted_stay, discharged_on=discharged, destination="home"
            )
        return admitted_stay

    a, b, c, d, e = (_woman(make_case) for _n in range(5))
    f = _woman(make_case, withdrawn=True)
    for name, born in (("Minji", date(2019, 4, 7)), ("Hana", date(2021, 9, 23))):
        services.child_add(actor=worker, client=a.client, first_name=name, birth_date=born)
    services.child_add(
        actor=worker, client=c.client, first_name="Sora", birth_date=date(2020, 1, 2)
    )
    stay(d, beds["b"], date(2025, 1, 5), date(2025, 2, 1))
    stay(a, beds["a"], date(2025, 2, 20), date(2025, 3, 5), children=2)
    stay(f, beds["a"], date(2025, 3, 6), date(2025, 3, 8))
    stay(c, beds["c"], date(2025, 3, 10), date(2025, 3, 12), children=1)
    stay(b, beds["b"], date(2025, 3, 28), date(2025, 4, 10))
    stay(e, beds["c"], date(2025, 3, 30))
    return {"children": ["Minji", "Hana", "Sora"]}


def test_stays_bed_nights_inside_the_period_and_children(stays, personas, branch_a, branch_b):
    dataset = _dataset(personas, ["branch"], ["stays", "bed_nights", "children"])
    tables = counting.count_dataset(dataset).tables
    # A 1-4 Mar (4), B 28-31 Mar (4), C 10-11 Mar (2), E 30-31 Mar (2); F left out.
    assert _by_row(tables["stays"]) == {branch_a.code: 4}
    assert tables["bed_nights"].total == 12
    assert _by_row(tables["children"]) == {branch_a.code: 3}
    assert tables["stays"].row_codes == tables["children"].row_codes
    busan = _dataset(personas, ["year"], ["stays"], branches=[branch_b])
    assert counting.count_dataset(busan).tables["stays"].total == 0


def test_bed_nights_by_quarter_of_admission(stays, personas):
    dataset = _dataset(personas, ["quarter"], ["bed_nights", "stays"])
    tables = counting.count_dataset(dataset).tables
    assert _by_row(tables["bed_nights"]) == {"Q1": 12}
    assert _by_row(tables["stays"]) == {"Q1": 4}


def test_children_are_counted_and_never_named(stays, personas):
    dataset = _dataset(personas, ["has_children", "age_band"], ["children", "stays"])
    stats.dataset_request_generation(actor=personas.policy_officer, dataset=dataset)
    assert generate_dataset.apply(args=[dataset.pk]).get() == "generated"
    dataset.refresh_from_db()
    stored = json.dumps(dataset.tables)
    for name in stays["children"]:
        assert name not in stored
    for born in ("2019-04-07", "2021-09-23", "2020-01-02", "2019-04", "2021-09"):
        assert born not in stored
    raw = counting.count_dataset(dataset).tables["children"]
    assert raw.total == 3 and _by_row(raw) == {"yes": 3}
    keys = {key for key, _r, _c in counting.unit_cells(counting.Definition.of(dataset), "children")}
    assert {kind for kind, _pk in keys} == {"stay"} and len(keys) == 4


@pytest.fixture
def referrals(personas, make_case, organisations):
    def refer(case, kind, day):
        return referral_create(
            actor=case.created_by,
            case=case,
            organisation=organisations[kind],
            shares_personal_data=False,
            sent_on=day,
        )

    one, two, three = (_woman(make_case) for _n in range(3))
    withdrawn = _woman(make_case, withdrawn=True)
    refer(one, "hospital", date(2025, 3, 3))
    refer(one, "legal_aid", date(2025, 3, 20))
    refer(two, "hospital", date(2025, 3, 15))
    refer(three, "police", date(2025, 2, 27))  # February: outside the period
    refer(withdrawn, "hospital", date(2025, 3, 10))


def test_referrals_by_kind_of_organisation(referrals, personas, branch_a):
    dataset = _dataset(personas, ["referral_destination"], ["referrals"])
    table = counting.count_dataset(dataset).tables["referrals"]
    assert _by_row(table) == {"hospital": 2, "legal_aid": 1}
    assert table.total == 3
    assert table.row_codes[:3] == ["hospital", "legal_aid", "police"]
    by_branch = _dataset(personas, ["branch", "nationality"], ["referrals"])
    referred = counting.count_dataset(by_branch).tables["referrals"]
    assert referred.total == 3
    # Their cases opened today: no woman of March holds that nationality, so
    # it is rare for the dataset and merged, however many referrals it has.
    assert referred.column_codes == [OTHER]


def test_withdrawing_consent_leaves_her_referrals_and_stays_out(
    referrals, stays, personas, make_case, organisations
):
    dataset = _dataset(personas, ["year"], ["referrals", "stays"])
    before = counting.count_dataset(dataset).tables
    # The woman who withdrew (a stay of 6-8 March, a referral on 10 March) is out.
    assert (before["referrals"].total, before["stays"].total) == (3, 4)
    late = _woman(make_case)
    referral_create(
        actor=late.created_by,
        case=late,
        organisation=organisations["shelter"],
        shares_personal_data=False,
        sent_on=date(2025, 3, 31),
    )
    assert counting.count_dataset(dataset).tables["referrals"].total == 4
    consent(late.created_by, late.client, False)
    assert counting.count_dataset(dataset).tables["referrals"].total == 3


@pytest.mark.parametrize(
    ("measures", "dimensions", "message"),
    [
        (["referrals"], ["service"], "Services delivered break down"),
        (["stays"], ["service"], "Services delivered break down"),
        (["bed_nights"], ["referral_destination"], "referrals only"),
        (["clients", "referrals"], ["referral_destination"], "referrals only"),
        (["children"], ["call_topic"], "hotline calls only"),
        (["calls"], ["referral_destination"], "Hotline calls have no woman"),
    ],
)
def test_impossible_breakdowns_are_refused_with_a_message(personas, measures, dimensions, message):
    translation.activate("en")
    with pytest.raises(ValidationError) as error:
        _dataset(personas, dimensions, measures)
    assert message in " ".join(error.value.message_dict["measures"])
    translation.activate("ko")
    with pytest.raises(ValidationError) as error:
        _dataset(personas, dimensions, measures)
    assert message not in " ".join(error.value.message_dict["measures"])


def test_possible_breakdowns_of_the_new_measures_are_accepted(personas):
    for measures, dimensions in (
        (["referrals"], ["referral_destination", "nationality"]),
        (["stays", "bed_nights", "children"], ["branch", "age_band"]),
        (["referrals", "stays"], ["case_type", "violence_type"]),
    ):
        assert _dataset(personas, dimensions, measures).measures == measures
