"""The content of a database as one comparable value: every table's rows, ordered by primary key,
each value written out deterministically, encrypted columns as the ciphertext stored.

Works on a DB-API cursor of either vendor (Django's, or sqlite3's on a file the test made), so a
state read before a backup or a crash can be compared with the state read after."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

State = dict[str, tuple[int, str]]


def _tables(cursor: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return sorted(str(row[0]) for row in cursor.fetchall())


def _order(cursor: Any, vendor: str, table: str) -> str:
    """The primary key's columns; all columns, in order, for a table without one."""
    if vendor == "sqlite":
        cursor.execute(f'PRAGMA table_info("{table}")')
        info = cursor.fetchall()  # cid, name, type, notnull, default, pk
        keys = [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]]
        columns = [row[1] for row in info]
    else:
        quoted = [f'"{table}"']
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
            " AND a.attnum = ANY(i.indkey) WHERE i.indisprimary AND i.indrelid = %s::regclass"
            " ORDER BY array_position(i.indkey::int2[], a.attnum)",
            quoted,
        )
        keys = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attnum > 0 AND NOT attisdropped"
            " AND attrelid = %s::regclass ORDER BY attnum",
            quoted,
        )
        columns = [row[0] for row in cursor.fetchall()]
    return ", ".join(f'"{c}"' for c in (keys or columns))


def _canonical(value: Any) -> str:
    if value is None:
        return "∅"
    if isinstance(value, bytes | bytearray | memoryview):
        return "b:" + bytes(value).hex()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return "d:" + str(value)
    if isinstance(value, dict | list):
        return "j:" + json.dumps(value, sort_keys=True, ensure_ascii=False)
    return f"{type(value).__name__}:{value}"


def table_state(cursor: Any, vendor: str) -> State:
    """Rows and a SHA-256 of the content, per table."""
    state: State = {}
    for table in _tables(cursor, vendor):
        order = _order(cursor, vendor, table)
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY {order}')  # noqa: S608
        digest = hashlib.sha256()
        rows = 0
        for row in cursor.fetchall():
            rows += 1
            digest.update("\x1f".join(_canonical(v) for v in row).encode() + b"\x1e")
        state[table] = (rows, digest.hexdigest())
    return state


def django_state() -> State:
    from django.db import connection

    with connection.cursor() as cursor:
        return table_state(cursor, connection.vendor)
