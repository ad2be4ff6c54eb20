"""kill -9 in the middle of an import's commit leaves the database as it was, and usable.

A real process (manage.py import_roster) commits a roster of thousands of rows against the test
database; it is killed with SIGKILL once it reports having written thousands of them inside its
transaction. PostgreSQL: the test database itself, committed by a transactional test. SQLite: the
suite's database is in memory, so a file copy of it (made with the online backup API) is what the
process and the checks open."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from tongxin.core.ids import make_id_number

from ..conftest import Cast
from .dbstate import State, table_state

ROWS = 20_000
KILL_AFTER = 4_000  # rows the commit has reported: 3,000 or more of them written by then
APP_NAME = "tongxin_crash_import"
MANAGE = Path(settings.BASE_DIR) / "manage.py"
WAIT_SECONDS = 120  # a bound on every wait below, so a stuck process fails the test, not CI


def _roster(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f)
        writer.writerow(["姓名", "公民身份号码", "手机号码", "工作单位", "人员类别"])
        for i in range(ROWS):
            born = dt.date(1960, 1, 1) + dt.timedelta(days=i // 100)
            writer.writerow(
                [
                    f"导入测试{i:05d}",
                    make_id_number("510603", born, i % 100, "M" if i % 2 else "F"),
                    f"139{i:08d}",
                    "德阳导入测试有限公司",
                    "新的社会阶层人士",
                ]
            )


class Target:
    """The database the importing process writes to, and how the test reads it."""

    def __init__(self, tmp_path: Path) -> None:
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.file = tmp_path / "crash.sqlite3"
            copy = sqlite3.connect(self.file)
            connection.ensure_connection()
            connection.connection.backup(copy)
            copy.execute("PRAGMA journal_mode=WAL")  # as the app runs it
            copy.close()
            self.url = f"sqlite:///{self.file}"
        else:
            s = connection.settings_dict
            auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
            host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
            self.url = f"postgres://{auth}@{host}/{s['NAME']}?application_name={APP_NAME}"

    @contextmanager
    def cursor(self) -> Iterator[Any]:
        if self.vendor == "sqlite":
            db = sqlite3.connect(self.file, timeout=0)
            try:
                yield db.cursor()
            finally:
                db.close()
        else:
            with connection.cursor() as cursor:
                yield cursor

    def state(self) -> State:
        with self.cursor() as cursor:
            return table_state(cursor, self.vendor)


def _env(target: Target, tmp_path: Path) -> dict[str, str]:
    keys = ",".join(f"{k}:{base64.urlsafe_b64encode(v).decode()}" for k, v in settings.FIELD_KEYS)
    return {
        **os.environ,
        "TONGXIN_DATABASE_URL": target.url,
        "TONGXIN_VAR_DIR": str(tmp_path / "var"),
        "TONGXIN_FIELD_KEYS": keys,
        "TONGXIN_SECRET_KEY": settings.SECRET_KEY,
        "PYTHONUNBUFFERED": "1",
    }


def _manage(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, str(MANAGE), "import_roster", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_until(done: Any, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not done():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def _backends(target: Target) -> list[tuple[Any, ...]]:
    with target.cursor() as cursor:
        cursor.execute(
            "SELECT pid, state, xact_start FROM pg_stat_activity WHERE application_name = %s",
            [APP_NAME],
        )
        return list(cursor.fetchall())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_killed_import_commit_leaves_the_database_as_it_was(cast: Cast, tmp_path: Path) -> None:
    roster = tmp_path / "名册.csv"
    _roster(roster)
    target = Target(tmp_path)
    env = _env(target, tmp_path)
    user = cast.jingyang.username

    preview = _manage(env, str(roster), "--user", user, "--region", "510603")
    out, _ = preview.communicate(timeout=WAIT_SECONDS)
    assert preview.returncode == 0, out
    assert f"可导入{ROWS}行" in out
    before = target.state()  # the previewed job is there; none of its rows yet
    job = out.split("导入任务 #")[1].split("，")[0]

    committing = _manage(env, "--job", job, "--user", user, "--commit")
    assert committing.stdout is not None
    killed_at = 0
    said = []
    for line in committing.stdout:
        said.append(line)
        if line.startswith("写入中"):
            killed_at = int("".join(ch for ch in line if ch.isdigit()))
            if killed_at >= KILL_AFTER:
                if target.vendor == "postgresql":
                    # The backend is inside its transaction, with rows written.
                    assert all(xact is not None for _, _, xact in _backends(target))
                committing.send_signal(signal.SIGKILL)
                break
    committing.wait(timeout=WAIT_SECONDS)
    assert committing.returncode == -signal.SIGKILL, (
        f"the commit ended by itself at {killed_at}: {''.join(said)[-2000:]}"
    )

    if target.vendor == "postgresql":
        # The server rolls the transaction back when it notices its client is gone.
        _wait_until(lambda: not _backends(target), "the killed import's backend is still there")
        with target.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                " WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()"
            )
            assert cursor.fetchone()[0] == 0  # no leftover locks
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND state LIKE 'idle in transaction%%'"
            )
            assert cursor.fetchone()[0] == 0
    else:
        with target.cursor() as cursor:
            assert cursor.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            cursor.execute("BEGIN IMMEDIATE")  # timeout 0: a stale lock would fail here
            cursor.execute("ROLLBACK")

    assert target.state() == before  # the job still waits for its commit; no row of it
