"""JSON shapes of trainings (培训班) with their trainees, secondments of non-party cadres (挂职锻炼)
and 双走访双报告. Hours are decimal strings, like money: JSON numbers are floats to most clients."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from tongxin.core import text
from tongxin.core.models import Unit, User
from tongxin.work.models import SecondmentDirection, Trainee, Training

from .schemas_work import (
    IdName,
    business_line,
    choice,
    convert,
    hours_text,
    line_name,
    non_negative,
    ref,
    region,
    region_code,
    visible_one,
)
from .versions import VERSION_OUT, version_field

PERSONS_REQUIRED = "请选择至少一位学员（persons 填人员 id 列表）。"
HOURS_HELP = '学时，以字符串提交，如 "24" 或 "1.5"'
DIRECTION_HELP = "上挂 或 下派（或 up、down）"


# --- trainings ------------------------------------------------------------------------------------


class TraineeOut(Schema):
    id: int
    person: IdName
    hours: str = Field(description="学时（未单独填写时为培训班学时）")
    completed: bool = Field(description="结业")
    notes: str

    @staticmethod
    def resolve_person(obj: Trainee) -> dict[str, Any] | None:
        return ref(obj.person)

    @staticmethod
    def resolve_hours(obj: Trainee) -> str | None:
        return hours_text(obj.effective_hours)


class TrainingOut(Schema):
    id: int
    version: int = Field(description=VERSION_OUT)
    title: str
    start_date: dt.date
    end_date: dt.date
    place: str
    organizer: IdName | None = Field(description="主办单位")
    region: str
    region_name: str
    line: str | None
    hours: str = Field(description="学时")
    summary: str
    trainee_count: int = Field(description="学员人数")
    created_by: str

    @staticmethod
    def resolve_organizer(obj: Training) -> dict[str, Any] | None:
        return ref(obj.organizer)

    @staticmethod
    def resolve_region(obj: Training) -> str:
        return region_code(obj)

    @staticmethod
    def resolve_region_name(obj: Training) -> str:
        return obj.region.name

    @staticmethod
    def resolve_line(obj: Training) -> str | None:
        return line_name(obj)

    @staticmethod
    def resolve_hours(obj: Training) -> str | None:
        return hours_text(obj.hours)

    @staticmethod
    def resolve_created_by(obj: Training) -> str:
        return obj.created_by.name


class TrainingDetailOut(TrainingOut):
    trainees: list[TraineeOut]

    @staticmethod
    def resolve_trainees(obj: Training) -> list[Any]:
        return obj.visible_trainees  # type: ignore[attr-defined]


class TrainingIn(Schema):
    title: str = Field(description="培训班名称")
    start_date: dt.date = Field(description="开班日期")
    end_date: dt.date = Field(description="结业日期")
    hours: str | int | float = Field(description=HOURS_HELP)
    region: str = Field(description="所属区域的行政区划代码")
    line: str | None = Field(None, description="条线；市级业务人员必填")
    organizer: int | None = Field(None, description="主办单位 id")
    place: str = ""
    summary: str = ""


class TrainingPatch(Schema):
    version: int | None = version_field()
    title: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    hours: str | int | float | None = None
    region: str | None = None
    line: str | None = None
    organizer: int | None = None
    place: str | None = None
    summary: str | None = None


def training_fields(user: User, data: dict[str, Any]) -> dict[str, Any]:
    return convert(
        data,
        {
            "hours": lambda v: non_negative("学时", v),
            "region": region,
            "line": business_line,
            "organizer": lambda pk: visible_one(user, Unit, pk, "主办单位"),
            "title": lambda v: text.clean(v),
            "place": lambda v: text.clean(v),
            "summary": lambda v: (v or "").strip(),
        },
    )


class TraineesIn(Schema):
    persons: list[int] = Field(description="人员 id 列表")
    hours: str | int | float | None = Field(None, description="学时；不填按培训班学时")
    completed: bool = Field(True, description="结业")
    notes: str = ""


def trainee_fields(data: dict[str, Any]) -> dict[str, Any]:
    return convert(
        data,
        {"hours": lambda v: None if v is None or v == "" else non_negative("学时", v)},
    )


# --- secondments ----------------------------------------------------------------------------------


class SecondmentOut(Schema):
    id: int
    version: int = Field(description=VERSION_OUT)
    person: IdName = Field(description="挂职干部")
    direction: str = Field(description=DIRECTION_HELP)
    batch: int = Field(description="第几批")
    host_unit: IdName | None = Field(description="挂职单位（单位列表中的）")
    host_name: str = Field(description="挂职单位名称（不在单位列表中时）")
    host: str = Field(description="挂职单位（显示用）")
    post: str = Field(description="挂任职务")
    start_date: dt.date
    end_date: dt.date | None
    region: str = Field(description="组织区域的行政区划代码")
    region_name: str
    notes: str

    @staticmethod
    def resolve_person(obj: Any) -> dict[str, Any] | None:
        return ref(obj.person)

    @staticmethod
    def resolve_direction(obj: Any) -> str:
        return str(obj.get_direction_display())

    @staticmethod
    def resolve_host_unit(obj: Any) -> dict[str, Any] | None:
        return ref(obj.host_unit)

    @staticmethod
    def resolve_region(obj: Any) -> str:
        return region_code(obj)

    @staticmethod
    def resolve_region_name(obj: Any) -> str:
        return str(obj.region.name)


class SecondmentIn(Schema):
    person: int = Field(description="挂职干部（人员 id）")
    direction: str = Field(description=DIRECTION_HELP)
    batch: int = Field(ge=1, le=999, description="第几批")
    start_date: dt.date
    region: str = Field(description="组织区域的行政区划代码")
    host_unit: int | None = Field(None, description="挂职单位 id")
    host_name: str = Field("", description="挂职单位不在单位列表中时填写名称")
    post: str = Field("", description="挂任职务")
    end_date: dt.date | None = None
    notes: str = ""


class SecondmentPatch(Schema):
    version: int | None = version_field()
    direction: str | None = None
    batch: int | None = Field(None, ge=1, le=999)
    start_date: dt.date | None = None
    host_unit: int | None = None
    host_name: str | None = None
    post: str | None = None
    end_date: dt.date | None = None
    notes: str | None = None


def secondment_fields(user: User, data: dict[str, Any]) -> dict[str, Any]:
    return convert(
        data,
        {
            "direction": lambda v: choice(SecondmentDirection, "挂职方式", v),
            "region": region,
            "host_unit": lambda pk: visible_one(user, Unit, pk, "挂职单位"),
            "host_name": lambda v: text.clean(v),
            "post": lambda v: text.clean(v),
            "notes": lambda v: text.clean(v),
        },
    )


# --- 双走访双报告 --------------------------------------------------------------------------------


class DualReportOut(Schema):
    id: int
    person: IdName = Field(description="党外代表人士")
    year: int
    visits_made: int = Field(description="走访次数")
    visit_notes: str
    report_title: str
    report_text: str
    reported_on: dt.date | None

    @staticmethod
    def resolve_person(obj: Any) -> dict[str, Any] | None:
        return ref(obj.person)


class DualReportIn(Schema):
    """Saved by person and year: the first time creates the record, later only the keys sent
    are changed."""

    person: int = Field(description="党外代表人士（人员 id）")
    year: int = Field(description="年度")
    visits_made: int | None = Field(None, ge=0, description="走访次数")
    visit_notes: str | None = None
    report_title: str | None = None
    report_text: str | None = None
    reported_on: dt.date | None = None
