"""Floors: what a benchmark cannot go below. The SQL a code path emits, captured and replayed
through the driver's own cursor (no ORM, no templates); the bare parse of an .xlsx (openpyxl
read_only iteration); the bare write of the same rows (openpyxl write_only)."""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from openpyxl import Workbook, load_workbook


@dataclass
class Capture:
    """Every statement run while it is installed, with its parameters (``execute_wrapper``)."""

    queries: list[tuple[str, Any, bool]] = field(default_factory=list)

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.queries.append((sql, params, many))
        return execute(sql, params, many, context)

    @property
    def reads(self) -> list[tuple[str, Any]]:
        return [
            (sql, params)
            for sql, params, many in self.queries
            if not many and sql.lstrip().upper().startswith(("SELECT", "WITH"))
        ]


def capture(fn: Callable[[], Any]) -> Capture:
    found = Capture()
    with connection.execute_wrapper(found):
        fn()
    return found


def replay(reads: Sequence[tuple[str, Any]]) -> int:
    """Run the captured SELECTs through the DB-API cursor and fetch every row. Returns rows."""
    connection.ensure_connection()
    # The backend's own cursor below Django's wrapper: on SQLite it only turns %s into ?.
    cursor = connection.cursor().cursor
    rows = 0
    for sql, params in reads:
        cursor.execute(sql, params)
        rows += len(cursor.fetchall())
    cursor.close()
    return rows


def timed(fn: Callable[[], Any], *, reps: int, warmup: int = 1) -> tuple[float, list[float]]:
    """The median wall time of ``reps`` runs after ``warmup`` runs, and every run's time."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def parse_xlsx(data: bytes) -> int:
    """The bare parse of an .xlsx: every cell value of the first sheet. Returns the rows."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = 0
    for row in book.worksheets[0].iter_rows(values_only=True):
        rows += 1 if any(v is not None for v in row) else 0
    book.close()
    return rows


def write_xlsx(rows: Iterable[Sequence[Any]]) -> int:
    """The bare write of rows to an .xlsx in memory. Returns the bytes written."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.tell()
