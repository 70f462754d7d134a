"""Disclosure control across everything released, through real generation,
the release ledger and the exports: the two marks ("<k", "x"), withheld
cells shared by the tables of one dataset, the differencing attack across
releases (January-June against January-May), the ledger (once per table,
append-only) and refusals that store and release nothing."""

from __future__ import annotations

import importlib
from datetime import date, datetime

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation

from counselling import services
from counselling.models import ConsentPurpose
from ngo.audit.models import AuditAction, AuditEvent
from policy_monitor.statistics import ledger
from policy_monitor.statistics import services as dataset_services
from policy_monitor.statistics.models import (
    AppendOnlyError,
    DatasetStatus,
    Release,
    ReleaseChannel,
    StatisticsDataset,
)
from policy_monitor.statistics.suppression import protect_dataset, published
from policy_monitor.statistics.tabulation import Table, tabulate
from policy_monitor.statistics.tasks import generate_dataset
from tests.conftest import verified_client
from tests.disclosure_attacker import Attacker

YEAR = 2025  # a past half-year: the test holds whatever today is
NOON = datetime(YEAR, 1, 1, 12, tzinfo=timezone.get_fixed_timezone(540)).timetz()


def consent(case):
    services.consent_record(
        actor=case.created_by,
        client=case.client,
        purpose=ConsentPurpose.STATISTICS,
        given=True,
        explanation_language="vi",
    )


def woman_on(make_case, day: date, **client):
    with time_machine.travel(datetime.combine(day, NOON), tick=False):
        case = make_case(**client)
        consent(case)
    return case


def generate(actor, title, period_from, period_to, **values) -> StatisticsDataset:
    dataset = dataset_services.dataset_create(
        actor=actor,
        title=title,
        period_from=period_from,
        period_to=period_to,
        period_basis=values.pop("period_basis", "opened"),
        dimensions=values.pop("dimensions", ["nationality", "residence_status"]),
        measures=values.pop("measures", ["clients"]),
        min_cell_size=values.pop("min_cell_size", 5),
        generate=False,
    )
    dataset_services.dataset_request_generation(actor=actor, dataset=dataset)
    generate_dataset.apply(args=[dataset.pk]).get()
    dataset.refresh_from_db()
    return dataset


def ledger_releases(measure="clients") -> list[dict]:
    return [
        {"definition": r.definition, "figures": r.figures}
        for r in Release.objects.filter(measure=measure).order_by("pk")
    ]


def truth(definition):
    return dataset_services.unit_cells(definition, "clients")


# --- The two marks ----------------------------------------------------------------------------


def test_a_cell_withheld_to_protect_another_shows_x_and_a_small_one_shows_less_than_k():
    cells = [[3, 63], [40, 50]]
    tab = Table(
        row_codes=["r0", "r1"],
        column_codes=["c0", "c1"],
        cells=cells,
        row_totals=[66, 90],
        column_totals=[43, 113],
        total=156,
    )
    out = published(tab, 5)
    assert out["cells"][0] == ["<5", "x"]  # 63 is not "<5": it is withheld for the 3
    assert out["cells"][1][0] == "x" and out["row_totals"][0] == 66
    assert out["total"] == 156


def test_the_migration_turns_the_old_null_marks_into_x(personas):
    dataset = dataset_services.dataset_create(
        actor=personas.policy_officer,
        title="Stored before the two marks",
        period_from=date(YEAR, 1, 1),
        period_to=date(YEAR, 1, 31),
        dimensions=["nationality"],
        measures=["clients"],
        generate=False,
    )
    old = {
        "row_codes": ["VN", "_other"],
        "column_codes": [],
        "cells": [[None], [None]],
        "row_totals": [None, None],
        "column_totals": [],
        "total": 12,
        "additive": True,
        "suppressed": 2,
    }
    StatisticsDataset.objects.filter(pk=dataset.pk).update(
        tables={"clients": old}, status=DatasetStatus.GENERATED
    )
    migration = importlib.import_module("policy_monitor.statistics.migrations.0007_withheld_marks")
    migration.none_to_x(django_apps, None)
    dataset.refresh_from_db()
    table = dataset.tables["clients"]
    assert table["cells"] == [["x"], ["x"]] and table["row_totals"] == ["x", "x"]
    assert table["total"] == 12


