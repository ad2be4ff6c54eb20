"""Every work list out as .xlsx or CSV, through the one export engine (core/tabular.py).

Each list is exported with exactly the filter form and selector its page uses, so a download holds
what the list shows. People appear by name only (never ID numbers or phones), and only where the
list shows them to that user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms as django_forms
from django.db.models import QuerySet, Sum
from django.http import QueryDict
from django.utils import timezone

from tongxin.core import access, tabular
from tongxin.core.models import User

from . import forms_activities, forms_cadres, forms_cases, forms_outputs
from . import selectors_activities as activities
from . import selectors_cadres as cadres
from . import selectors_cases as cases
from . import selectors_outputs as outputs
from .models import Activity, Case, DualVisitReport, Output, Secondment, Training, Visit

CHUNK = 1000
C = tabular.Column


def _date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return value.isoformat()


def _name(obj: Any) -> str:
    return "" if obj is None else str(getattr(obj, "short_name", "") or obj)


def describe(form: django_forms.Form) -> str:
    """The filter in words, from what the list's own form accepted."""
    form.is_valid()
    words = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", [], False) or name in ("page", "cols", "page_size"):
            continue
        field = form.fields[name]
        shown = value
        if isinstance(field, django_forms.ChoiceField) and not hasattr(value, "pk"):
            shown = dict(field.choices).get(value, value)  # type: ignore[arg-type]
        if value is True:
            shown = "是"
        words.append(f"{field.label}：{shown}")
    return "；".join(words) or "全部"


@dataclass(frozen=True)
class ListExport:
    title: str
    object_type: str
    roles: tuple[str, ...]
    query: Callable[[User, QueryDict], tuple[QuerySet[Any], django_forms.Form]]
    columns: Callable[[User], list[tabular.Column]]
    unit: str = "条"


def _activities(user: User, params: QueryDict) -> tuple[QuerySet[Activity], Any]:
    form = forms_activities.ActivityListForm(user, params)
    qs = activities.activity_list(user, form.activity_filter()).annotate(
        credit_total=Sum("credits__amount")
    )
    return qs, form


def _activity_columns(user: User) -> list[tabular.Column]:
    return [
        C("日期", lambda a: _date(a.date), 12),
        C("活动类型", lambda a: a.type.name, 12),
        C("活动名称", lambda a: a.title, 40),
        C("地点", lambda a: a.place, 20),
        C("所属区域", lambda a: a.region.name),
        C("条线", lambda a: _name(a.line)),
        C("参加名单（条）", lambda a: a.participant_count, 10),
        C("参加人数", lambda a: a.headcount, 10),
        C("授信签约（万元）", lambda a: a.credit_total or Decimal("0.00"), 14),
    ]


def _outputs(user: User, params: QueryDict) -> tuple[QuerySet[Output], Any]:
    form = forms_outputs.OutputListForm(user, params)
    return outputs.output_list(user, form.output_filter()), form


def _output_columns(user: User) -> list[tabular.Column]:
    return [
        C("日期", lambda o: _date(o.date), 12),
        C("类别", lambda o: o.get_kind_display(), 12),
        C("标题", lambda o: o.title, 40),
        C("作者", lambda o: "、".join(str(a) for a in o.shown_authors), 24),
        C("所属区域", lambda o: o.region.name),
        C("条线", lambda o: _name(o.line)),
        C("领导批示（件）", lambda o: o.endorsement_count, 10),
        C("被采用（次）", lambda o: o.adoption_count, 10),
        C("发布平台", lambda o: o.get_channel_display() if o.channel else ""),
        C("阅读量", lambda o: o.reads, 10),
    ]


def _visits(user: User, params: QueryDict) -> tuple[QuerySet[Visit], Any]:
    form = forms_cases.VisitListForm(user, params)
    return cases.visit_list(user, form.visit_filter()), form


def _visit_columns(user: User) -> list[tabular.Column]:
    return [
        C("走访日期", lambda v: _date(v.visited_on), 12),
        C("走访对象", lambda v: _name(v.person or v.organization), 24),
        C("方式", lambda v: v.get_method_display()),
        C("走访人", lambda v: v.visitors, 20),
        C("所属区域", lambda v: v.region.name),
        C("走访情况", lambda v: v.notes, 40),
    ]


def _cases(user: User, params: QueryDict) -> tuple[QuerySet[Case], Any]:
    form = forms_cases.CaseListForm(user, params)
    return cases.case_list(user, form.case_filter()), form


