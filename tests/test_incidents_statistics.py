"""The statistics dimensions fed by incidents: "type of violence" and
"perpetrator relationship". A woman (a case) counts once per category however
many incidents of it she has; a case without incidents is "not recorded"; the
cells go through the same suppression as every other dimension; consent
withdrawn still leaves her out; gathering stays at a fixed number of queries."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from counselling import services
from counselling.models import ConsentPurpose
from policy_monitor.statistics import services as dataset_services
from policy_monitor.statistics import tabulation
from policy_monitor.statistics.tabulation import DIMENSIONS, UNKNOWN
from tests import statistics_oracle
from tests.incidents_helpers import record


@pytest.fixture(autouse=True)
def _still_clock():
    with time_machine.travel(timezone.now(), tick=False):
        yield


def consent(case, given=True):
    services.consent_record(
        actor=case.created_by,
        client=case.client,
        purpose=ConsentPurpose.STATISTICS,
        given=given,
        explanation_language="vi",
    )


def woman(make_case, nationality="VN", given=True, **case_values):
    case = make_case(nationality=nationality, birth_date=date(1990, 1, 1), **case_values)
    consent(case, given)
    return case


def generate(actor, dimensions, measures=("clients",), k=3):
    today = timezone.localdate()
    dataset = dataset_services.dataset_create(
        actor=actor,
        title="Violence against migrant women",
        period_from=today,
        period_to=today,
        dimensions=list(dimensions),
        measures=list(measures),
        min_cell_size=k,
        generate=False,
    )
    tables, counted, excluded = dataset_services.compute_tables(dataset)
    return tables, counted, excluded


def cell(table, row, column=None):
    r = table["row_codes"].index(row)
    c = table["column_codes"].index(column) if column is not None else 0
    return table["cells"][r][c]


def test_the_dimensions_are_offered_with_their_categories():
    translation.activate("en")
    violence = DIMENSIONS["violence_type"].category_labels()
    assert violence["rape"] == "Rape" and violence[UNKNOWN] == "Not recorded"
    assert DIMENSIONS["violence_type"].multi and DIMENSIONS["perpetrator"].multi
    assert DIMENSIONS["perpetrator"].category_labels()["broker"] == "Marriage broker"


def true_table(actor, dimensions, measure="clients"):
    """The counts before suppression, from the same units generation counts."""
    today = timezone.localdate()
    dataset = dataset_services.dataset_create(
        actor=actor,
        title="Unsuppressed, for the test",
        period_from=today,
        period_to=today,
        dimensions=list(dimensions),
        measures=[measure],
        min_cell_size=3,
        generate=False,
    )
    records = statistics_oracle.gather(dataset)
    units, _counted, _excluded = statistics_oracle.build_units(dataset, records)
    return tabulation.tabulate(units[measure], *dimensions, k=3)


def test_violence_type_by_nationality_counts_each_woman_once_and_hides_small_cells(
    personas, make_case
):
    for n in range(5):
        case = woman(make_case)
        record(case)
        record(case, days_ago=20)  # a second physical assault: she still counts once
        if n == 0:
            record(case, violence_type="psychological", perpetrator="in_law")
    for _n in range(4):
        record(woman(make_case, nationality="PH"), violence_type="denial", perpetrator="employer")
    woman(make_case, nationality="PH")  # no incident: not recorded
    truth = true_table(personas.policy_officer, ["violence_type", "nationality"])
    assert truth.column_codes == ["PH", "VN"]
    assert truth.row_codes == [
        "rape",
        "sexual_assault",
        "physical_assault",
        "forced_marriage",
        "denial",
        "psychological",
        UNKNOWN,
    ]
    assert truth.cells[2] == [0, 5]  # five women, ten physical assaults
    assert truth.cells[4] == [4, 0]
    assert truth.cells[5] == [0, 1]
    assert truth.cells[6] == [1, 0]
    assert truth.total == 10 and truth.additive is False

    tables, counted, excluded = generate(
        personas.policy_officer, ["violence_type", "nationality"], ("clients", "cases")
    )
    assert (counted, excluded) == (10, 0)
    clients = tables["clients"]
    assert (clients["row_codes"], clients["column_codes"]) == (truth.row_codes, ["PH", "VN"])
    # One woman is a small cell: withheld (shown as "<k"), never as 1.
    assert cell(clients, "psychological", "VN") == "<3"
    assert cell(clients, UNKNOWN, "PH") == "<3"
    shown = [
        (value, truth.cells[r][c])
        for r, line in enumerate(clients["cells"])
        for c, value in enumerate(line)
    ]
    # What is shown is the true count, zero or at least k; zeros stay shown.
    assert all(value in ("<3", "x") or value == true for value, true in shown)
    assert all(value in ("<3", "x") or value == 0 or value >= 3 for value, _true in shown)
    # "<3" stands for 1 or 2, "x" for a figure of 3 or more withheld to protect another.
    assert all(1 <= true <= 2 for value, true in shown if value == "<3")
    assert all(true >= 3 for value, true in shown if value == "x")
    assert cell(clients, "rape", "VN") == 0
    assert all(total in ("<3", "x") or total == 0 or total >= 3 for total in clients["row_totals"])
    assert clients["suppressed"] >= 2
    assert tables["cases"]["row_codes"] == truth.row_codes


def test_a_case_without_incidents_is_not_recorded(personas, make_case):
    for _n in range(3):
        woman(make_case)
    for _n in range(3):
        record(woman(make_case), perpetrator="broker", broker_involved="yes")
    tables, counted, _excluded = generate(personas.policy_officer, ["perpetrator"], ("cases",))
    cases = tables["cases"]
    assert counted == 6
    assert cell(cases, UNKNOWN) == 3
    assert cell(cases, "broker") == 3
    assert cell(cases, "husband") == 0


def test_withdrawn_consent_leaves_her_and_her_incidents_out(personas, make_case):
    for _n in range(3):
        record(woman(make_case), violence_type="rape")
    withdrawn = woman(make_case)
    record(withdrawn, violence_type="forced_marriage")
    consent(withdrawn, given=False)
    silent = make_case(nationality="VN")
    record(silent, violence_type="forced_marriage")
    tables, counted, excluded = generate(personas.policy_officer, ["violence_type"])
    assert (counted, excluded) == (3, 2)
    assert cell(tables["clients"], "rape") == 3
    assert cell(tables["clients"], "forced_marriage") == 0


def test_gathering_costs_one_query_for_incidents_whatever_their_number(personas, make_case):
    def queries_for(n):
        for _i in range(n):
            case = woman(make_case)
            record(case)
            record(case, violence_type="rape", perpetrator="stranger")
        today = timezone.localdate()
        dataset = dataset_services.dataset_create(
            actor=personas.policy_officer,
            title="Queries",
            period_from=today,
            period_to=today,
            dimensions=["violence_type", "perpetrator"],
            measures=["clients", "cases", "sessions"],
            min_cell_size=3,
            generate=False,
        )
        with CaptureQueriesContext(connection) as captured:
            _tables, counted, _excluded = dataset_services.compute_tables(dataset)
        incident_queries = [q for q in captured if "incidents_incident" in q["sql"]]
        return len(captured), len(incident_queries), counted

    few, few_incident_queries, counted_few = queries_for(3)
    many, many_incident_queries, counted_many = queries_for(6)
    assert (counted_few, counted_many) == (3, 9)
    # (the SQL counts, the branches, the release ledger)
    assert few == many <= 8
    # Counted in SQL: the incidents are a subquery of each measure's one query.
    assert few_incident_queries == many_incident_queries <= 3


def test_the_period_counts_cases_served_in_it_with_all_their_incidents(personas, make_case):
    old = woman(make_case)
    record(old, violence_type="sexual_assault", days_ago=400)
    for _n in range(2):
        record(woman(make_case), violence_type="sexual_assault")
    later = timezone.localdate() + timedelta(days=40)
    with time_machine.travel(later, tick=False):
        tables, counted, _excluded = generate(personas.policy_officer, ["violence_type"])
    # Nothing opened or served in that month: no one counted.
    assert counted == 0
    tables, counted, _excluded = generate(personas.policy_officer, ["violence_type"])
    assert counted == 3 and cell(tables["clients"], "sexual_assault") == 3