# --- One dataset: shared withheld cells ---------------------------------------------------------


@pytest.fixture
def mongolians(make_case, personas):
    """This month: five Mongolian F-6 women and one G-1 asylum seeker with six
    sessions; Vietnamese women beside them."""
    with time_machine.travel(timezone.now(), tick=False):
        today = timezone.localdate()
        people = (
            [("MN", "F-6", 1)] * 5
            + [("MN", "G-1", 6)]
            + [("VN", "F-6", 1)] * 6
            + [("VN", "G-1", 1)] * 5
        )
        for nationality, status, sessions in people:
            case = make_case(nationality=nationality, residence_status=status)
            consent(case)
            for _n in range(sessions):
                services.session_record(actor=case.created_by, case=case, mode="in_person")
        yield today


def test_the_sessions_table_withholds_what_the_women_table_withholds(mongolians, personas):
    dataset = generate(
        personas.policy_officer,
        "Asylum seekers",
        mongolians,
        mongolians,
        period_basis="served",
        measures=["clients", "sessions"],
    )
    assert dataset.status == DatasetStatus.GENERATED
    women, sessions = dataset.tables["clients"], dataset.tables["sessions"]
    mn, g1 = women["row_codes"].index("MN"), women["column_codes"].index("G-1")
    assert women["cells"][mn][g1] == "<5"  # one woman
    assert sessions["cells"][mn][g1] == "x"  # six sessions: not printed beside her
    assert (sessions["row_codes"], sessions["column_codes"]) == (
        women["row_codes"],
        women["column_codes"],
    )
    for r, row in enumerate(women["cells"]):
        for c, value in enumerate(row):
            other = sessions["cells"][r][c]
            if value != 0 and other != 0:
                assert isinstance(value, int) == isinstance(other, int), (r, c, value, other)


def test_protect_dataset_repeats_until_every_table_agrees():
    units_a = [{"nationality": "VN"}] * 9 + [{"nationality": "PH"}] * 6 + [{"nationality": "KH"}]
    units_b = (
        [{"nationality": "VN"}] * 2 + [{"nationality": "PH"}] * 20 + [{"nationality": "KH"}] * 7
    )
    tables = {
        "clients": tabulate(units_a, "nationality", None, k=1),
        "sessions": tabulate(units_b, "nationality", None, k=1),
    }
    out = protect_dataset(tables, 5)
    assert out["clients"]["row_codes"] == ["KH", "PH", "VN"]
    # Alone, the women table would withhold KH and PH, the sessions table VN
    # and KH; together each withholds all three, and the totals stay printed.
    assert out["clients"]["row_totals"] == ["<5", "x", "x"]
    assert out["sessions"]["row_totals"] == ["x", "x", "<5"]
    assert (out["clients"]["total"], out["sessions"]["total"]) == (16, 29)


# --- Differencing across releases ----------------------------------------------------------------


@pytest.fixture
def half_year(make_case):
    """January-May: women of three kinds; June: one undocumented Cambodian woman."""
    kinds = [("VN", "F-6")] * 9 + [("VN", "E-9")] * 6 + [("KH", "F-6")] * 6
    for n, (nationality, status) in enumerate(kinds):
        woman_on(
            make_case, date(YEAR, 1 + n % 5, 10), nationality=nationality, residence_status=status
        )
    june = woman_on(make_case, date(YEAR, 6, 12), nationality="KH", residence_status="undocumented")
    return f"client:{june.client_id}"