def _case_columns(user: User) -> list[tabular.Column]:
    return [
        C("受理日期", lambda c: _date(c.received_on), 12),
        C("诉求", lambda c: c.title, 36),
        C("反映人/企业", lambda c: _name(c.requester_person or c.requester_organization), 24),
        C("来源", lambda c: c.get_source_display()),
        C("问题类别", lambda c: c.category),
        C("状态", lambda c: c.get_status_display(), 10),
        C("承办单位", lambda c: "、".join(_name(u) for u in c.units.all()), 24),
        C("经办人", lambda c: c.handler_name or ""),
        C("办理时限", lambda c: _date(c.deadline), 12),
        C("是否逾期", lambda c: c.is_overdue, 8),
        C("办结时间", lambda c: _date(c.resolved_at), 16),
        C("满意度", lambda c: c.get_satisfaction_display() if c.satisfaction else ""),
        C("所属区域", lambda c: c.region.name),
    ]


def _trainings(user: User, params: QueryDict) -> tuple[QuerySet[Training], Any]:
    form = forms_cadres.TrainingListForm(user, params)
    return cadres.training_list(user, form.training_filter()), form


def _training_columns(user: User) -> list[tabular.Column]:
    return [
        C("开班日期", lambda t: _date(t.start_date), 12),
        C("结业日期", lambda t: _date(t.end_date), 12),
        C("培训班名称", lambda t: t.title, 40),
        C("主办单位", lambda t: _name(t.organizer), 20),
        C("学时", lambda t: t.hours, 8),
        C("学员（人）", lambda t: t.trainee_count, 10),
        C("所属区域", lambda t: t.region.name),
        C("条线", lambda t: _name(t.line)),
    ]


def _secondments(user: User, params: QueryDict) -> tuple[QuerySet[Secondment], Any]:
    form = forms_cadres.SecondmentListForm(user, params)
    return cadres.secondment_list(user, form.secondment_filter()), form


def _secondment_columns(user: User) -> list[tabular.Column]:
    return [
        C("批次", lambda s: f"第{s.batch}批", 8),
        C("姓名", lambda s: s.person.name, 10),
        C("所属区域", lambda s: s.person.region.name),
        C("方式", lambda s: s.get_direction_display(), 8),
        C("挂职单位", lambda s: s.host, 24),
        C("挂任职务", lambda s: s.post, 20),
        C("开始日期", lambda s: _date(s.start_date), 12),
        C("结束日期", lambda s: _date(s.end_date), 12),
    ]


def _dual_reports(user: User, params: QueryDict) -> tuple[QuerySet[DualVisitReport], Any]:
    years = cadres.dual_report_years(user)
    form = forms_cadres.DualReportListForm(user, params, years=years)
    return cadres.dual_report_list(user, form.shown_year()), form


def _dual_report_columns(user: User) -> list[tabular.Column]:
    return [
        C("年度", lambda r: r.year, 8),
        C("姓名", lambda r: r.person.name, 10),
        C("所属区域", lambda r: r.person.region.name),
        C("走访次数", lambda r: r.visits_made, 10),
        C("报告题目", lambda r: r.report_title, 36),
        C("报告日期", lambda r: _date(r.reported_on), 12),
    ]


WORK_ROLES = access.CASE_ROLES
REGISTRY_ROLES = access.REGISTRY_ROLES
LISTS: dict[str, ListExport] = {
    "activities": ListExport(
        "活动列表", "work.activity", WORK_ROLES, _activities, _activity_columns, "场"
    ),
    "outputs": ListExport("成果列表", "work.output", WORK_ROLES, _outputs, _output_columns, "项"),
    "visits": ListExport("走访记录", "work.visit", REGISTRY_ROLES, _visits, _visit_columns, "次"),
    "cases": ListExport("诉求列表", "work.case", WORK_ROLES, _cases, _case_columns, "件"),
    "trainings": ListExport(
        "培训班列表", "work.training", REGISTRY_ROLES, _trainings, _training_columns, "期"
    ),
    "secondments": ListExport(
        "挂职锻炼名单", "work.secondment", REGISTRY_ROLES, _secondments, _secondment_columns, "人次"
    ),
    "dual-reports": ListExport(
        "双走访双报告", "work.dualvisitreport", REGISTRY_ROLES, _dual_reports, _dual_report_columns
    ),
}


def table(user: User, name: str, params: QueryDict) -> tabular.Table:
    spec = LISTS[name]
    access.require_role(user, *spec.roles)
    qs, form = spec.query(user, params)
    return tabular.Table(
        title=spec.title,
        object_type=spec.object_type,
        columns=spec.columns(user),
        rows=lambda: qs.iterator(chunk_size=CHUNK),
        count=qs.count(),
        description=describe(form),
        unit=spec.unit,
    )
