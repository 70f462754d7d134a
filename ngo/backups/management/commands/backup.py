import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo.backups import services
from ngo.backups.exceptions import BackupError
from ngo.backups.stream import new_key


def default_name(encrypted: bool) -> str:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    return f"hamkke-backup-{stamp}.tar" + (".enc" if encrypted else "")


class Command(BaseCommand):
    help = (
        "Back up the database and the private files into one archive, encrypted with "
        "HAMKKE_BACKUP_KEY. The field keys are not in it: keep them apart."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "output", nargs="?", default=".", help="archive file or folder (default: here)"
        )
        parser.add_argument(
            "--unencrypted",
            action="store_true",
            help="write a plain archive when HAMKKE_BACKUP_KEY is not set",
        )
        parser.add_argument(
            "--work-dir", help="folder for the encrypted scratch files (default: the output's)"
        )
        parser.add_argument(
            "--generate-key", action="store_true", help="print a new backup key and stop"
        )

    def handle(self, *args, output, unencrypted, work_dir, generate_key, **options):
        if generate_key:
            self.stdout.write(new_key())
            return
        backup_key = os.environ.get("HAMKKE_BACKUP_KEY", "").strip()
        target = Path(output)
        if target.is_dir():
            target = target / default_name(bool(backup_key))
        try:
            report = services.backup_create(
                output=target,
                backup_key=backup_key,
                unencrypted=unencrypted,
                work_dir=Path(work_dir) if work_dir else None,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _("Database: %(engine)s, %(tables)d tables.")
            % {"engine": report.engine, "tables": report.tables}
        )
        self.stdout.write(_("Private files: %(count)d.") % {"count": report.files})
        self.stdout.write(
            _("Field key fingerprint: %(fingerprint)s (the keys are not in the backup).")
            % {"fingerprint": report.fingerprint}
        )
        if not report.encrypted:
            self.stdout.write(
                self.style.WARNING(
                    _("The archive is NOT encrypted: it holds plaintext columns. Protect it.")
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Backup written: %(path)s (%(size)d bytes).")
                % {"path": report.path, "size": report.size}
            )
        )
