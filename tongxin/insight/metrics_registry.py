"""Metrics of the registry and of governance: titles given to organizations (designations), the
published 50强 list, the people and organizations on the roster, and the tasks of member units.

Designation kinds are named by their stable codes (registry/codes.py DESIGNATION_KINDS)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import Region, User
from tongxin.governance.models import OPEN_TASK_STATES, Task
from tongxin.governance.models_rounds import RoundResult, RoundState
from tongxin.registry.models import Designation, Membership, Organization, Person

from .metrics import (
    CENTRE,
    COUNT,
    INNOVATE,
    OVERVIEW,
    Metric,
    Period,
    RecordRow,
    link,
    region_name,
    register,
)

# The indicator set whose published rounds are the 德阳非公企业50强 lists.
TOP_50_SET = "德阳非公企业50强"
NEW_STRATUM = "07"  # 统战对象类别 新的社会阶层人士 (registry/codes.py CATEGORIES)


# --- designations ---------------------------------------------------------------------------------


def _designation_row(designation: Designation, user: User) -> RecordRow:
    batch = f"（{designation.batch}）" if designation.batch else ""
    return RecordRow(
        date=designation.designated_on,
        title=designation.organization.name,
        region=region_name(designation.organization.region),
        note=f"{designation.kind.name}{batch}",
        url=link(user, access.can_use_registry, "organization_detail", designation.organization_id),
    )


def _designated(kind: str) -> Any:
    def where(period: Period) -> Q:
        standing = Q(revoked_on__isnull=True) | Q(revoked_on__gt=period.end)
        return period.days("designated_on") & Q(kind__code=kind) & standing

    return where


def _designation_metric(
    key: str, label: str, unit: str, definition: str, kind: str, section: str
) -> None:
    register(
        Metric(
            key=key,
            label=label,
            unit=unit,
            definition=definition,
            kind=COUNT,
            model=Designation,
            where=_designated(kind),
            region_field="organization__region",
            line_field="organization__org_type__line",
            row=_designation_row,
            order=("-designated_on", "organization__name_pinyin", "pk"),
            related=("organization", "organization__region", "kind"),
            section=section,
        )
    )


_designation_metric(
    "private100_entrants",
    "入围四川省民营企业100强",
    "家",
    "统计期内发布的“四川省民营企业100强”榜单中入围的本地企业家数（命名称号“四川省民营企业100强”，"
    "按发布日期，未撤销），按企业所在区域，含下辖区域。",
    "private_100",
    CENTRE,
)
_designation_metric(
    "tongxin_bases",
    "“同心德阳”统战工作基地",
    "个",
    "统计期内命名的“同心德阳”统战工作基地个数（按命名日期，未撤销），按所在区域，含下辖区域。",
    "tongxin_base",
    CENTRE,
)
_designation_metric(
    "immersion_sites",
    "浸润式教学体验阵地",
    "个",
    "统计期内建成命名的铸牢中华民族共同体意识浸润式教学体验阵地个数（命名称号“浸润式教学体验阵地”，"
    "按命名日期，未撤销），按所在区域，含下辖区域。",
    "jinrun",
    INNOVATE,
)
_designation_metric(
    "religious_model_sites",
    "坚持我国宗教中国化方向示范场所",
    "个",
    "统计期内创建命名的坚持我国宗教中国化方向示范场所个数（按命名日期，未撤销），按所在区域，含下辖区域。",
    "zongjiao_model",
    INNOVATE,
)


# --- the published 50强 list ----------------------------------------------------------------------


def _result_row(result: RoundResult, user: User) -> RecordRow:
    return RecordRow(
        date=None,
        title=f"第{result.rank}名 {result.subject_name}",
        region=result.subject_region,
        note=f"{result.round.year}年度，{result.round.set.name}",
        url=link(user, access.can_use_registry, "round_detail", result.round_id),
    )


def _top_50(period: Period) -> Q:
    return Q(
        in_list=True,
        round__state=RoundState.PUBLISHED,
        round__set__name=TOP_50_SET,
        round__year__range=(period.start.year, period.end.year),
    )


register(
    Metric(
        key="top50_listed",
        label="发布“德阳非公企业50强”",
        unit="家",
        definition=(
            "考评年度在统计期内、已发布的“德阳非公企业50强”榜单上榜企业家数，按企业所在区域，含下辖区域。"
        ),
        kind=COUNT,
        model=RoundResult,
        where=_top_50,
        region_field="organization__region",
        line_field="round__set__line",
        row=_result_row,
        order=("-round__year", "rank", "pk"),
        related=("round", "round__set"),
        section=CENTRE,
    )
)


# --- the roster -----------------------------------------------------------------------------------


def _person_row(person: Person, user: User) -> RecordRow:
    return RecordRow(
        date=None,
        title=person.name,
        region=region_name(person.region),
        note="，".join(x for x in (person.employer, person.position) if x),
        url=link(user, access.can_use_registry, "person_detail", person.pk),
    )


def _live_people(period: Period) -> Q:
    return Q(archived_at__isnull=True, merged_into__isnull=True)


def _new_stratum(period: Period) -> Q:
    in_stratum = Person.categories.through.objects.filter(
        person_id=OuterRef("pk"), codeitem__code=NEW_STRATUM, codeitem__kind="category"
    )
    return _live_people(period) & Q(Exists(in_stratum))


def _organized(period: Period) -> Q:
    member = Membership.objects.filter(
        Q(term_end__isnull=True) | Q(term_end__gte=timezone.localdate()),
        person_id=OuterRef("pk"),
        organization__archived_at__isnull=True,
    )
    return _new_stratum(period) & Q(Exists(member))


def _person_metric(key: str, label: str, definition: str, where: Any) -> None:
    register(
        Metric(
            key=key,
            label=label,
            unit="人",
            definition=definition,
            kind=COUNT,
            model=Person,
            where=where,
            region_field="region",
            row=_person_row,
            order=("name_pinyin", "pk"),
            related=("region",),
            section=OVERVIEW,
        )
    )


_person_metric(
    "persons_total",
    "在册统战对象",
    "当前在册（未归档、未合并）的统战对象人数，按人员所属区域，含下辖区域；不分统计期。",
    _live_people,
)
_person_metric(
    "people_known",
    "掌握的新的社会阶层人士",
    "当前在册（未归档、未合并）、类别含“新的社会阶层人士”的人数，按所属区域，含下辖区域；不分统计期。",
    _new_stratum,
)
_person_metric(
    "people_organized",
    "组织起来的新的社会阶层人士",
    "上项人员中，当前在联谊组织、商会等组织中任职或为成员（任期未结束）的人数；不分统计期。",
    _organized,
)


def _organization_row(organization: Organization, user: User) -> RecordRow:
    return RecordRow(
        date=organization.founded_on,
        title=organization.name,
        region=region_name(organization.region),
        note=organization.org_type.name,
        url=link(user, access.can_use_registry, "organization_detail", organization.pk),
    )


register(
    Metric(
        key="organizations_total",
        label="在册组织",
        unit="个",
        definition="当前在册（未归档）的组织个数（各类型），按所在区域，含下辖区域；不分统计期。",
        kind=COUNT,
        model=Organization,
        where=lambda p: Q(archived_at__isnull=True),
        region_field="region",
        line_field="org_type__line",
        row=_organization_row,
        order=("name_pinyin", "pk"),
        related=("region", "org_type"),
        section=OVERVIEW,
    )
)


def _landed(period: Period) -> Q:
    landed = Organization.landed_at.through.objects.filter(
        organization_id=OuterRef("pk"), activity__date__range=(period.start, period.end)
    )
    return Q(is_taiwan_funded=True) & Q(Exists(landed))


register(
    Metric(
        key="new_taiwan_enterprises",
        label="新增台资企业",
        unit="家",
        definition=(
            "统计期内招商推介等活动记录的落地企业中台资企业的家数（按活动日期，一家企业只计一次），"
            "按企业所在区域，含下辖区域。"
        ),
        kind=COUNT,
        model=Organization,
        where=_landed,
        region_field="region",
        line_field="org_type__line",
        row=_organization_row,
        order=("-founded_on", "pk"),
        related=("region", "org_type"),
        section=CENTRE,
    )
)


# --- tasks of member units ------------------------------------------------------------------------


def _task_row(task: Task, user: User) -> RecordRow:
    return RecordRow(
        date=task.deadline,
        title=task.title,
        region=region_name(task.region),
        note=f"{task.get_state_display()}，承办：{task.assignee}",
        url=link(user, access.can_use_cases, "task_detail", task.pk),
    )


def _task_region(region: Region) -> Q:
    return Q(region__path__startswith=region.path) | Q(
        assignee_region__path__startswith=region.path
    )


def _open_tasks(period: Period) -> Q:
    return Q(state__in=OPEN_TASK_STATES, created_at__date__lte=period.end)


def _task_metric(key: str, label: str, definition: str, where: Any) -> None:
    register(
        Metric(
            key=key,
            label=label,
            unit="件",
            definition=definition,
            kind=COUNT,
            model=Task,
            where=where,
            region_field="region",
            in_region=_task_region,
            line_field="line",
            row=_task_row,
            order=("deadline", "pk"),
            related=("region", "assignee_unit", "assignee_region"),
            section=OVERVIEW,
        )
    )


_task_metric(
    "tasks_open",
    "未办结督办事项",
    "当前处于“待办”“办理中”状态、且交办日期不晚于统计期末的督办事项件数（本区域交办的和交给本区域承办的）。",
    _open_tasks,
)
_task_metric(
    "tasks_overdue",
    "逾期督办事项",
    "上项中办理时限已过（早于今天）的督办事项件数。",
    lambda p: _open_tasks(p) & Q(deadline__lt=timezone.localdate()),
)
