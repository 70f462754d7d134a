import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from ngo.audit import sealing
from ngo.audit.models import AuditAction, AuditEvent, AuditSeal
from ngo.audit.services import audit_record
from ngo.lib import db_roles

ANCHOR = re.compile(r"^(\d{1,18}):([0-9a-f]{64})$")


def _anchor(value: str) -> tuple[int, str]:
    found = ANCHOR.match(value.strip().lower())
    if not found:
        raise CommandError(
            _("--anchor must be NUMBER:DIGEST (64 hexadecimal characters), got %(value)s.")
            % {"value": value[:80]}
        )
    return int(found[1]), found[2]


class Command(BaseCommand):
    help = (
        "Recompute the hash chain of the audit trail and report every changed, deleted "
        "or inserted event in a sealed range and every altered seal; exit status 1 if any."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="NUMBER:DIGEST",
            help="a seal's digest as logged by the sealer (repeatable)",
        )
        parser.add_argument(
            "--unkeyed-up-to",
            type=int,
            default=0,
            metavar="NUMBER",
            help="seals up to this number predate AUDIT_SEAL_KEY and carry no key",
        )
        parser.add_argument(
            "--require-insert-only",
            action="store_true",
            help="also fail if this connection's role could rewrite the audit tables",
        )

    def handle(self, *args, anchor, unkeyed_up_to, require_insert_only, **options):
        anchors = dict(_anchor(value) for value in anchor)
        result = sealing.audit_verify(anchors=anchors, unkeyed_up_to=unkeyed_up_to)
        problems = list(result.problems)
        if require_insert_only:
            tables = [AuditEvent._meta.db_table, AuditSeal._meta.db_table]
            rewritable = db_roles.can_rewrite(connection, tables)
            if rewritable:
                problems.append(
                    _("This connection's role (%(role)s) can rewrite %(tables)s.")
                    % {"role": connection.settings_dict["USER"], "tables": ", ".join(rewritable)}
                )
        with transaction.atomic():
            audit_record(
                action=AuditAction.READ,
                object_type="audit.auditseal",
                reason="verify_failed" if problems else "verify_ok",
            )
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                _("Audit trail check failed: %(count)s problem(s).") % {"count": len(problems)}
            )
        head = result.head
        self.stdout.write(
            _(
                "Audit trail verified: %(seals)s seals over %(events)s events; %(unsealed)s "
                "events not sealed yet; the chain ends at %(head)s."
            )
            % {
                "seals": result.seals,
                "events": result.events,
                "unsealed": result.unsealed,
                "head": f"#{head.number}:{head.digest}" if head else "-",
            }
        )
