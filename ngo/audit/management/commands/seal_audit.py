from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ngo.audit import sealing


class Command(BaseCommand):
    help = (
        "Append the seals of the audit events that are final and not sealed yet (beat "
        "does this every minute). Safe to run at any time, also twice."
    )

    def handle(self, *args, **options):
        made = sealing.audit_seal()
        covered = sum(seal.event_count for seal in made)
        if not any(seal.event_count for seal in made):
            self.stdout.write(_("Nothing to seal yet."))
        if covered:
            head = made[-1]
            self.stdout.write(
                _(
                    "Sealed %(events)s events in %(seals)s seals; the chain ends at seal "
                    "#%(number)s, digest %(digest)s."
                )
                % {
                    "events": covered,
                    "seals": len(made),
                    "number": head.number,
                    "digest": head.digest,
                }
            )
