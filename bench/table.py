"""``python -m bench.table``: the README's table, from bench/results/sqlite.json and
postgresql.json (the last full runs), so the README can be checked against a fresh run."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
DATABASES = (("sqlite", "SQLite"), ("postgresql", "PostgreSQL"))


def _load() -> dict[str, dict[str, Any]]:
    found = {}
    for key, _ in DATABASES:
        path = RESULTS / f"{key}.json"
        if path.exists():
            found[key] = json.loads(path.read_text(encoding="utf-8"))
    return found


def _seconds(value: float) -> str:
    if value < 0.01:
        return f"{value * 1000:.1f} ms"
    return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"


def _figure(entry: dict[str, Any] | None) -> str:
    if entry is None:
        return "—"
    shown = _seconds(entry["value_s"])
    if entry.get("floor_s"):
        shown += f" / {_seconds(entry['floor_s'])}"
    if entry.get("rows_per_s") and entry["group"] in ("import", "export"):
        shown += f"（{entry['rows_per_s']:,} 行/s）"
    if entry.get("ratio") is not None:
        shown += f" · {entry['ratio']:.2f}×"
    if entry.get("met") is True:
        shown += " ✓"
    elif entry.get("met") is False:
        shown += " ✗"
    return shown


def markdown(reports: dict[str, dict[str, Any]]) -> str:
    columns = [(key, label) for key, label in DATABASES if key in reports]
    if not columns:
        return "(no full run yet: `make bench`, then `python -m bench.table --readme`)\n"
    names: list[str] = []
    aims: dict[str, str] = {}
    by_db: dict[str, dict[str, dict[str, Any]]] = {}
    for key, _ in columns:
        by_db[key] = {}
        for entry in reports[key]["benchmarks"]:
            if entry["name"] not in names:
                names.append(entry["name"])
            aims.setdefault(entry["name"], entry.get("aim", ""))
            by_db[key][entry["name"]] = entry
    head = (
        "| benchmark (value / floor · ratio) | aim | "
        + " | ".join(label for _, label in columns)
        + " |"
    )
    rule = "| --- | --- | " + " | ".join("---" for _ in columns) + " |"
    lines = [head, rule]
    for name in names:
        cells = [_figure(by_db[key].get(name)) for key, _ in columns]
        lines.append(f"| {name} | {aims[name]} | " + " | ".join(cells) + " |")
    lines.append("")
    for key, label in columns:
        r = reports[key]
        data = r.get("data", {})
        counts = ", ".join(
            f"{k} {v:,}" for k, v in data.items() if isinstance(v, int) and not isinstance(v, bool)
        )
        lines.append(
            f"{label} {r['server_version']}, scale {r['scale']:g}, {r['finished_at']}, "
            f"{r['machine']['cpus']} CPUs" + (f"; rows: {counts}" if counts else "")
        )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


README = RESULTS.parent.parent / "README.md"
START, END = "<!-- bench-table:start -->", "<!-- bench-table:end -->"


def write_readme(table: str) -> bool:
    """Put ``table`` between the README's markers. Returns whether anything changed."""
    text = README.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    fresh = f"{head}{START}\n{table}{END}{tail}"
    README.write_text(fresh, encoding="utf-8")
    return fresh != text


def main() -> None:
    """``python -m bench.table``: print the table; ``--readme``: also write it into README.md."""
    table = markdown(_load())
    sys.stdout.write(table)
    if "--readme" in sys.argv[1:]:
        write_readme(table)


if __name__ == "__main__":
    main()
