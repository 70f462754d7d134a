"""Build the migrated PostgreSQL database that the test suite clones.

    DATABASE_URL=postgres://… manage.py prepare_test_database
    → prints the name of the template; run the suite with HAMKKE_TEST_DB_TEMPLATE
      set to it and every test database (one per xdist worker) is a copy of it,
      made by PostgreSQL's CREATE DATABASE … TEMPLATE, instead of a new migrate.

`./hamkke test` and `./hamkke test-dates` build it once per run, so the five
calendar runs migrate once instead of ten times. It is dropped and rebuilt every
time: a template left from another checkout could hold other migrations.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections


class Command(BaseCommand):
    help = "Create and migrate the PostgreSQL template the test databases are copied from."

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]
        if database["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("The test template is for PostgreSQL (DATABASE_URL=postgres://…).")
        name = f"{database['NAME']}_test_template"
        quoted = connection.ops.quote_name(name)
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {quoted}")
        connections.close_all()
        connection.settings_dict["NAME"] = name
        call_command("migrate", interactive=False, verbosity=0)
        connections.close_all()
        self.stdout.write(name)
