"""Fast multi-row inserts for large loads (seed_demo), on SQLite and PostgreSQL alike.

`QuerySet.bulk_create` spends most of its time compiling each value through the ORM; for a
load of millions of rows that is minutes. `BulkInsert` takes plain keyword rows, fills the
model's defaults, and sends them as multi-row INSERT statements (values converted with the
field's own `get_db_prep_save`), or on PostgreSQL through COPY. Primary keys are handed out
here (`reserve_ids`) so that rows can point at each other before they are written;
`reset_sequences` realigns PostgreSQL afterwards.
"""

import csv
import io
import json

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from casetracker.encryption import EncryptedField

# Stays under SQLite's limit of 32,766 bound parameters per statement.
MAX_PARAMS = 30000


class BulkInsert:
    def __init__(self, model, *, with_pk=False, batch_rows=1000):
        self.model = model
        opts = model._meta
        self.fields = [f for f in opts.concrete_fields if with_pk or f is not opts.auto_field]
        self.names = [f.attname for f in self.fields]
        self.defaults = {}
        now = timezone.now()
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            elif f.has_default():
                self.defaults[f.attname] = f.get_default()
            elif f.null:
                self.defaults[f.attname] = None
            elif f.empty_strings_allowed:
                self.defaults[f.attname] = ""
        # Only fields whose Python value differs from what the driver takes need converting.
        self.converters = [
            (i, f)
            for i, f in enumerate(self.fields)
            if isinstance(f, models.DateTimeField | models.DateField | models.JSONField)
        ]
        # Encrypted fields are converted on every path, COPY included: the database holds only
        # their ciphertext.
        self.encrypted = [
            (i, f) for i, f in enumerate(self.fields) if isinstance(f, EncryptedField)
        ]
        self.batch_rows = max(1, min(batch_rows, MAX_PARAMS // len(self.fields)))
        self.rows = []
        self.count = 0
        quoted = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        self.prefix = f"INSERT INTO {connection.ops.quote_name(opts.db_table)} ({quoted}) VALUES "
        self.placeholder = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self.copy_sql = (
            f"COPY {connection.ops.quote_name(opts.db_table)} ({quoted}) "
            "FROM STDIN WITH (FORMAT csv, NULL '\\N')"
        )

    def add(self, **values):
        row = {**self.defaults, **values}
        try:
            self.rows.append([row[name] for name in self.names])
        except KeyError as missing:
            raise TypeError(f"{self.model.__name__}: no value for {missing}") from None
        if len(self.rows) >= self.batch_rows:
            self.flush()

    def flush(self):
        if not self.rows:
            return
        for row in self.rows:
            for i, field in self.encrypted:
                row[i] = field.get_db_prep_save(row[i], connection)
        if connection.vendor == "postgresql":
            self._copy()
        else:
            self._insert()
        self.count += len(self.rows)
        self.rows = []

    def _insert(self):
        for row in self.rows:
            for i, field in self.converters:
                if row[i] is not None:
                    row[i] = field.get_db_prep_save(row[i], connection)
        sql = self.prefix + ", ".join([self.placeholder] * len(self.rows))
        params = [value for row in self.rows for value in row]
        with connection.cursor() as cursor:
            # The wrapped cursor skips Django's per-query debug logging (DEBUG=true in
            # development), which would otherwise format every parameter of every batch.
            cursor.cursor.execute(sql, params)

    def _copy(self):
        """PostgreSQL's COPY reads rows as CSV several times faster than INSERT statements.

        Values go as text: NULL is written as an unquoted \\N, which no value here can be, and
        JSON as its JSON text (the driver's adapter object is for parameters, not for COPY).
        """
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        json_columns = {i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)}
        for row in self.rows:
            writer.writerow(
                [
                    "\\N" if value is None else json.dumps(value) if i in json_columns else value
                    for i, value in enumerate(row)
                ]
            )
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(self.copy_sql, buffer)


def reserve_ids(model, count):
    """The first of `count` fresh primary keys for `model` (inside the loading transaction)."""
    first = (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
    return range(first, first + count)


def reset_sequences(*model_list):
    """After rows were written with explicit keys, point PostgreSQL's sequences past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
