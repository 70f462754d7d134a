from django.core.management.base import BaseCommand

from ngo.lib.env import new_fernet_key


class Command(BaseCommand):
    help = "Print a new random key for FIELD_ENCRYPTION_KEY."

    def handle(self, *args, **options):
        self.stdout.write(new_fernet_key())
