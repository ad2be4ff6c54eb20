"""统计报表: cross tables of the records a metric counts, by region and by a second dimension.

- people (统战对象) by district × category: the records of ``persons_total``;
- organizations by district × type: the records of ``organizations_total``;
- work (活动) by district × month: the records of ``activities_held`` for a year.

Each table counts exactly its metric's records (STYLE.md rule 6), so its grand total is the
metric's value. A row is a region directly under the one asked for, with everything below it; the
records kept at the asked region itself make the row "本级". A person of several categories counts
once in each of their categories and once in the row's total, so a row's categories may add up
to more than its total; organizations and activities have one type and one month each."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, QuerySet
from django.db.models.functions import ExtractMonth

from tongxin.core import access, tabular
from tongxin.core.models import Region, RegionKind, User
from tongxin.registry.models import CodeItem, CodeKind, Person

from . import metrics
from .metrics import Period

OWN_LEVEL = "本级"
TOTAL = "合计"
MONTHS = [f"{m}月" for m in range(1, 13)]


@dataclass(frozen=True)
class CrossRow:
    label: str
    cells: list[int]
    total: int
    records_url: str = ""  # the records of the row's total
    cell_urls: tuple[str, ...] = ()  # when a cell is a metric's value of its own (a month)

    @property
    def linked_cells(self) -> list[tuple[int, str]]:
        urls = self.cell_urls or ("",) * len(self.cells)
        return list(zip(self.cells, urls, strict=True))


@dataclass(frozen=True)
class CrossTable:
    key: str
    title: str
    row_heading: str
    columns: list[str]
    rows: list[CrossRow]
    totals: CrossRow
    metric: metrics.Metric
    period: Period
    region: Region
    stock: bool  # counts what is on the roster now, not what happened in the period
    note: str = ""

    @property
    def description(self) -> str:
        when = "当前在册" if self.stock else self.period.label
        return f"{when}；{self.region.name}（{self.region.code}）及下辖区划"


@dataclass(frozen=True)
class _Rows:
    """The row regions under ``region`` and which row each region of the subtree falls in."""

    regions: list[Region]  # the rows, in order; ``region`` itself last, as 本级
    row_of: dict[int, int]  # region id -> index of its row

    @classmethod
    def under(cls, user: User, region: Region) -> _Rows:
        subtree = list(
            access.scope(user, Region.objects.filter(path__startswith=region.path)).order_by("path")
        )
        # Districts and counties by code, functional areas (德阳经开区) after them.
        children = sorted(
            (r for r in subtree if r.parent_id == region.pk),
            key=lambda r: (r.kind == RegionKind.FUNCTIONAL, r.code),
        )
        rows = [*children, region] if children else [region]
        row_of: dict[int, int] = {}
        for place in subtree:
            index = next(
                (i for i, r in enumerate(children) if place.path.startswith(r.path)), len(rows) - 1
            )
            row_of[place.pk] = index
        return cls(rows, row_of)

    def label(self, index: int) -> str:
        region = self.regions[index]
        own = index == len(self.regions) - 1 and len(self.regions) > 1
        return f"{region.name}{OWN_LEVEL}" if own else region.name


def _assemble(
    rows: _Rows,
    columns: list[Any],
    counts: dict[tuple[int, Any], int],
    totals: dict[int, int],
    url: Callable[[Region, Any], str],
    cell_url: Callable[[Region, Any], str] | None = None,
) -> tuple[list[CrossRow], CrossRow]:
    out = []
    for index, region in enumerate(rows.regions):
        out.append(
            CrossRow(
                label=rows.label(index),
                cells=[counts.get((index, c), 0) for c in columns],
                total=totals.get(index, 0),
                # 本级 has no records page of its own: a metric's region includes its subtree.
                records_url=url(region, None) if rows.label(index) == region.name else "",
                cell_urls=tuple(cell_url(region, c) for c in columns)
                if cell_url and rows.label(index) == region.name
                else (),
            )
        )
    grand = CrossRow(
        label=TOTAL,
        cells=[sum(r.cells[i] for r in out) for i in range(len(columns))],
        total=sum(r.total for r in out),
        records_url=url(rows.regions[-1], None),
    )
    return out, grand


def _roll_up(rows: _Rows, pairs: QuerySet[Any], column: str) -> dict[tuple[int, Any], int]:
    counts: dict[tuple[int, Any], int] = defaultdict(int)
    for pair in pairs:
        counts[rows.row_of[pair["region_key"]], pair[column]] += pair["n"]
    return counts


def _row_totals(rows: _Rows, records: QuerySet[Any], region_field: str) -> dict[int, int]:
    totals: dict[int, int] = defaultdict(int)
    for pair in records.values(region_key=F(region_field)).annotate(n=Count("pk")).order_by():
        totals[rows.row_of[pair["region_key"]]] += pair["n"]
    return totals


def _by_code(
    user: User,
    region: Region,
    period: Period,
    *,
    key: str,
    title: str,
    metric_key: str,
    kind: str,
    code_pairs: Callable[[QuerySet[Any]], QuerySet[Any]],
    note: str = "",
) -> CrossTable:
    """A stock table: the records of ``metric_key`` by region (rows) and by the code items of
    ``kind`` (columns); ``code_pairs`` counts the records by ``region_key`` and ``code``."""
    metric = metrics.get(metric_key)
    records = metric.records(user, period, region)
    rows = _Rows.under(user, region)
    codes = list(CodeItem.objects.filter(kind=kind).order_by("order", "pk"))
    body, totals = _assemble(
        rows,
        [c.pk for c in codes],
        _roll_up(rows, code_pairs(records), "code"),
        _row_totals(rows, records, "region_id"),
        lambda place, _: metrics.records_url(metric.key, period, place),
    )
    return CrossTable(
        key=key,
        title=title,
        row_heading="区域",
        columns=[c.name for c in codes],
        rows=body,
        totals=totals,
        metric=metric,
        period=period,
        region=region,
        stock=True,
        note=note,
    )


def people(user: User, region: Region, period: Period) -> CrossTable:
    return _by_code(
        user,
        region,
        period,
        key="people",
        title="统战对象分类统计表",
        metric_key="persons_total",
        kind=CodeKind.CATEGORY,
        code_pairs=lambda persons: (
            Person.categories.through.objects.filter(person__in=persons.values("pk"))
            .values(region_key=F("person__region_id"), code=F("codeitem_id"))
            .annotate(n=Count("pk"))
            .order_by()
        ),
        note="一人属于多个类别时在各类别中各计一次，“合计”列按人数计一次，故各类别之和可能大于合计。",
    )


def organizations(user: User, region: Region, period: Period) -> CrossTable:
    return _by_code(
        user,
        region,
        period,
        key="organizations",
        title="组织分类统计表",
        metric_key="organizations_total",
        kind=CodeKind.ORG_TYPE,
        code_pairs=lambda orgs: (
            orgs.values(region_key=F("region_id"), code=F("org_type_id"))
            .annotate(n=Count("pk"))
            .order_by()
        ),
    )


def work(user: User, region: Region, period: Period) -> CrossTable:
    metric = metrics.get("activities_held")
    year = Period.year(period.start.year)
    held = metric.records(user, year, region)
    rows = _Rows.under(user, region)
    pairs = (
        held.values(region_key=F("region_id"), month=ExtractMonth("date"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    body, totals = _assemble(
        rows,
        list(range(1, 13)),
        _roll_up(rows, pairs, "month"),
        _row_totals(rows, held, "region_id"),
        lambda place, _: metrics.records_url(metric.key, year, place),
        lambda place, month: metrics.records_url(
            metric.key, Period.month(year.start.year, month), place
        ),
    )
    return CrossTable(
        key="work",
        title="工作开展情况统计表（按月）",
        row_heading="区域",
        columns=MONTHS,
        rows=body,
        totals=totals,
        metric=metric,
        period=year,
        region=region,
        stock=False,
    )


TABLES: dict[str, Callable[[User, Region, Period], CrossTable]] = {
    "people": people,
    "organizations": organizations,
    "work": work,
}


def export(user: User, table: CrossTable) -> tabular.Table:
    """The table for core/tabular.py, the one export engine: the totals row last."""
    columns = [
        tabular.Column(table.row_heading, lambda row: row.label, 16),
        *[
            tabular.Column(label, (lambda i: lambda row: row.cells[i])(index), 10)
            for index, label in enumerate(table.columns)
        ],
        tabular.Column(TOTAL, lambda row: row.total, 10),
    ]
    return tabular.Table(
        title=table.title,
        object_type="insight.table",
        columns=columns,
        rows=lambda: [*table.rows, table.totals],
        count=len(table.rows),
        description=table.description,
        unit="行",
        notes=[f"统计口径：{table.metric.definition}", *([table.note] if table.note else [])],
        count_label="行数",
    )
