"""Bulk writing for the generator: COPY on PostgreSQL, executemany on SQLite.

Values go through each field's own ``get_db_prep_save`` (what ``bulk_create`` calls), so encrypted
fields are encrypted by ``core.fields.EncryptedTextField`` exactly as a ``save`` would; only fields
whose Python value is already what the database stores are passed as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

from tongxin.core.fields import EncryptedTextField

# Fields whose value is stored as is on both databases (no adaptation by Django).
_PLAIN = (
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.CharField,
    models.IntegerField,
    models.ForeignKey,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
)

Converter = Callable[[Any], Any] | None


def _converter(field: models.Field[Any, Any]) -> Converter:
    if isinstance(field, EncryptedTextField) or not (
        isinstance(field, _PLAIN) or type(field) is models.TextField
    ):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def concrete_columns(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


class Rows:
    """Rows of ``model`` as tuples in ``columns`` order: the given values, else each field's
    default (what a new instance would hold; auto_now fields: the time the Rows were made).
    Cheaper than instances, whose post_init hooks (audit snapshots) dominate a bulk load."""

    def __init__(self, model: type[models.Model]) -> None:
        now = timezone.now()
        fields = list(model._meta.concrete_fields)
        self.columns = [f.attname for f in fields]
        self.defaults = [
            now
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_default()
            for f in fields
        ]
        self.index = {name: i for i, name in enumerate(self.columns)}
        self.index["pk"] = self.index[model._meta.pk.attname]
        for f in fields:  # a FK may be given by its name or its attname
            if f.attname != f.name:
                self.index[f.name] = self.index[f.attname]

    def make(self, **values: Any) -> tuple[Any, ...]:
        row = list(self.defaults)
        for name, value in values.items():
            if isinstance(value, models.Model):
                value = value.pk
            row[self.index[name]] = value
        return tuple(row)


def object_rows(
    model: type[models.Model], objs: Iterable[models.Model]
) -> Iterable[tuple[Any, ...]]:
    """The rows of unsaved instances (with their pk set), as ``bulk_create`` would write them:
    ``pre_save`` fills auto_now fields."""
    fields = list(model._meta.concrete_fields)
    auto = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    names = [f.attname for f in fields]
    for obj in objs:
        for f in auto:
            f.pre_save(obj, True)
        yield tuple(getattr(obj, name) for name in names)


def write(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (Python values in ``columns`` order, attnames) into ``model``'s table."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    # Columns the caller left out take their field's default (e.g. a ``version`` counter), so a
    # new NOT NULL field does not break the generator.
    missing = [f for name, f in by_attname.items() if name not in columns and not f.primary_key]
    if missing:
        defaults = tuple(f.get_default() for f in missing)
        columns = [*columns, *(f.attname for f in missing)]
        rows = (tuple(row) + defaults for row in rows)
    converters = [(i, c) for i, name in enumerate(columns) if (c := _converter(by_attname[name]))]
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(str(by_attname[c].column)) for c in columns)

    def prepared() -> Iterable[list[Any]]:
        for row in rows:
            values = list(row)
            for i, convert in converters:
                values[i] = convert(values[i])
            yield values

    connection.ensure_connection()
    raw = connection.connection
    count = 0
    if connection.vendor == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for values in prepared():
                copy.write_row(values)
                count += 1
        return count
    placeholders = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table} ({cols}) VALUES ({placeholders})"
    batch: list[list[Any]] = []
    cursor = raw.cursor()
    for values in prepared():
        batch.append(values)
        if len(batch) >= 5000:
            cursor.executemany(sql, batch)
            count += len(batch)
            batch = []
    if batch:
        cursor.executemany(sql, batch)
        count += len(batch)
    cursor.close()
    return count


def next_id(model: type[models.Model]) -> int:
    top = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
    return (top or 0) + 1


def reset_sequences(models_: Sequence[type[models.Model]]) -> None:
    """After rows written with explicit ids, PostgreSQL's sequences must move past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
