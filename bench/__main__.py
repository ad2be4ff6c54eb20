"""``python -m bench`` (``make bench``): the benchmarks on SQLite and on PostgreSQL, each in its
own process (Django's settings are per process), then every figure as one JSON document.

Environment: BENCH_SCALE (1.0 = 1,000,000 people), BENCH_DATABASES ("sqlite,postgresql"),
BENCH_VAR_DIR (var/bench: the SQLite file, uploads, field keys), BENCH_PG_URL
(postgres://postgres@127.0.0.1:5432/tongxin_bench, created if missing). A scale other than 1.0
gets its own databases, so a quick run never replaces the full data.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .run import scale_from_env

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/tongxin_bench"


def _suffix(scale: float) -> str:
    return "" if scale == 1.0 else "_s" + f"{scale:g}".replace(".", "_")


def _ensure_pg(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"[bench] created database {name}", file=sys.stderr)


def database_url(vendor: str, scale: float, var_dir: Path) -> str:
    if vendor == "sqlite":
        return f"sqlite:///{var_dir / ('bench' + _suffix(scale) + '.sqlite3')}"
    if vendor == "postgresql":
        url = os.environ.get("BENCH_PG_URL", DEFAULT_PG)
        parts = urlsplit(url)
        url = urlunsplit(parts._replace(path=parts.path + _suffix(scale)))
        _ensure_pg(url)
        return url
    raise SystemExit(f"BENCH_DATABASES 只能包含 sqlite 和 postgresql，而不是“{vendor}”。")


def main() -> None:
    scale = scale_from_env()
    var_dir = Path(os.environ.get("BENCH_VAR_DIR") or ROOT / "var" / "bench").resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    vendors = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
    reports = []
    for vendor in filter(None, (v.strip() for v in vendors)):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tongxin.settings",
            "TONGXIN_VAR_DIR": str(var_dir),
            "TONGXIN_DATABASE_URL": database_url(vendor, scale, var_dir),
            "TONGXIN_DEBUG": "0",
        }
        print(f"[bench] {vendor}: {env['TONGXIN_DATABASE_URL']}", file=sys.stderr, flush=True)
        done = subprocess.run(
            [sys.executable, "-m", "bench.run"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        if done.returncode:
            raise SystemExit(f"[bench] {vendor} failed (exit {done.returncode})")
        reports.append(json.loads(done.stdout))
    print(json.dumps(reports, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
