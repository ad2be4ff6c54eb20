"""`make load`: gunicorn on loopback on PostgreSQL, 50 locust users, figures as JSON.

Serves the app with gunicorn (LOAD_WORKERS workers) on 127.0.0.1:LOAD_PORT against the database
of TONGXIN_DATABASE_URL (the Makefile creates tongxin_load and loads the demo into it), runs
locust headless for LOAD_SECONDS with LOAD_USERS users ramping up at LOAD_RAMP per second,
prints throughput, p50/p95/p99 and the error count as JSON, keeps them in load/results/load.json,
and exits non-zero on any error (a failed request or an exception in a user).
"""

from __future__ import annotations

import csv
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "load" / "results" / "load.json"
BIN = Path(sys.executable).parent


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _wait_for(url: str, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - loopback
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"gunicorn 没有在 {seconds} 秒内就绪：{url}")
        time.sleep(0.5)


def _row(row: dict[str, str]) -> dict[str, Any]:
    def pct(key: str) -> float | None:
        value = row.get(key, "N/A")
        return None if value in ("N/A", "") else float(value)

    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rps": round(float(row["Requests/s"]), 2),
        "median_ms": pct("50%"),
        "p95_ms": pct("95%"),
        "p99_ms": pct("99%"),
        "max_ms": round(float(row["Max Response Time"]), 1),
    }


def _summary(prefix: Path, settings: dict[str, Any]) -> dict[str, Any]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    endpoints = {f"{r['Type']} {r['Name']}": _row(r) for r in rows if r["Name"] != "Aggregated"}
    failures: list[dict[str, str]] = []
    failures_csv = Path(f"{prefix}_failures.csv")
    if failures_csv.exists():
        with failures_csv.open(encoding="utf-8") as f:
            failures = list(csv.DictReader(f))
    exceptions_csv = Path(f"{prefix}_exceptions.csv")
    exceptions = 0
    if exceptions_csv.exists():
        with exceptions_csv.open(encoding="utf-8") as f:
            exceptions = sum(int(r.get("Count", 1)) for r in csv.DictReader(f))
    overall = _row(total)
    return {
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        **settings,
        "throughput_rps": overall["rps"],
        "requests": overall["requests"],
        "errors": overall["failures"] + exceptions,
        "median_ms": overall["median_ms"],
        "p95_ms": overall["p95_ms"],
        "p99_ms": overall["p99_ms"],
        "max_ms": overall["max_ms"],
        "endpoints": endpoints,
        "failures": failures[:20],
    }


def main() -> int:
    port = _env_int("LOAD_PORT", 8202)
    settings = {
        "users": _env_int("LOAD_USERS", 50),
        "ramp_per_s": _env_int("LOAD_RAMP", 5),
        "seconds": _env_int("LOAD_SECONDS", 120),
        "gunicorn_workers": _env_int("LOAD_WORKERS", 3),
        "gunicorn_threads": _env_int("LOAD_THREADS", 4),
        "database": "postgresql",
    }
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "tongxin.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "--workers",
            str(settings["gunicorn_workers"]),
            "--threads",
            str(settings["gunicorn_threads"]),
            "--timeout",
            "120",
            # Longer than a user's pause between requests: gunicorn's default of 2 s closes kept-
            # alive connections just as the client reuses them (connection reset by peer).
            "--keep-alive",
            "75",
        ],
        cwd=ROOT,
    )
    try:
        _wait_for(f"{host}/login/")
        with tempfile.TemporaryDirectory() as tmp:
            prefix = Path(tmp) / "load"
            done = subprocess.run(  # noqa: S603
                [
                    str(BIN / "locust"),
                    "-f",
                    str(ROOT / "load" / "locustfile.py"),
                    "--headless",
                    "--host",
                    host,
                    "--users",
                    str(settings["users"]),
                    "--spawn-rate",
                    str(settings["ramp_per_s"]),
                    "--run-time",
                    f"{settings['seconds']}s",
                    "--stop-timeout",
                    "30",
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                check=False,
            )
            summary = _summary(prefix, settings)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n")
    brief = {k: v for k, v in summary.items() if k not in ("endpoints", "failures")}
    print(json.dumps(brief, ensure_ascii=False, indent=1))
    if summary["errors"] or done.returncode != 0:
        for failure in summary["failures"]:
            print(json.dumps(failure, ensure_ascii=False), file=sys.stderr)
        print(
            f"负载测试失败：{summary['errors']} 个错误（locust 退出码 {done.returncode}）；"
            f"详见 {RESULTS}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
