from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import override

from ngo.accounts.demo import load_demo


class Command(BaseCommand):
    help = "Create the demo branches and one account per role (not in production)."

    def handle(self, *args, **options):
        try:
            logins = load_demo()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        width = max(len(email) for _, email, _ in logins)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo logins (http://127.0.0.1:8000/):"))
        with override("en"):
            for role, email, password in logins:
                self.stdout.write(f"  {email.ljust(width)}  {password}   {role}")
        self.stdout.write("")
