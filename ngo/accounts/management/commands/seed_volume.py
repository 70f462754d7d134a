"""Fill the database with archive-volume data for benchmarks (never in production).

python manage.py seed_volume --volume small      # 1,000 clients, 20,000 sessions
python manage.py seed_volume --volume archive    # ten years of six branches
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ngo import volume


class Command(BaseCommand):
    help = "Bulk-insert internally consistent records at a named volume (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--volume", choices=sorted(volume.VOLUMES), default="small")
        parser.add_argument("--seed", type=int, default=20261201, help="random seed")

    def handle(self, *args, volume: str, seed: int, **options):
        from ngo import volume as volumes

        if settings.PRODUCTION:
            raise CommandError("Volume data cannot be loaded in production.")
        started = time.monotonic()
        try:
            counts = volumes.seed(volume, seed_value=seed, report=self.stdout.write)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for label, count in sorted(counts.items()):
            self.stdout.write(f"{label:40} {count:>10,}")
        self.stdout.write(f"done in {time.monotonic() - started:.0f} s")
