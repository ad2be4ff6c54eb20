"""The metrics an indicator can be computed from, one definition each: key, Chinese label, unit,
counting rule (统计口径) in words, the subject types it applies to, and ``compute(year, pks)``
returning each subject's value (None when the records hold nothing to count, which scores 0 and
is noted in the result).

Each metric reads the records in one or two grouped queries for all subjects at once. Regions
count their whole subtree (a district's figure includes its towns and functional areas); the
case on-time rate is work/case_metrics.py's own, computed once per subject region (a round has a
handful of districts) so that the rate has one definition."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tongxin.core.models import Region
from tongxin.registry.models import EnterpriseFigure, Membership, StandardCheck
from tongxin.work.case_metrics import resolution_stats
from tongxin.work.models import (
    Activity,
    Case,
    Endorsement,
    EndorsementLevel,
    Output,
    OutputAuthor,
    OutputKind,
    Visit,
)

from .indicator_subjects import year_end
from .models import DutyReport, DutyReportState, Task, TaskState
from .models_indicators import SubjectType

Values = dict[int, Decimal | None]
Compute = Callable[[int, list[int]], Values]

UNKNOWN_METRIC = "请选择统计指标。"
METRIC_OF_ANOTHER_TYPE = "统计指标“{label}”不适用于考评对象类型“{given}”。"

ST = SubjectType
ORGANIZATIONS = (ST.ORGANIZATION, ST.DESIGNATION, ST.PARTY_COMMITTEE)


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    rule: str  # 统计口径
    subject_types: tuple[str, ...]
    compute: Compute


def _counts(pks: Iterable[int], rows: Iterable[tuple[int, int]]) -> Values:
    """Counts by subject; a subject with no row counted nothing (0, not "no data")."""
    found = dict(rows)
    return {pk: Decimal(found.get(pk, 0)) for pk in pks}


def _one_place(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- enterprises ------------------------------------------------------------------------------


def _figure(field: str) -> Compute:
    def compute(year: int, pks: list[int]) -> Values:
        rows = EnterpriseFigure.objects.filter(organization_id__in=pks, year=year).values_list(
            "organization_id", field
        )
        found = {pk: value for pk, value in rows}
        return {pk: None if found.get(pk) is None else Decimal(found[pk]) for pk in pks}

    return compute


def _figure_metric(field: str, label: str, unit: str) -> Metric:
    return Metric(
        f"enterprise.{field}",
        label,
        unit,
        f"企业当年“企业年度数据”中填报的{label}（{unit}）；当年未填报的记为无数据。",
        (ST.ENTERPRISE,),
        _figure(field),
    )


# --- organizations ----------------------------------------------------------------------------


def _standard_items(year: int, pks: list[int]) -> Values:
    checks = StandardCheck.objects.filter(organization_id__in=pks, year=year).only(
        "organization_id", *StandardCheck.ITEMS
    )
    found = {check.organization_id: Decimal(check.items_met) for check in checks}
    return {pk: found.get(pk) for pk in pks}


def _members(year: int, pks: list[int]) -> Values:
    end = year_end(year)
    rows = (
        Membership.objects.filter(organization_id__in=pks)
        .filter(Q(term_start__isnull=True) | Q(term_start__lte=end))
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=end))
        .values("organization_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("organization_id", "n")
    )
    return _counts(pks, rows)


def _organized(year: int, pks: list[int]) -> Values:
    rows = (
        Activity.objects.filter(organizer_organizations__in=pks, date__year=year)
        .values("organizer_organizations")
        .annotate(n=Count("pk", distinct=True))
        .values_list("organizer_organizations", "n")
    )
    return _counts(pks, rows)


def _authored_reports(year: int, pks: list[int], also: Q | None = None) -> Values:
    qs = OutputAuthor.objects.filter(
        organization_id__in=pks,
        output__kind=OutputKind.RESEARCH_REPORT,
        output__date__year=year,
    )
    if also is not None:
        qs = qs.filter(also)
    rows = (
        qs.values("organization_id")
        .annotate(n=Count("output_id", distinct=True))
        .values_list("organization_id", "n")
    )
    return _counts(pks, rows)


def _reports(year: int, pks: list[int]) -> Values:
    return _authored_reports(year, pks)


ENDORSING_LEVELS = (EndorsementLevel.CENTRAL, EndorsementLevel.PROVINCE, EndorsementLevel.CITY)


def _reports_endorsed(year: int, pks: list[int]) -> Values:
    endorsed = Endorsement.objects.filter(
        output_id=OuterRef("output_id"), level__in=ENDORSING_LEVELS
    )
    return _authored_reports(year, pks, Q(Exists(endorsed)))


def _reports_adopted(year: int, pks: list[int]) -> Values:
    return _authored_reports(year, pks, Q(output__adoptions__isnull=False))


# --- regions (each counts its subtree) --------------------------------------------------------


def _paths(pks: list[int]) -> dict[int, str]:
    return dict(Region.objects.filter(pk__in=pks).values_list("pk", "path"))


def _by_subtree(pks: list[int], qs: QuerySet[Any], path: str = "region__path") -> Values:
    """Rows of ``qs`` counted for each subject region whose subtree holds their region."""
    paths = _paths(pks)
    if not paths:
        return _counts(pks, [])
    within = Q()
    for prefix in paths.values():
        within |= Q(**{f"{path}__startswith": prefix})
    per_path = list(qs.filter(within).values(path).annotate(n=Count("pk")).values_list(path, "n"))
    totals = {
        pk: sum(n for p, n in per_path if p.startswith(prefix)) for pk, prefix in paths.items()
    }
    return _counts(pks, totals.items())


def _region_activities(year: int, pks: list[int]) -> Values:
    return _by_subtree(pks, Activity.objects.filter(date__year=year))


def _region_visits(year: int, pks: list[int]) -> Values:
    return _by_subtree(pks, Visit.objects.filter(visited_on__year=year))


def _region_outputs_endorsed(year: int, pks: list[int]) -> Values:
    affirmed = Endorsement.objects.filter(output_id=OuterRef("pk"), is_affirmative=True)
    return _by_subtree(pks, Output.objects.filter(Exists(affirmed), date__year=year))


def _region_cases_on_time(year: int, pks: list[int]) -> Values:
    paths = _paths(pks)
    rates: Values = {pk: None for pk in pks}
    for pk, prefix in paths.items():
        cases = Case.objects.filter(region__path__startswith=prefix, received_on__year=year)
        rates[pk] = resolution_stats(cases).on_time_rate
    return rates


# --- units ----------------------------------------------------------------------------------------


def _duty_score(year: int, pks: list[int]) -> Values:
    rows = (
        DutyReport.objects.filter(member__unit_id__in=pks, year=year, state=DutyReportState.SCORED)
        .values("member__unit_id")
        .annotate(mean=Avg("score"))
        .values_list("member__unit_id", "mean")
    )
    found = {pk: Decimal(str(mean)).quantize(Decimal("0.01")) for pk, mean in rows}
    return {pk: found.get(pk) for pk in pks}


def _tasks_on_time(year: int, pks: list[int]) -> Values:
    rows = (
        Task.objects.filter(assignee_unit_id__in=pks, deadline__year=year)
        .exclude(state=TaskState.RETURNED)
        .values_list("assignee_unit_id", "deadline", "state", "closed_at")
    )
    due: dict[int, int] = {}
    on_time: dict[int, int] = {}
    for unit_id, deadline, state, closed_at in rows:
        due[unit_id] = due.get(unit_id, 0) + 1
        if state == TaskState.DONE and closed_at and timezone.localdate(closed_at) <= deadline:
            on_time[unit_id] = on_time.get(unit_id, 0) + 1
    return {
        pk: _one_place(Decimal(on_time.get(pk, 0) * 100) / Decimal(due[pk])) if pk in due else None
        for pk in pks
    }


@cache
def registry() -> dict[str, Metric]:
    metrics = [
        _figure_metric("revenue", "营业收入", "万元"),
        _figure_metric("tax", "纳税额", "万元"),
        _figure_metric("employees", "从业人数", "人"),
        _figure_metric("rd_spend", "研发投入", "万元"),
        Metric(
            "organization.standard_items",
            "标准化建设达标项数",
            "项",
            "组织当年“标准化建设”检查中达标的项数（章程、理事会、阵地、制度、活动，共5项）；"
            "当年未检查的记为无数据。",
            ORGANIZATIONS,
            _standard_items,
        ),
        Metric(
            "organization.members",
            "成员人数",
            "人",
            "当年12月31日在任的组织成员人数（任期未开始或已结束的不计，同一人只计一次）。",
            ORGANIZATIONS,
            _members,
        ),
        Metric(
            "organization.activities",
            "主办活动场次",
            "场",
            "当年（按活动日期）由该组织主办的活动场次。",
            ORGANIZATIONS,
            _organized,
        ),
        Metric(
            "party.research_reports",
            "调研报告",
            "篇",
            "当年形成的、由该党派组织署名的调研报告篇数。",
            (ST.PARTY_COMMITTEE,),
            _reports,
        ),
        Metric(
            "party.reports_endorsed",
            "获市级及以上领导批示的调研报告",
            "篇",
            "当年形成的、由该党派组织署名的调研报告中，获中央、省或市领导批示的篇数"
            "（一篇多次批示计一篇）。",
            (ST.PARTY_COMMITTEE,),
            _reports_endorsed,
        ),
        Metric(
            "party.reports_adopted",
            "被采用的调研报告",
            "篇",
            "当年形成的、由该党派组织署名的调研报告中，被党派中央、人大、政协、党委政府等"
            "采用的篇数（一篇多次采用计一篇）。",
            (ST.PARTY_COMMITTEE,),
            _reports_adopted,
        ),
        Metric(
            "region.activities",
            "开展活动场次",
            "场",
            "当年（按活动日期）所属区域为该区县或其下辖区域的活动场次。",
            (ST.REGION,),
            _region_activities,
        ),
        Metric(
            "region.visits",
            "走访次数",
            "次",
            "当年（按走访日期）所属区域为该区县或其下辖区域的走访次数。",
            (ST.REGION,),
            _region_visits,
        ),
        Metric(
            "region.outputs_endorsed",
            "获肯定性批示的成果",
            "篇",
            "当年形成的、所属区域为该区县或其下辖区域的成果中，至少获一次肯定性领导批示的篇数。",
            (ST.REGION,),
            _region_outputs_endorsed,
        ),
        Metric(
            "region.cases_on_time",
            "诉求按期办结率",
            "%",
            "当年受理、所属区域为该区县或其下辖区域的诉求中，已办结且设有办理时限的，"
            "在时限（含经批准的延期）内办结的比例；没有这样的诉求时记为无数据。",
            (ST.REGION,),
            _region_cases_on_time,
        ),
        Metric(
            "unit.duty_score",
            "述职评分",
            "分",
            "该单位当年已评分的述职报告的评分；在多个工作机制述职的取平均分；未评分的记为无数据。",
            (ST.UNIT,),
            _duty_score,
        ),
        Metric(
            "unit.tasks_on_time",
            "督办事项按期办结率",
            "%",
            "交该单位办理、办理时限在当年的督办事项（已退回的不计）中，在时限内办结的比例；"
            "没有这样的督办事项时记为无数据。",
            (ST.UNIT,),
            _tasks_on_time,
        ),
    ]
    return {metric.key: metric for metric in metrics}


def get(key: str) -> Metric:
    return registry()[key]


def metric_choices(subject_type: str | None = None) -> list[tuple[str, str]]:
    return [
        (m.key, f"{m.label}（{m.unit}）")
        for m in registry().values()
        if subject_type is None or subject_type in m.subject_types
    ]


def check_metric(key: str, subject_type: str) -> None:
    metric = registry().get(key)
    if metric is None:
        raise ValidationError({"metric": UNKNOWN_METRIC})
    if subject_type not in metric.subject_types:
        given = ST(subject_type).label if subject_type in ST.values else subject_type
        raise ValidationError(
            {"metric": METRIC_OF_ANOTHER_TYPE.format(label=metric.label, given=given)}
        )
