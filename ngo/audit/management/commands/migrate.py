"""`migrate`, connected as the owner role when DATABASE_OWNER_URL is set.

The application's own role (DATABASE_URL) owns nothing and cannot create or alter
tables; the owner creates them and, once every app is migrated, grants the
runtime role its rights (ngo.audit.signals, ngo/lib/db_roles.py)."""

from django.conf import settings
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import DEFAULT_DB_ALIAS, connections

from ngo.lib import db_roles


class Command(MigrateCommand):
    help = MigrateCommand.help + " Connects as DATABASE_OWNER_URL when it is set."

    def handle(self, *args, **options):
        if settings.DATABASE_OWNER and options["database"] == DEFAULT_DB_ALIAS:
            db_roles.connect_as_owner(connections[DEFAULT_DB_ALIAS], settings.DATABASE_OWNER)
        return super().handle(*args, **options)
