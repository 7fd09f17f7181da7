"""Re-encrypt every encrypted value with the first key of FIELD_ENCRYPTION_KEYS.

    FIELD_ENCRYPTION_KEYS=new,old manage.py rotate_encryption_key
    FIELD_ENCRYPTION_KEYS=new      (from then on)

Every row of every model with encrypted fields (history rows included) is read with whichever
key opens it and written back encrypted with the first. Rows are updated in place without a
history record or a change of their "last changed" time: the values themselves do not change.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from casetracker.encryption import encrypted_fields

CHUNK = 1000


class Command(BaseCommand):
    help = "Re-encrypt contacts and ID numbers with the first key of FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_models():
            fields = [field.attname for field in encrypted_fields(model)]
            if not fields:
                continue
            count, last = 0, None
            with transaction.atomic():
                while True:
                    # Keyset pages rather than one open cursor: the rows read are written back
                    # while the next ones are read, which SQLite does not isolate.
                    rows = model._base_manager.order_by("pk")
                    if last is not None:
                        rows = rows.filter(pk__gt=last)
                    page = list(rows.values_list("pk", *fields)[:CHUNK])
                    if not page:
                        break
                    last = page[-1][0]
                    batch = [
                        model(pk=pk, **dict(zip(fields, values, strict=True)))
                        for pk, *values in page
                        if any(values)
                    ]
                    model._base_manager.bulk_update(batch, fields)
                    count += len(batch)
            total += count
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"{total} rows re-encrypted with the first key."))
