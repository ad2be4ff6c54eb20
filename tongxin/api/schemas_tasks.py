"""JSON shapes of 督办事项 (supervised tasks) and their timeline: states are Chinese labels on the
way out and may be labels or keys on the way in; the task's mechanism and its events' files are
read from what the router fetched through access.scope (``visible_*``), so a liaison meets no
mechanism their unit is not a member of."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Field, Schema

from tongxin.core import text
from tongxin.core.models import Unit, User
from tongxin.governance.models import Mechanism, Task, TaskState
from tongxin.governance.services_tasks import OWNER_NOT_STAFF

from .schemas_governance import RegionRef, labels, region_ref
from .schemas_work import (
    AttachmentOut,
    IdName,
    business_line,
    choice,
    convert,
    line_name,
    ref,
    region,
    region_code,
    visible_one,
)

SYSTEM = "系统"  # the actor of the reminders the daily job writes


class TaskEventOut(Schema):
    at: dt.datetime
    actor: str = Field(description="操作人姓名；系统提醒为“系统”")
    kind: str = Field(description="状态变更、退回、进展、到期提醒、逾期提醒")
    from_: str = Field(alias="from", description="原状态")
    to: str = Field(description="新状态")
    note: str
    attachments: list[AttachmentOut] = Field(description="进展报告所附文件")


class TaskOut(Schema):
    id: int
    title: str
    text: str
    mechanism: IdName | None = Field(description="所属工作机制；无权查看时为 null")
    region: str = Field(description="督办单位所属区域的行政区划代码")
    region_name: str
    line: str | None
    assignee_unit: IdName | None = Field(description="承办单位")
    assignee_region: RegionRef | None = Field(description="承办区县")
    assignee: str = Field(description="承办单位或承办区县的名称")
    owner: str = Field(description="督办责任人姓名")
    deadline: dt.date
    days_left: int | None = Field(description="距办理时限天数（待办、办理中时），逾期为负")
    is_overdue: bool
    expected_result: str
    state: str = Field(description=labels(TaskState))
    result: str
    closed_at: dt.datetime | None
    created_by: str
    created_at: dt.datetime

    @staticmethod
    def resolve_mechanism(obj: Task) -> dict[str, Any] | None:
        return ref(obj.visible_mechanism)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_region(obj: Task) -> str:
        return region_code(obj)

    @staticmethod
    def resolve_region_name(obj: Task) -> str:
        return obj.region.name

    @staticmethod
    def resolve_line(obj: Task) -> str | None:
        return line_name(obj)

    @staticmethod
    def resolve_assignee_unit(obj: Task) -> dict[str, Any] | None:
        return ref(obj.assignee_unit)

    @staticmethod
    def resolve_assignee_region(obj: Task) -> dict[str, Any] | None:
        return region_ref(obj.assignee_region)

    @staticmethod
    def resolve_assignee(obj: Task) -> str:
        return str(obj.assignee or "")

    @staticmethod
    def resolve_owner(obj: Task) -> str:
        return obj.owner.name

    @staticmethod
    def resolve_state(obj: Task) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_created_by(obj: Task) -> str:
        return obj.created_by.name


class TaskDetailOut(TaskOut):
    events: list[TaskEventOut] = Field(description="督办记录，按时间先后")

    @staticmethod
    def resolve_events(obj: Task) -> list[dict[str, Any]]:
        return [
            {
                "at": e.at,
                "actor": e.actor.name if e.actor is not None else SYSTEM,
                "kind": e.get_kind_display(),
                "from": e.get_from_state_display(),
                "to": e.get_to_state_display(),
                "note": e.note,
                "attachments": list(e.attachments.all()),
            }
            for e in obj.visible_events  # type: ignore[attr-defined]
        ]


class TaskIn(Schema):
    title: str = Field(description="督办事项")
    text: str = Field("", description="内容")
    region: str = Field(description="督办单位所属区域的行政区划代码")
    line: str | None = Field(None, description="条线；市级业务人员必填")
    mechanism: int | None = Field(None, description="所属工作机制 id（须同区域、同条线）")
    assignee_unit: int | None = Field(None, description="承办单位 id（与 assignee_region 二选一）")
    assignee_region: str | None = Field(None, description="承办区县的行政区划代码")
    owner: int | None = Field(None, description="督办责任人（业务人员的用户 id），默认本人")
    deadline: dt.date = Field(description="办理时限，不早于今天")
    expected_result: str = Field("", description="预期成效")


def task_fields(user: User, data: dict[str, Any]) -> dict[str, Any]:
    fields = convert(
        data,
        {
            "region": region,
            "line": business_line,
            "mechanism": lambda pk: visible_one(user, Mechanism, pk, "工作机制"),
            "assignee_unit": lambda pk: visible_one(user, Unit, pk, "承办单位"),
            "assignee_region": lambda code: region(code) if text.clean(code or "") else None,
            "owner": lambda pk: user if pk is None else staff_account(pk),
        },
    )
    fields["text_"] = fields.pop("text")
    return fields


def staff_account(pk: int) -> User:
    """The owner by id; the service checks they are staff within the actor's reach, and any
    other id is refused with its sentence."""
    found = User.objects.filter(pk=pk).select_related("region").first()
    if found is None:
        raise ValidationError(OWNER_NOT_STAFF)
    return found


class TaskTransitionIn(Schema):
    to_state: str = Field(description="新状态：" + labels(TaskState) + "（或其英文值）")
    note: str = Field("", description="说明；退回时必填原因")
    result: str = Field("", description="办理结果（办结时必填）")
    deadline: dt.date | None = Field(None, description="新的办理时限（仅重新交办时可调整）")


def task_transition_fields(data: dict[str, Any]) -> dict[str, Any]:
    return convert(data, {"to_state": lambda v: choice(TaskState, "督办状态", v)})


class TaskProgressIn(Schema):
    note: str = Field(description="办理进展")
