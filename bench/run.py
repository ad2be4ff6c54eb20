"""One database's benchmarks: ``python -m bench.run`` (settings from the environment, as
``python -m bench`` sets them). Generates the data if needed, measures every benchmark with its
floor, prints the JSON and keeps it in bench/results/<database>.json."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import django

RESULTS = Path(__file__).resolve().parent / "results"
LIST_AIM = 1.5  # lists and metrics: within 1.5x of their floor
SUMMARY_AIM_S = 2.0
IMPORT_AIM_RATE = 10_000  # rows/s
IMPORT_AIM_RATIO = 4.0
IMPORT_ROWS = 100_000
# Each repetition previews and commits 100,000 rows, or writes 100,000 rows: after a warm-up (a
# 1,000-row roster; for the export, the floor's own data pass), one timed run each unless
# BENCH_HEAVY_REPS asks for more.
HEAVY_REPS = int(os.environ.get("BENCH_HEAVY_REPS", "1"))
EXPORT_ROWS = 100_000


def scale_from_env() -> float:
    raw = os.environ.get("BENCH_SCALE", "1.0") or "1.0"
    try:
        scale = float(raw)
    except ValueError:
        raise SystemExit(f"BENCH_SCALE 应为数字（如 1.0 或 0.01），而不是“{raw}”。") from None
    if not 0 < scale <= 1:
        raise SystemExit("BENCH_SCALE 应在 0 和 1 之间（1.0 为全量）。")
    return scale


class Bench:
    def __init__(self, scale: float) -> None:
        self.scale = scale
        self.results: list[dict[str, Any]] = []

    def add(self, entry: dict[str, Any]) -> None:
        for key in ("value_s", "floor_s"):
            if key in entry:
                entry[key] = round(entry[key], 5)
        if entry.get("floor_s"):
            entry["ratio"] = round(entry["value_s"] / entry["floor_s"], 2)
        self.results.append(entry)
        shown = {k: v for k, v in entry.items() if k not in ("times",)}
        print(json.dumps(shown, ensure_ascii=False), file=sys.stderr, flush=True)

    def ratio_bench(
        self,
        name: str,
        group: str,
        fn: Callable[[], Any],
        *,
        reps: int = 5,
        aim: float | None = LIST_AIM,
        **extra: Any,
    ) -> dict[str, Any]:
        """``fn`` against the replay of the SELECTs it emits."""
        from . import floors

        fn()  # warm-up, and the queries to replay
        captured = floors.capture(fn)
        reads = captured.reads
        value, _ = floors.timed(fn, reps=reps, warmup=0)
        floor, _ = floors.timed(lambda: floors.replay(reads), reps=reps)
        entry = {
            "name": name,
            "group": group,
            "value_s": value,
            "floor_s": floor,
            "queries": len(captured.queries),
            **extra,
        }
        if aim is not None:
            entry["aim"] = f"ratio <= {aim}"
            entry["met"] = value / floor <= aim if floor else None
        self.add(entry)
        return entry


# --- lists and the detail page --------------------------------------------------------------------


def bench_people(bench: Bench) -> None:
    from django.db.models import Count
    from django.http import QueryDict
    from django.test import Client

    from tongxin.core.models import Region, User
    from tongxin.registry import selectors
    from tongxin.registry.forms import PersonListForm
    from tongxin.registry.models import CodeItem, CodeKind, Person

    staff = User.objects.get(username="demo_city")  # 市级业务人员, 新阶 line
    client = Client(HTTP_HOST="localhost")
    client.force_login(staff)
    district = Region.objects.get(code="510603")
    new_stratum = CodeItem.objects.get(kind=CodeKind.CATEGORY, code="07")
    # A name that is on the roster, in the staff member's line, as a user would type it.
    sample = (
        Person.objects.filter(region__path__startswith="/510000/510600/", categories=new_stratum)
        .order_by("pk")
        .values_list("name", "name_initials")[min(500, 10 + int(bench.scale * 5000))]
    )
    pages = {
        "people_list_city": "",
        "people_list_region_subtree": f"region={district.code}",
        "people_list_category": f"category={new_stratum.pk}",
        "people_search_name": f"q={sample[0]}",
        "people_search_initials": f"q={sample[1]}",
        "people_search_zr": "q=zr",
    }
    for name, query in pages.items():
        url = f"/persons/?{query}"
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        form = PersonListForm(staff, QueryDict(query))
        count = selectors.person_list(staff, form.person_filter()).count()
        bench.ratio_bench(name, "lists", _getter(client, url), url=url, rows=count)

    busiest = (
        Person.objects.filter(region__path__startswith="/510000/510600/", categories=new_stratum)
        .annotate(n=Count("participations"))
        .order_by("-n")
        .values_list("pk", "n")
        .first()
    )
    assert busiest is not None
    url = f"/persons/{busiest[0]}/"
    assert client.get(url).status_code == 200
    bench.ratio_bench(
        "person_detail_timeline",
        "lists",
        lambda: client.get(url),
        url=url,
        participations=busiest[1],
    )


def _getter(client: Any, url: str) -> Callable[[], Any]:
    return lambda: client.get(url)


# --- metrics and the summary ----------------------------------------------------------------------


def bench_metrics(bench: Bench) -> None:
    from tongxin.core.models import User
    from tongxin.insight import metrics

    leader = User.objects.get(username="demo_leader")
    for metric in metrics.all_metrics():
        value = metrics.measure(metric.key, user=leader, year=2022, region="510600").value
        bench.ratio_bench(
            f"metric:{metric.key}",
            "metrics",
            functools.partial(metrics.measure, metric.key, user=leader, year=2022, region="510600"),
            reps=3,
            figure=str(value),
        )


def bench_summary(bench: Bench) -> None:
    from tongxin.core.models import User
    from tongxin.insight import selectors_summary

    from . import floors

    leader = User.objects.get(username="demo_leader")

    def summary() -> Any:
        return selectors_summary.annual_summary(leader, year=2022, region="510600")

    summary()
    captured = floors.capture(summary)
    value, _ = floors.timed(summary, reps=3, warmup=0)
    floor, _ = floors.timed(lambda: floors.replay(captured.reads), reps=3)
    bench.add(
        {
            "name": "annual_summary_2022",
            "group": "summary",
            "value_s": value,
            "floor_s": floor,
            "queries": len(captured.queries),
            "aim": f"value < {SUMMARY_AIM_S} s",
            "met": value < SUMMARY_AIM_S,
        }
    )


# --- import and export ----------------------------------------------------------------------------


def roster(rows: int, seed: int) -> bytes:
    """An .xlsx of ``rows`` new people of Deyang (new-stratum), as a department would send it."""
    from faker import Faker
    from openpyxl import Workbook

    from tongxin.core import ids

    from .generate import IdNumbers, Names

    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    names = Names(rng)
    # Born 2000-2005: no one generated (1950-1999) or in the demo shares their ID or birth date.
    numbers = IdNumbers(rng, set())
    districts = [("510603", "旌阳区"), ("510681", "广汉市"), ("510682", "什邡市"),
                 ("510683", "绵竹市"), ("510623", "中江县"), ("510604", "罗江区")]  # fmt: skip
    employers = [fake.company() for _ in range(2000)]
    groups = ["民营企业和外商投资企业管理技术人员", "中介组织和社会组织从业人员", "自由职业人员",
              "新媒体从业人员"]  # fmt: skip
    # A normal workbook, as Excel saves one: shared strings and the sheet's dimension.
    book = Workbook()
    sheet = book.active
    sheet.title = "统战对象"
    sheet.append(["姓名", "性别", "民族", "出生日期", "公民身份号码", "手机号码", "所属区域",
                  "工作单位", "职务", "人员类别", "新阶类别", "政治面貌", "学历"])  # fmt: skip
    for name in names.batch(rows):
        code, district = rng.choice(districts)
        number, birth, gender = numbers.make(code, dt.date(2000, 1, 1), dt.date(2005, 12, 31))
        assert ids.check_id_number(number).ok
        sheet.append([
            name, "男" if gender == "M" else "女", "汉族", birth.isoformat(), number,
            f"1{rng.choice('3589')}{rng.randrange(10**9):09d}", district,
            rng.choice(employers), "经理", "新的社会阶层人士", rng.choice(groups), "群众", "本科",
        ])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bench_import(bench: Bench) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from tongxin.core.models import User
    from tongxin.registry import importing

    from . import floors

    staff = User.objects.get(username="demo_city")
    rows = max(1000, round(IMPORT_ROWS * bench.scale)) if bench.scale < 1 else IMPORT_ROWS
    data = roster(rows, seed=7)
    warm = roster(1000, seed=8)
    assert floors.parse_xlsx(data) == rows + 1
    phases: dict[str, list[float]] = {"preview": [], "commit": []}
    result: dict[str, Any] = {}

    def once(payload: bytes, keep: bool) -> None:
        with transaction.atomic():
            start = time.perf_counter()
            job = importing.start(
                actor=staff, upload=SimpleUploadedFile("名册.xlsx", payload), kind="persons"
            )
            previewed = time.perf_counter()
            counts = importing.commit(actor=staff, job=job)
            done = time.perf_counter()
            job.file.delete(save=False)
            transaction.set_rollback(True)  # the next repetition imports the same people again
        if keep:
            phases["preview"].append(previewed - start)
            phases["commit"].append(done - previewed)
            result.update(counts=counts, rows_ok=job.rows_ok, rows_error=job.rows_error)

    once(warm, keep=False)
    for _ in range(HEAVY_REPS):
        once(data, keep=True)
    assert result["rows_ok"] == rows, result
    parse, _ = floors.timed(lambda: floors.parse_xlsx(data), reps=HEAVY_REPS, warmup=0)
    for phase, times in phases.items():
        value = sorted(times)[len(times) // 2]
        rate = rows / value
        bench.add(
            {
                "name": f"import_{phase}",
                "group": "import",
                "value_s": value,
                "floor_s": parse,
                "rows": rows,
                "rows_per_s": round(rate),
                "file_mb": round(len(data) / 2**20, 1),
                "aim": f">= {IMPORT_AIM_RATE} rows/s and ratio <= {IMPORT_AIM_RATIO}",
                "met": rate >= IMPORT_AIM_RATE and value / parse <= IMPORT_AIM_RATIO,
                "result": result["counts"] if phase == "commit" else None,
                "reps": HEAVY_REPS,
            }
        )


def bench_export(bench: Bench) -> None:
    from django.db.models import Count, Q
    from django.http import QueryDict

    from tongxin.core.models import Region, User
    from tongxin.registry import exporting
    from tongxin.registry.models import CodeItem, CodeKind, Person

    from . import floors

    leader = User.objects.get(username="demo_leader")
    wanted = EXPORT_ROWS * bench.scale
    # The filter (a district, or the city and one category) whose count is nearest 100,000.
    deyang = Region.objects.filter(path__startswith="/510000/510600/")
    candidates: list[tuple[str, int]] = [
        (f"region={r.code}", Person.objects.filter(region__path__startswith=r.path).count())
        for r in deyang
    ]
    per_category = (
        CodeItem.objects.filter(kind=CodeKind.CATEGORY)
        .annotate(n=Count("persons", filter=Q(persons__region__path__startswith="/510000/510600/")))
        .values_list("pk", "n")
    )
    candidates += [(f"category={pk}", n) for pk, n in per_category]
    query, _ = min(candidates, key=lambda c: abs(c[1] - wanted))
    export = exporting.export_from_params(leader, QueryDict(query))
    count = exporting.count(leader, export)

    def run() -> None:
        exporting.write_xlsx(leader, export, count).close()

    table = exporting.table(leader, export, count)
    values = [table.values(p) for p in table.rows()]
    value, _ = floors.timed(run, reps=HEAVY_REPS, warmup=0)
    floor, _ = floors.timed(lambda: floors.write_xlsx(values), reps=HEAVY_REPS, warmup=0)
    bench.add(
        {
            "name": "export_xlsx",
            "group": "export",
            "value_s": value,
            "floor_s": floor,
            "rows": count,
            "rows_per_s": round(count / value),
            "filter": query,
            "reps": HEAVY_REPS,
        }
    )


# --- the run --------------------------------------------------------------------------------------


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxin.settings")
    django.setup()
    from django.db import connection

    from . import generate

    scale = scale_from_env()
    data = generate.ensure(scale=scale)
    bench = Bench(scale)
    started = time.perf_counter()
    only = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))
    parts = {
        "lists": bench_people,
        "metrics": bench_metrics,
        "summary": bench_summary,
        "import": bench_import,
        "export": bench_export,
    }
    for key, part in parts.items():
        if not only or key in only:
            part(bench)
    report = {
        "database": connection.vendor,
        "server_version": _server_version(),
        "scale": scale,
        "data": data,
        "finished_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "seconds": round(time.perf_counter() - started, 1),
        "benchmarks": bench.results,
    }
    text = json.dumps(report, ensure_ascii=False, indent=1)
    print(text)
    # The full run is the one the README quotes; quick or partial runs are kept beside it.
    name = connection.vendor if scale == 1.0 and not only else f"{connection.vendor}-scale{scale:g}"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(text + "\n", encoding="utf-8")


def _server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
        else:
            cursor.execute("SHOW server_version")
        return str(cursor.fetchone()[0])


if __name__ == "__main__":
    main()
