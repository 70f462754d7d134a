from django.core.management.base import BaseCommand
from django.db import transaction

from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record, object_type_of
from ngo.lib import private_files
from ngo.lib.crypto import encrypted_fields_by_model


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column with the first key of FIELD_ENCRYPTION_KEY. "
        "Run after putting a new key first (old keys still listed after it); when it "
        "finishes, the old keys can be removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        total = 0
        for model, names in encrypted_fields_by_model().items():
            count = 0
            manager = model._base_manager
            indexes = getattr(model, "BLIND_INDEXES", {})
            for obj in manager.only("pk", *names).iterator(chunk_size=batch_size):
                values = {name: getattr(obj, name) for name in names}
                for index_field, compute in indexes.items():
                    values[index_field] = compute(obj)
                with transaction.atomic():
                    manager.filter(pk=obj.pk).update(**values)
                count += 1
            with transaction.atomic():
                audit_record(
                    action=AuditAction.UPDATE,
                    object_type=object_type_of(model),
                    fields=names,
                    reason="key_rotation",
                )
            self.stdout.write(
                f"{model._meta.label}: {count} rows re-encrypted ({', '.join(names)})"
            )
            total += count
        for model in private_files.models_with_files():
            files = model.rotate_encrypted_files()
            with transaction.atomic():
                audit_record(
                    action=AuditAction.UPDATE,
                    object_type=object_type_of(model),
                    fields=["file"],
                    reason="key_rotation",
                )
            self.stdout.write(f"{model._meta.label}: {files} files re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} rows."))