@pytest.mark.parametrize(
    "order", [[(1, 6), (1, 5)], [(1, 5), (1, 6)]], ids=["JJ-then-JM", "JM-then-JJ"]
)
def test_differencing_two_periods_does_not_find_the_june_woman(half_year, personas, order):
    officer = personas.policy_officer
    for first, last in order:
        dataset = generate(officer, f"{first}-{last}", date(YEAR, first, 1), date(YEAR, last, 1))
        if dataset.status == DatasetStatus.GENERATED:
            dataset_services.dataset_export(actor=officer, dataset=dataset, file_format="csv")
        else:
            assert dataset.status == DatasetStatus.REFUSED and dataset.tables == {}
    released = ledger_releases()
    assert released, "the first table is always released"
    attacker = Attacker(released, truth)
    assert attacker.exposed() == []
    atom = next(a for a in attacker.atoms if half_year in a)
    low, high = attacker.bounds(atom)
    assert low < high, (low, high)


def test_without_the_auditor_the_two_periods_give_her_away(half_year, personas):
    """The attack the auditor stops: the second table protected on its own."""
    officer = personas.policy_officer
    first = generate(officer, "January-June", date(YEAR, 1, 1), date(YEAR, 6, 1))
    dataset_services.dataset_export(actor=officer, dataset=first, file_format="csv")
    definition = {**ledger_releases()[0]["definition"], "period_to": f"{YEAR}-05-31"}
    units = [
        {"nationality": rows[0], "residence_status": columns[0]}
        for _key, rows, columns in truth(definition)
    ]
    alone = protect_dataset({"clients": tabulate(units, "nationality", "residence_status", k=5)}, 5)
    naive = {
        "definition": {
            **definition,
            "row_codes": alone["clients"]["row_codes"],
            "column_codes": alone["clients"]["column_codes"],
        },
        "figures": alone["clients"],
    }
    exposed = Attacker([*ledger_releases(), naive], truth).exposed()
    assert any(half_year in units for _kind, units, _low, _high in exposed), exposed


def test_a_dataset_generated_before_another_left_is_audited_again_when_released(
    half_year, personas
):
    officer = personas.policy_officer
    june = generate(officer, "January-June", date(YEAR, 1, 1), date(YEAR, 6, 1))
    may = generate(officer, "January-May", date(YEAR, 1, 1), date(YEAR, 5, 1))
    assert june.status == may.status == DatasetStatus.GENERATED  # each safe alone
    dataset_services.dataset_export(actor=officer, dataset=june, file_format="csv")
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="Generate the dataset again"),
    ):
        dataset_services.dataset_export(actor=officer, dataset=may, file_format="xlsx")
    assert not Release.objects.filter(dataset=may).exists()
    assert not AuditEvent.objects.filter(object_id=str(may.pk), action=AuditAction.EXPORT).exists()
    # Generated again, with the January-June table in the ledger: safe, or refused.
    again = generate(officer, "January-May again", date(YEAR, 1, 1), date(YEAR, 5, 1))
    if again.status == DatasetStatus.GENERATED:
        dataset_services.dataset_export(actor=officer, dataset=again, file_format="xlsx")
    assert Attacker(ledger_releases(), truth).exposed() == []


# --- The ledger ----------------------------------------------------------------------------


def test_the_same_tables_downloaded_twice_release_nothing_new(half_year, personas):
    officer = personas.policy_officer
    dataset = generate(officer, "January-June", date(YEAR, 1, 1), date(YEAR, 6, 1))
    for file_format in ("csv", "csv", "xlsx", "docx"):
        dataset_services.dataset_export(actor=officer, dataset=dataset, file_format=file_format)
    release = Release.objects.get(dataset=dataset)
    assert (release.measure, release.channel, release.released_by) == ("clients", "csv", officer)
    assert release.figures == dataset.tables["clients"]
    assert release.definition["k"] == 5 and release.definition["period_to"] == f"{YEAR}-06-30"
    assert release.definition["row_codes"] == dataset.tables["clients"]["row_codes"]
    exports = AuditEvent.objects.filter(object_id=str(dataset.pk), action=AuditAction.EXPORT)
    assert exports.count() == 4  # every download is still audited
    dataset_services.dataset_publish(actor=officer, dataset=dataset)
    assert Release.objects.filter(dataset=dataset).count() == 1


