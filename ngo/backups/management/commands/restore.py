import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ngo.backups import services
from ngo.backups.exceptions import BackupError


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty database (DATABASE_URL, or --database-url) "
        "and private files folder, after checking its checksums and that the running "
        "FIELD_ENCRYPTION_KEY decrypts it."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the archive written by manage.py backup")
        parser.add_argument("--database-url", default="", help="restore into this database instead")
        parser.add_argument(
            "--private-root", default="", help="restore the files here, not PRIVATE_MEDIA_ROOT"
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="overwrite a database and a folder that are not empty",
        )

    def handle(self, *args, archive, database_url, private_root, replace, **options):
        try:
            report = services.backup_restore(
                archive=Path(archive),
                backup_key=os.environ.get("HAMKKE_BACKUP_KEY", "").strip(),
                database_url=database_url,
                private_root=Path(private_root) if private_root else None,
                replace=replace,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        sample = report.sample
        self.stdout.write(_("Backup made at %(when)s.") % {"when": report.created_at})
        self.stdout.write(
            _("Database: %(engine)s, %(tables)d tables restored.")
            % {"engine": report.engine, "tables": report.tables}
        )
        self.stdout.write(_("Private files restored: %(count)d.") % {"count": report.files})
        self.stdout.write(
            _(
                "Key check: %(values)d encrypted values in %(columns)d columns and "
                "%(files)d files decrypted with the running keys."
            )
            % {"values": sample.values, "columns": sample.columns, "files": sample.files}
        )
        if sample.missing_files:
            self.stdout.write(
                self.style.WARNING(
                    _("%(count)d sampled records point to files missing from the backup.")
                    % {"count": sample.missing_files}
                )
            )
        if report.missing_old_keys:
            self.stdout.write(
                self.style.WARNING(
                    _("Older keys of the backup not running: %(keys)s.")
                    % {"keys": ", ".join(report.missing_old_keys)}
                )
            )
        if report.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    _("The backup is older than this code: run manage.py migrate (%(count)d).")
                    % {"count": report.pending_migrations}
                )
            )
        self.stdout.write(self.style.SUCCESS(_("Restore complete.")))
