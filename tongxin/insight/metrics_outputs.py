"""Metrics of outputs (成果): the leaders' endorsements of them, the democratic parties' research
reports with their endorsements and adoptions, and the model courses (精品示范课程)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from tongxin.core import access
from tongxin.core.models import User
from tongxin.work.models import (
    Adoption,
    Endorsement,
    EndorsementLevel,
    Output,
    OutputAuthor,
    OutputKind,
)

from .metrics import (
    COUNT,
    INNOVATE,
    LEAD,
    Metric,
    Period,
    RecordRow,
    link,
    region_name,
    register,
)

# --- outputs and endorsements ---------------------------------------------------------------------


def _output_row(output: Output, user: User) -> RecordRow:
    return RecordRow(
        date=output.date,
        title=output.title,
        region=region_name(output.region),
        note=output.get_kind_display(),
        url=link(user, access.can_use_activities, "output_detail", output.pk),
    )


def _endorsement_row(endorsement: Endorsement, user: User) -> RecordRow:
    return RecordRow(
        date=endorsement.date,
        title=endorsement.output.title,
        region=region_name(endorsement.output.region),
        note=f"{endorsement.get_level_display()}·{endorsement.leader_title}",
        url=link(user, access.can_use_activities, "output_detail", endorsement.output_id),
    )


register(
    Metric(
        key="endorsements_provincial",
        label="省委领导肯定性批示",
        unit="件",
        definition=(
            "统计期内省级领导对本地成果（调研报告、信息、经验材料等）作出的肯定性批示件数，"
            "按批示日期，按成果所属区域，含下辖区域。"
        ),
        kind=COUNT,
        model=Endorsement,
        where=lambda p: p.days("date") & Q(level=EndorsementLevel.PROVINCE, is_affirmative=True),
        region_field="output__region",
        line_field="output__line",
        row=_endorsement_row,
        order=("-date", "-pk"),
        related=("output", "output__region"),
        section=LEAD,
    )
)


def _output_metric(key: str, label: str, unit: str, definition: str, where: Any, **kw: Any) -> None:
    register(
        Metric(
            key=key,
            label=label,
            unit=unit,
            definition=definition,
            kind=COUNT,
            model=Output,
            where=where,
            region_field="region",
            line_field="line",
            row=_output_row,
            order=("-date", "-pk"),
            related=("region",),
            **kw,
        )
    )


def _endorsed(period: Period) -> Q:
    endorsed = Endorsement.objects.filter(
        output_id=OuterRef("pk"), is_affirmative=True, date__range=(period.start, period.end)
    )
    return Q(Exists(endorsed))


_output_metric(
    "outputs_endorsed",
    "成果获肯定性批示",
    "篇",
    "统计期内获得各级领导肯定性批示的成果篇数（一篇多次批示计一篇），按批示日期，含下辖区域。",
    _endorsed,
)


def _party_reports(period: Period) -> Q:
    by_party = OutputAuthor.objects.filter(
        output_id=OuterRef("pk"), organization__org_type__code="dangpai"
    )
    return period.days("date") & Q(kind=OutputKind.RESEARCH_REPORT) & Q(Exists(by_party))


_output_metric(
    "party_reports",
    "民主党派调研报告",
    "篇",
    "统计期内形成的、作者为民主党派组织的调研报告篇数，按报告日期，含下辖区域。",
    _party_reports,
    section=INNOVATE,
)


def _party_reports_endorsed(period: Period) -> Q:
    endorsed = Endorsement.objects.filter(
        output_id=OuterRef("pk"),
        is_affirmative=True,
        level__in=(EndorsementLevel.PROVINCE, EndorsementLevel.CITY),
    )
    return _party_reports(period) & Q(Exists(endorsed))


_output_metric(
    "party_reports_endorsed",
    "民主党派调研报告获省市领导批示",
    "篇",
    "统计期内形成的民主党派调研报告中，获省级或市级领导肯定性批示的篇数（一篇多次批示计一篇）。",
    _party_reports_endorsed,
    section=INNOVATE,
)

NATIONAL_ADOPTERS = ("party_central", "npc", "cppcc")


def _party_reports_adopted(period: Period) -> Q:
    adopted = Adoption.objects.filter(output_id=OuterRef("pk"), adopter__in=NATIONAL_ADOPTERS)
    return _party_reports(period) & Q(Exists(adopted))


_output_metric(
    "party_reports_adopted",
    "民主党派调研报告被党派中央和全国人大、政协采用",
    "篇",
    "统计期内形成的民主党派调研报告中，被党派中央、全国人大或全国政协采用的篇数（一篇多次采用计一篇）。",
    _party_reports_adopted,
    section=INNOVATE,
)


def _course_sets(period: Period) -> Q:
    courses = Output.objects.filter(compilation_id=OuterRef("pk"), kind=OutputKind.COURSE)
    return period.days("date") & Q(kind=OutputKind.COMPILATION) & Q(Exists(courses))


_output_metric(
    "model_courses",
    "精品示范课程",
    "套",
    "统计期内形成的、收录课程的课程汇编（精品示范课程）套数，按汇编日期，含下辖区域。",
    _course_sets,
    section=INNOVATE,
)
_output_metric(
    "model_course_modules",
    "精品示范课程板块",
    "个板块",
    "统计期内形成的、收入课程汇编（精品示范课程）的课程（板块）个数，按课程日期，含下辖区域。",
    lambda p: (
        p.days("date")
        & Q(
            kind=OutputKind.COURSE,
            compilation__isnull=False,
            compilation__kind=OutputKind.COMPILATION,
        )
    ),
    section=INNOVATE,
)