def test_the_api_records_what_it_sends(half_year, personas):
    officer = personas.policy_officer
    dataset = generate(officer, "January-June", date(YEAR, 1, 1), date(YEAR, 6, 1))
    client = verified_client(officer)
    assert client.get(f"/api/v1/statistics-datasets/{dataset.pk}/").status_code == 200
    assert client.get("/api/v1/statistics-datasets/").status_code == 200
    release = Release.objects.get(dataset=dataset)
    assert release.channel == ReleaseChannel.API


def test_the_ledger_is_append_only(half_year, personas):
    officer = personas.policy_officer
    dataset = generate(officer, "January-June", date(YEAR, 1, 1), date(YEAR, 6, 1))
    dataset_services.dataset_publish(actor=officer, dataset=dataset)
    release = Release.objects.get(dataset=dataset)
    assert release.channel == ReleaseChannel.PUBLISHED
    release.figures = {}
    with pytest.raises(AppendOnlyError):
        release.save()
    with pytest.raises(AppendOnlyError):
        release.delete()
    with pytest.raises(AppendOnlyError):
        Release.objects.filter(pk=release.pk).update(channel="csv")
    with pytest.raises(AppendOnlyError):
        Release.objects.all().delete()
    assert Release.objects.get(pk=release.pk).figures == dataset.tables["clients"]


def test_the_database_refuses_to_change_a_release(half_year, personas):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    officer = personas.policy_officer
    dataset = generate(officer, "January-June", date(YEAR, 1, 1), date(YEAR, 6, 1))
    dataset_services.dataset_publish(actor=officer, dataset=dataset)
    for sql in ("UPDATE statistics_release SET channel = 'csv'", "DELETE FROM statistics_release"):
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert Release.objects.count() == 1


def test_a_refused_generation_stores_and_releases_nothing(make_case, personas):
    """Two women of 30-39, one F-6 and one undocumented: "<3" and "<3" under a
    "<3" column total would pin each to 1, whatever else is withheld."""
    for n in range(6):
        woman_on(
            make_case, date(YEAR, 3, 3), residence_status="F-6", birth_date=date(1998, 1, n + 1)
        )
    woman_on(make_case, date(YEAR, 3, 3), residence_status="F-6", birth_date=date(1990, 5, 5))
    woman_on(
        make_case, date(YEAR, 3, 3), residence_status="undocumented", birth_date=date(1989, 5, 5)
    )
    officer = personas.policy_officer
    dataset = generate(
        officer,
        "Crossed",
        date(YEAR, 3, 1),
        date(YEAR, 3, 1),
        dimensions=["residence_status", "age_band"],
        min_cell_size=3,
    )
    assert dataset.status == DatasetStatus.REFUSED
    assert dataset.refusal == "unsafe" and dataset.tables == {}
    with translation.override("en"):
        assert "fewer than k" in dataset.get_refusal_display()
    assert AuditEvent.objects.filter(object_id=str(dataset.pk), reason="release_refused").exists()
    with translation.override("en"), pytest.raises(ValidationError, match="no tables yet"):
        dataset_services.dataset_export(actor=officer, dataset=dataset, file_format="csv")
    with pytest.raises(ValidationError):
        dataset_services.dataset_publish(actor=officer, dataset=dataset)
    assert not Release.objects.exists()


def test_fingerprint_names_the_figures_and_their_definition():
    a = ledger.fingerprint({"k": 5}, {"total": 9})
    assert a == ledger.fingerprint({"k": 5}, {"total": 9})
    assert a != ledger.fingerprint({"k": 5}, {"total": "x"})
    assert a != ledger.fingerprint({"k": 3}, {"total": 9})
    assert len(a) == 64
