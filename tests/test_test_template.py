"""manage.py prepare_test_database: the PostgreSQL template the suite's databases
are copied from (CI builds it on every run and clones each test database from it)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is for other databases")
def test_refuses_a_database_that_is_not_postgresql():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("prepare_test_database")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
@pytest.mark.django_db
def test_this_test_database_is_fully_migrated():
    # Whether cloned from the template or migrated itself, the suite's database
    # has no migration left to apply.
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
