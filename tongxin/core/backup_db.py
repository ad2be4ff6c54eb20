"""The database half of a backup, one pair of functions per vendor (backup.py holds the archive).

SQLite: the online backup API copies a consistent image page by page while the app keeps
writing (WAL lets readers and the one writer go on), and copies it back the same way.
PostgreSQL: ``pg_dump -Fc`` and ``pg_restore --clean --if-exists`` in one transaction, with the
connection of the Django setting; the password travels in PGPASSWORD, never on a command line.
Row counts and the migration state are read from the very image that is kept: the SQLite copy,
or the snapshot pg_dump is told to use.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection

SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"

TOOL_MISSING = "找不到 {tool}：请安装与数据库服务器同版本（或更新）的 PostgreSQL 客户端工具后重试。"
TOOL_FAILED = "{tool} 执行失败，未做任何改动：{error}"
SQLITE_DAMAGED = (
    "备份中的 SQLite 数据库未通过完整性检查（{result}），不能用于恢复。请换用另一份备份。"
)
IN_TRANSACTION = "备份和恢复不能在数据库事务之中进行：请直接运行 manage.py backup 或 restore。"
SQLITE_BUSY = (
    "数据库正被其他程序使用，无法恢复：请先停止同心的应用服务（gunicorn）和定时任务后重试。"
)


class DatabaseToolError(Exception):
    """A dump or restore tool failed; the message is a Chinese sentence for the operator."""


@dataclass(frozen=True)
class Image:
    """A database image written to ``path``: its counts and migrations, read from that image."""

    path: Path
    member: str
    tables: dict[str, int]
    migrations: list[tuple[str, str]]


def vendor() -> str:
    return connection.vendor


def member_name() -> str:
    return SQLITE_MEMBER if connection.vendor == "sqlite" else PG_MEMBER


def dump(directory: Path) -> Image:
    return _sqlite_dump(directory) if connection.vendor == "sqlite" else _pg_dump(directory)


def load(path: Path, *, drop_tables: list[str]) -> None:
    """Replace the whole database with the image at ``path``. ``drop_tables`` are tables of the
    current database the image does not have (a backup from before a migration), dropped in the
    same transaction so that ``migrate`` can create them again."""
    if connection.vendor == "sqlite":
        _sqlite_load(path)
    else:
        _pg_load(path, drop_tables)


def table_counts() -> dict[str, int]:
    """Rows per table of the live database, as the app's connection sees them."""
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
        return {name: _count(cursor, connection.ops.quote_name(name)) for name in sorted(names)}


def _count(cursor: Any, quoted: str) -> int:
    cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 - a quoted table name
    return int(cursor.fetchone()[0])


def _read_state(cursor: Any, names: list[str], quote: str) -> tuple[dict, list]:
    tables = {name: _count(cursor, f"{quote}{name}{quote}") for name in sorted(names)}
    migrations: list[tuple[str, str]] = []
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [(str(app), str(name)) for app, name in cursor.fetchall()]
    return tables, migrations


# --- SQLite ---------------------------------------------------------------------------------------


def _sqlite_dump(directory: Path) -> Image:
    path = directory / SQLITE_MEMBER
    if connection.in_atomic_block:
        # The copy would wait forever for the transaction this very connection holds open.
        raise DatabaseToolError(IN_TRANSACTION)
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
        # One self-contained file: the copy must not need a -wal file beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        names = [
            row[0]
            for row in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        tables, migrations = _read_state(copy.cursor(), names, '"')
    finally:
        copy.close()
    return Image(path, SQLITE_MEMBER, tables, migrations)


def sqlite_check(path: Path) -> None:
    image = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = image.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        result = str(exc)
    finally:
        image.close()
    if result != "ok":
        raise DatabaseToolError(SQLITE_DAMAGED.format(result=result))


