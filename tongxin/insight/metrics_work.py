"""Metrics of work records: activities and what came of them (projects, credit), cases and visits.
Outputs are in metrics_outputs, trainings and secondments in metrics_cadres. Each counts the
records a page lists; none is a typed figure.

Activity types are named by their stable codes (registry/codes.py ACTIVITY_TYPES), business lines
by theirs (core BusinessLine.code), so that admins may rename either without changing a figure."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import RegionKind, User
from tongxin.work.case_metrics import RESOLVED, resolution_stats
from tongxin.work.models import (
    OPEN_STATUSES,
    Activity,
    Case,
    CreditAgreement,
    PromotedProject,
    Visit,
)

from .metrics import (
    CENTRE,
    COUNT,
    INNOVATE,
    OVERVIEW,
    RATE,
    SUM,
    Metric,
    Period,
    RecordRow,
    link,
    region_name,
    register,
)

FEIGONG, HMT, MINZONG = "feigong", "gangaotaiqiao", "minzong"


# --- activities -----------------------------------------------------------------------------------


def _activity_row(activity: Activity, user: User) -> RecordRow:
    return RecordRow(
        date=activity.date,
        title=activity.title,
        region=region_name(activity.region),
        note=activity.type.name,
        url=link(user, access.can_use_activities, "activity_detail", activity.pk),
    )


def _activities(types: tuple[str, ...] = (), line: str | None = None) -> Any:
    def where(period: Period) -> Q:
        q = period.days("date")
        if types:
            q &= Q(type__code__in=types)
        if line:
            q &= Q(line__code=line)
        return q

    return where


def _activity_metric(
    key: str,
    label: str,
    unit: str,
    definition: str,
    *,
    types: tuple[str, ...] = (),
    line: str | None = None,
    section: str = CENTRE,
) -> Metric:
    return register(
        Metric(
            key=key,
            label=label,
            unit=unit,
            definition=definition,
            kind=COUNT,
            model=Activity,
            where=_activities(types, line),
            region_field="region",
            line_field="line",
            row=_activity_row,
            order=("-date", "-pk"),
            related=("type", "region"),
            section=section,
        )
    )


_activity_metric(
    "activities_held",
    "开展各类活动",
    "场",
    "统计期内举行的各类活动场次（会议、培训、走访、宣讲、调研、推介等），按活动日期，含下辖区域。",
    section=OVERVIEW,
)
_activity_metric(
    "feigong_meetings",
    "与民营企业家“面对面”恳谈会、对接会",
    "场",
    "统计期内举行的、类型为“恳谈会”或“对接会”的非公经济条线活动场次，按活动日期，含下辖区域。",
    types=("kentan", "duijie"),
    line=FEIGONG,
)
_activity_metric(
    "site_meetings",
    "基层统战工作现场推进会",
    "次",
    "统计期内召开的、类型为“现场推进会”的活动次数，按活动日期，含下辖区域。",
    types=("xianchang",),
)
_activity_metric(
    "investment_events",
    "涉台涉侨招商活动",
    "场",
    "统计期内举行的、类型为“招商推介”的港澳台侨条线活动场次，按活动日期，含下辖区域。",
    types=("zhaoshang",),
    line=HMT,
)
_activity_metric(
    "party_consultations",
    "政党协商会议",
    "次",
    "统计期内召开的、类型为“政党协商会议”的活动次数，按活动日期，含下辖区域。",
    types=("zhengdang",),
    section=INNOVATE,
)
_activity_metric(
    "themed_activities",
    "铸牢中华民族共同体意识主题活动",
    "场次",
    "统计期内举行的、类型为“主题教育”的民族宗教条线活动场次，按活动日期，含下辖区域。",
    types=("zhuti",),
    line=MINZONG,
    section=INNOVATE,
)


def _provincial(period: Period) -> Q:
    by_province = Activity.organizer_units.through.objects.filter(
        activity_id=OuterRef("pk"), unit__region__kind=RegionKind.PROVINCE
    )
    return _activities(line=MINZONG)(period) & Q(Exists(by_province))


register(
    Metric(
        key="provincial_events",
        label="承办全省性活动",
        unit="场",
        definition=(
            "统计期内在本地举行、主办单位中有省级单位的民族宗教条线活动场次（即承办的全省性活动），"
            "按活动日期，含下辖区域。"
        ),
        kind=COUNT,
        model=Activity,
        where=_provincial,
        region_field="region",
        line_field="line",
        row=_activity_row,
        order=("-date", "-pk"),
        related=("type", "region"),
        section=INNOVATE,
    )
)


def _project_row(project: PromotedProject, user: User) -> RecordRow:
    investment = f"计划投资 {project.investment} 万元" if project.investment is not None else ""
    signed = "已签约" if project.signed else ""
    return RecordRow(
        date=project.activity.date,
        title=f"{project.name}（{project.activity.title}）",
        region=region_name(project.activity.region),
        note="，".join(x for x in (investment, signed) if x),
        url=link(user, access.can_use_activities, "activity_detail", project.activity_id),
    )


register(
    Metric(
        key="promoted_projects",
        label="推介项目",
        unit="个",
        definition=(
            "统计期内涉台涉侨招商活动（类型为“招商推介”的港澳台侨条线活动）上推介的项目个数，"
            "按活动日期，含下辖区域。"
        ),
        kind=COUNT,
        model=PromotedProject,
        where=lambda p: (
            p.days("activity__date") & Q(activity__type__code="zhaoshang", activity__line__code=HMT)
        ),
        region_field="activity__region",
        line_field="activity__line",
        row=_project_row,
        order=("-activity__date", "activity_id", "pk"),
        related=("activity", "activity__region"),
        section=CENTRE,
    )
)


def _credit_row(credit: CreditAgreement, user: User) -> RecordRow:
    return RecordRow(
        date=credit.activity.date,
        title=f"{credit.enterprise.name} · {credit.bank}",
        region=region_name(credit.enterprise.region),
        note=f"{credit.amount} 万元（{credit.activity.title}）",
        url=link(user, access.can_use_activities, "activity_detail", credit.activity_id),
    )


register(
    Metric(
        key="hmt_credit",
        label="港澳台侨企业授信签约",
        unit="万元",
        definition=(
            "统计期内港澳台侨条线活动（政银企对接会等）上金融机构与企业签订的授信金额合计，"
            "单位万元，按活动日期，按企业所在区域，含下辖区域。"
        ),
        kind=SUM,
        model=CreditAgreement,
        where=lambda p: p.days("activity__date") & Q(activity__line__code=HMT),
        region_field="enterprise__region",
        line_field="activity__line",
        field="amount",
        row=_credit_row,
        order=("-activity__date", "-amount", "pk"),
        related=("activity", "enterprise", "enterprise__region"),
        section=CENTRE,
    )
)


# --- cases ----------------------------------------------------------------------------------------


def _case_row(case: Case, user: User) -> RecordRow:
    day = timezone.localdate(case.resolved_at) if case.resolved_at else case.received_on
    return RecordRow(
        date=day,
        title=case.title,
        region=region_name(case.region),
        note=case.get_status_display(),
        url=link(user, access.can_use_cases, "case_detail", case.pk),
    )


def _case_metric(
    key: str,
    label: str,
    definition: str,
    where: Any,
    *,
    section: str = OVERVIEW,
    kind: str = COUNT,
    compute: Any = None,
    unit: str = "件",
) -> Metric:
    return register(
        Metric(
            key=key,
            label=label,
            unit=unit,
            definition=definition,
            kind=kind,
            model=Case,
            # An archived case (recorded in error or twice) counts in no figure.
            where=lambda p: where(p) & Q(archived_at__isnull=True),
            region_field="region",
            line_field="line",
            row=_case_row,
            order=("-resolved_at", "-received_on", "-pk"),
            related=("region",),
            section=section,
            compute=compute,
        )
    )


def _resolved(period: Period) -> Q:
    return Q(status__in=RESOLVED) & period.moments("resolved_at")


_case_metric(
    "hmt_cases_resolved",
    "港澳台侨企业协调解决困难问题",
    "统计期内办结（含已回访）的港澳台侨条线诉求件数，按办结日期，含下辖区域。",
    lambda p: _resolved(p) & Q(line__code=HMT),
    section=CENTRE,
)
_case_metric(
    "cases_received",
    "受理诉求",
    "统计期内受理的诉求件数（各条线），按受理日期，含下辖区域。",
    lambda p: p.days("received_on"),
)
_case_metric(
    "cases_resolved",
    "办结诉求",
    "统计期内办结（含已回访）的诉求件数（各条线），按办结日期，含下辖区域。",
    _resolved,
)


def _open(period: Period) -> Q:
    return Q(status__in=OPEN_STATUSES, received_on__lte=period.end)


_case_metric(
    "cases_open",
    "在办诉求",
    "当前处于“交办”“办理中”状态、且受理日期不晚于统计期末的诉求件数，含下辖区域。",
    _open,
)
_case_metric(
    "cases_overdue",
    "逾期未办结诉求",
    "当前处于“交办”“办理中”状态、办理时限已过（早于今天）、且受理日期不晚于统计期末的诉求件数。",
    lambda p: _open(p) & Q(deadline__lt=timezone.localdate()),
)


def _on_time_rate(cases: Any) -> Any:
    return resolution_stats(cases).on_time_rate


_case_metric(
    "cases_on_time_rate",
    "诉求按期办结率",
    "统计期内办结、且有办理时限的诉求中，在时限内（含经批准的延期）办结的比例，按办结日期。"
    "明细列出统计期内办结的全部诉求。",
    lambda p: _resolved(p) & Q(resolved_at__isnull=False),
    kind=RATE,
    compute=_on_time_rate,
    unit="%",
)


# --- visits ---------------------------------------------------------------------------------------


def _visit_row(visit: Visit, user: User) -> RecordRow:
    return RecordRow(
        date=visit.visited_on,
        title=f"走访 {visit.person or visit.organization}",
        region=region_name(visit.region),
        note=visit.get_method_display(),
        url=link(user, access.can_use_registry, "visit_detail", visit.pk),
    )


register(
    Metric(
        key="visits",
        label="走访统战对象",
        unit="次",
        definition="统计期内走访统战对象（人员或组织）的次数，按走访日期，含下辖区域。",
        kind=COUNT,
        model=Visit,
        where=lambda p: p.days("visited_on"),
        region_field="region",
        row=_visit_row,
        order=("-visited_on", "-pk"),
        related=("person", "organization", "region"),
    )
)
