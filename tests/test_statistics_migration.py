"""The move of statistics datasets from policy_monitor to their own app keeps
every row: the datasets with their stored tables and branches, the assessments
that cite them, the content type (and so the permissions attached to it) and
the audit trail. Datasets hold no encrypted field and no stored file: their
tables are aggregates in a JSON column, checked here value for value."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("policy_monitor", "0005_assessment_campaigns_datasets"), ("statistics", None)]
AFTER = [("policy_monitor", "0006_statistics_dataset_moved"), ("statistics", "0001_initial")]

TABLES = {
    "clients": {
        "row_codes": ["KH", "VN", "_other"],
        "column_codes": [],
        "cells": [[7], [None], [5]],
        "row_totals": [7, None, 5],
        "column_totals": [],
        "total": 14,
        "additive": True,
        "suppressed": 1,
    }
}
# The same after the two marks (statistics 0005): a null withheld figure is "x".
MARKED = {
    "clients": {
        **TABLES["clients"],
        "cells": [[7], ["x"], [5]],
        "row_totals": [7, "x", 5],
    }
}


def _migrate(targets):
    """Migrate to `targets`; the historical models of the whole project there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    # What is applied now, in every app: an app the targets do not name may have
    # been taken only as far as the targets need (statistics after 0001).
    applied = MigrationExecutor(connection).loader.applied_migrations
    return executor.loader.project_state(list(applied)).apps


def _fill(old_apps) -> dict:
    """Rows as the schema before the move holds them, through its historical models."""
    Branch = old_apps.get_model("accounts", "Branch")
    User = old_apps.get_model("accounts", "User")
    Mechanism = old_apps.get_model("policy_monitor", "Mechanism")
    Recommendation = old_apps.get_model("policy_monitor", "Recommendation")
    Assessment = old_apps.get_model("policy_monitor", "Assessment")
    Dataset = old_apps.get_model("policy_monitor", "StatisticsDataset")
    ContentType = old_apps.get_model("contenttypes", "ContentType")
    Permission = old_apps.get_model("auth", "Permission")
    Group = old_apps.get_model("auth", "Group")
    AuditEvent = old_apps.get_model("audit", "AuditEvent")

    seoul = Branch.objects.create(code="MSE", name_ko="서울", name_en="Seoul")
    busan = Branch.objects.create(code="MBU", name_ko="부산", name_en="Busan")
    officer = User.objects.create(
        email="moved-officer@example.org", full_name="Officer", role="policy_officer"
    )
    dataset = Dataset.objects.create(
        title="CEDAW annex",
        purpose="List of issues",
        period_from=date(2025, 1, 1),
        period_to=date(2025, 12, 31),
        period_basis="opened",
        dimensions=["nationality"],
        measures=["clients"],
        min_cell_size=5,
        status="published",
        created_by=officer,
        generation_requested_by=officer,
        published_by=officer,
        tables=TABLES,
        counted_clients=14,
        excluded_clients=2,
    )
    dataset.branches.set([seoul, busan])
    draft = Dataset.objects.create(
        title="Draft",
        period_from=date(2025, 1, 1),
        period_to=date(2025, 3, 31),
        dimensions=["year"],
        measures=["cases"],
        created_by=officer,
    )
    mechanism, _ = Mechanism.objects.get_or_create(
        code="CEDAW", defaults={"kind": "treaty_body", "name_ko": "CEDAW", "name_en": "CEDAW"}
    )
    recommendation = Recommendation.objects.create(
        source="mechanism", mechanism=mechanism, text="Protect migrant women."
    )
    assessment = Assessment.objects.create(
        recommendation=recommendation,
        assessed_on=date(2026, 1, 15),
        status="not_implemented",
        assessor=officer,
        evidence="The annex figures.",
    )
    assessment.datasets.set([dataset])

    # What post_migrate made of the model while it lived in policy_monitor.
    content_type, _ = ContentType.objects.get_or_create(
        app_label="policy_monitor", model="statisticsdataset"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_statisticsdataset",
        defaults={"name": "Can view statistics dataset"},
    )
    group = Group.objects.create(name="moved-dataset-readers")
    group.permissions.add(permission)
    AuditEvent.objects.create(
        action="export",
        actor_id=officer.pk,
        object_type="policy_monitor.statisticsdataset",
        object_id=str(dataset.pk),
        fields=["tables"],
        reason="csv",
    )
    return {
        "dataset": dataset.pk,
        "draft": draft.pk,
        "assessment": assessment.pk,
        "branches": {seoul.pk, busan.pk},
        "officer": officer.pk,
        "content_type": content_type.pk,
        "group": group.pk,
    }