def _sqlite_load(path: Path) -> None:
    sqlite_check(path)
    if connection.in_atomic_block:
        raise DatabaseToolError(IN_TRANSACTION)
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        # The backup API writes the whole image under one write lock: readers see the old
        # database or the new one, never half of each.
        source.backup(connection.connection)
    except sqlite3.OperationalError as exc:
        raise DatabaseToolError(SQLITE_BUSY) from exc
    finally:
        source.close()
    connection.close()  # the next query reconnects, and the settings' PRAGMAs (WAL) apply again


# --- PostgreSQL -----------------------------------------------------------------------------------


def _pg_settings() -> tuple[list[str], dict[str, str]]:
    """Connection flags and environment for the client tools, from the Django setting."""
    s = connection.settings_dict
    args = ["--dbname", str(s["NAME"])]
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "20"}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    options = s.get("OPTIONS") or {}
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        if options.get(option):
            env[variable] = str(options[option])
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise DatabaseToolError(TOOL_MISSING.format(tool=name))
    return path


def _failed(tool: str, stderr: bytes) -> DatabaseToolError:
    error = stderr.decode(errors="replace").strip() or "未知错误"
    return DatabaseToolError(TOOL_FAILED.format(tool=tool, error=error[-2000:]))


@contextmanager
def _pg_snapshot() -> Iterator[tuple[str, dict, list]]:
    """A repeatable-read transaction on a connection of its own, exported for pg_dump: the
    counts and migrations read here describe exactly the rows pg_dump writes."""
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = str(cursor.fetchone()[0])
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            names = [str(row[0]) for row in cursor.fetchall()]
            tables, migrations = _read_state(cursor, names, '"')
            yield snapshot, tables, migrations
        raw.rollback()
    finally:
        raw.close()


def _pg_dump(directory: Path) -> Image:
    path = directory / PG_MEMBER
    args, env = _pg_settings()
    with _pg_snapshot() as (snapshot, tables, migrations):
        done = subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
            [
                _tool("pg_dump"),
                "--format=custom",
                f"--snapshot={snapshot}",
                "--file",
                str(path),
                *args,
            ],
            env=env,
            capture_output=True,
            check=False,
        )
    if done.returncode != 0:
        raise _failed("pg_dump", done.stderr)
    return Image(path, PG_MEMBER, tables, migrations)


def _pg_load(path: Path, drop_tables: list[str]) -> None:
    """pg_restore writes the SQL, psql runs it with the drops of ``drop_tables`` in front, all in
    one transaction that stops at the first error: everything is restored, or nothing changes."""
    args, env = _pg_settings()
    # --clean --if-exists notes every table it drops; only warnings and errors are worth reading.
    env["PGOPTIONS"] = "-c client_min_messages=warning"
    with tempfile.TemporaryFile() as script_err, tempfile.TemporaryFile() as runner_err:
        script = subprocess.Popen(  # noqa: S603 - fixed tool, arguments from settings
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--file",
                "-",
                str(path),
            ],
            stdout=subprocess.PIPE,
            stderr=script_err,
            env=env,
        )
        runner = subprocess.Popen(  # noqa: S603
            [
                _tool("psql"),
                "--no-psqlrc",
                "--quiet",
                "--single-transaction",
                "--set",
                "ON_ERROR_STOP=1",
                "--file",
                "-",
                *args,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=runner_err,
            env=env,
        )
        assert script.stdout is not None and runner.stdin is not None
        connection.close()  # hold no connection (nor any lock) while the tables are replaced
        try:
            for name in drop_tables:
                runner.stdin.write(f'DROP TABLE IF EXISTS "{name}" CASCADE;\n'.encode())
            shutil.copyfileobj(script.stdout, runner.stdin, 1 << 20)
        except BrokenPipeError:
            pass  # psql stopped at an error: its message follows
        if script.wait() != 0:
            # psql would commit what it has read at the end of its input: it must not see one.
            runner.kill()
            runner.wait()
            script_err.seek(0)
            raise _failed("pg_restore", script_err.read())
        with contextlib.suppress(BrokenPipeError):
            runner.stdin.close()
        if runner.wait() != 0:
            runner_err.seek(0)
            raise _failed("psql", runner_err.read())