def _check_moved(new_apps, ids) -> None:
    Dataset = new_apps.get_model("statistics", "StatisticsDataset")
    Assessment = new_apps.get_model("policy_monitor", "Assessment")
    ContentType = new_apps.get_model("contenttypes", "ContentType")
    Group = new_apps.get_model("auth", "Group")

    dataset = Dataset.objects.get(pk=ids["dataset"])
    assert (dataset.title, dataset.purpose, dataset.status) == (
        "CEDAW annex",
        "List of issues",
        "published",
    )
    assert (dataset.period_from, dataset.period_to) == (date(2025, 1, 1), date(2025, 12, 31))
    assert (dataset.period_basis, dataset.dimensions, dataset.measures) == (
        "opened",
        ["nationality"],
        ["clients"],
    )
    assert dataset.tables == TABLES
    assert (dataset.counted_clients, dataset.excluded_clients, dataset.min_cell_size) == (14, 2, 5)
    assert dataset.created_by_id == dataset.published_by_id == ids["officer"]
    assert set(dataset.branches.values_list("pk", flat=True)) == ids["branches"]
    assert Dataset.objects.get(pk=ids["draft"]).status == "draft"
    assessment = Assessment.objects.get(pk=ids["assessment"])
    assert list(assessment.datasets.values_list("pk", flat=True)) == [ids["dataset"]]
    assert list(dataset.assessments.values_list("pk", flat=True)) == [ids["assessment"]]

    content_type = ContentType.objects.get(app_label="statistics", model="statisticsdataset")
    assert content_type.pk == ids["content_type"]
    assert not ContentType.objects.filter(
        app_label="policy_monitor", model="statisticsdataset"
    ).exists()
    group = Group.objects.get(pk=ids["group"])
    assert list(group.permissions.values_list("content_type_id", "codename")) == [
        (ids["content_type"], "view_statisticsdataset")
    ]


def _check_current_code(ids) -> None:
    """The models of today's code read the same rows and name them as before."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from ngo.audit.models import AuditEvent
    from ngo.audit.services import object_type_of
    from policy_monitor.models import Assessment
    from policy_monitor.statistics import exports
    from policy_monitor.statistics.models import StatisticsDataset

    ContentType.objects.clear_cache()
    dataset = StatisticsDataset.objects.get(pk=ids["dataset"])
    assert dataset.has_tables and dataset.tables == MARKED
    from django.utils import translation

    with translation.override("ko"):  # the branch under its Korean name
        exported = exports.render(dataset, "csv").content.decode("utf-8-sig")
    assert "CEDAW annex" in exported and "서울" in exported and "<5" in exported
    assert list(Assessment.objects.get(pk=ids["assessment"]).datasets.all()) == [dataset]
    assert ContentType.objects.get_for_model(StatisticsDataset).pk == ids["content_type"]
    assert Permission.objects.get(
        content_type__app_label="statistics", codename="view_statisticsdataset"
    ).group_set.filter(pk=ids["group"])
    history = AuditEvent.objects.filter(
        object_type=object_type_of(StatisticsDataset), object_id=str(dataset.pk)
    )
    assert list(history.values_list("action", "reason")) == [("export", "csv")]


# Moves rows between apps: the dates are only data that must arrive unchanged.
@pytest.mark.dates_as_data
@pytest.mark.django_db(transaction=True)
def test_datasets_move_to_the_statistics_app_with_their_rows_and_back():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        ids = _fill(_migrate(BEFORE))

        _check_moved(_migrate(AFTER), ids)
        _migrate(latest)
        _check_current_code(ids)

        back = _migrate(BEFORE)
        Dataset = back.get_model("policy_monitor", "StatisticsDataset")
        assert Dataset.objects.get(pk=ids["dataset"]).tables == TABLES
        assert list(
            back.get_model("policy_monitor", "Assessment")
            .objects.get(pk=ids["assessment"])
            .datasets.values_list("pk", flat=True)
        ) == [ids["dataset"]]
        ContentType = back.get_model("contenttypes", "ContentType")
        assert ContentType.objects.get(pk=ids["content_type"]).app_label == "policy_monitor"
    finally:
        _migrate(latest)
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
