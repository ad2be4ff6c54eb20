"""/tasks: 督办事项 with their state machine and timeline, the overdue and due-soon lists, and the
assignee's progress reports (with files).

A task moves only through services_tasks.task_transition: a move the state machine does not allow
answers 409 with the service's sentence (what the task is, what it may become) and changes nothing,
as for cases. The assignee (the assigned unit's liaison, the assigned region's staff) takes,
finishes, returns and reports; the department that set the task issues it again.
"""

# No ``from __future__ import annotations``: ninja evaluates the handlers' annotations.

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from tongxin.core import access
from tongxin.core.models import Unit, User
from tongxin.governance import selectors_tasks as selectors
from tongxin.governance import services_tasks as services
from tongxin.governance.models import Mechanism, Task, TaskEvent, TaskState
from tongxin.work.attachments import MAX_ATTACHMENT_MB
from tongxin.work.checks import check_region_line, check_writer
from tongxin.work.models import DUE_SOON_DAYS

from ..errors import ErrorOut
from ..pagination import Paged
from ..schemas_tasks import (
    TaskDetailOut,
    TaskIn,
    TaskOut,
    TaskProgressIn,
    TaskTransitionIn,
    task_fields,
    task_transition_fields,
)
from ..schemas_work import filter_choice, filter_region, saving, user_of

router = Router(tags=["督办事项"])
ERRORS: dict[int, type[Schema]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}
DUE_INVALID = "参数 due：可选 overdue（已逾期）或 soon（即将到期），不填为全部。"
PROGRESS_BODY_INVALID = (
    '请求体应为 JSON，例如 {"note": "已完成走访12人"}；'
    "附文件时请以 multipart/form-data 提交，字段 note 和 files（可多个）。"
)
PROGRESS_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": TaskProgressIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "note": {"type": "string", "description": "办理进展"},
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": f"附件，可多个，每个不超过 {MAX_ATTACHMENT_MB} MB",
                        },
                    },
                    "required": ["note"],
                }
            },
        },
    }
}


def _conflict(message: str) -> Status[dict[str, str]]:
    return Status(409, {"detail": message, "code": "illegal_transition"})


def mechanism_prefetch(user: User) -> Prefetch:
    """The task's mechanism, only where the user may see it (a liaison: their unit's)."""
    return Prefetch(
        "mechanism",
        queryset=access.scope(user, Mechanism.objects.only("id", "name")),
        to_attr="visible_mechanism",
    )


def _task(user: User, task_id: int) -> Task:
    task = selectors.task_detail(user, task_id)
    prefetch_related_objects([task], mechanism_prefetch(user))
    task.visible_events = list(selectors.task_timeline(user, task))  # type: ignore[attr-defined]
    return task


class TaskQuery(Schema):
    state: str = Field("", description="状态：待办、办理中、已办结、已退回（或其英文值）")
    due: str = Field(
        "", description=f"overdue 已逾期；soon 即将到期（{DUE_SOON_DAYS}天内）；不填为全部"
    )
    assignee_unit: int | None = Field(None, description="承办单位 id")
    assignee_region: str = Field(
        "", description="承办区县的行政区划代码：交给该区县及其单位的督办事项"
    )
    mechanism: int | None = Field(None, description="所属工作机制 id")


@router.get(
    "/tasks",
    response={200: list[TaskOut], **ERRORS},
    summary="督办事项列表（含逾期、即将到期）",
    description="在办的在前，按办理时限先后。联络员只见交给本单位的督办事项。",
)
@paginate(Paged)
def task_list(request: HttpRequest, filters: Query[TaskQuery]) -> QuerySet[Task]:
    user = user_of(request)
    due = filters.due.strip()
    if due and due not in selectors.DUE_FILTERS:
        raise ValidationError(DUE_INVALID)
    unit = mechanism = None
    if filters.assignee_unit is not None:
        unit = access.get_for_user(user, Unit, pk=filters.assignee_unit)
    if filters.mechanism is not None:
        mechanism = access.get_for_user(user, Mechanism, pk=filters.mechanism)
    qs = selectors.task_list(
        user,
        selectors.TaskFilter(
            state=filter_choice(TaskState, "督办状态", "state", filters.state),
            due=due,
            unit=unit,
            region=filter_region(user, filters.assignee_region),
            mechanism=mechanism,
        ),
    )
    return qs.select_related("line", "created_by").prefetch_related(mechanism_prefetch(user))


@router.post(
    "/tasks", response={201: TaskDetailOut, **ERRORS}, summary="交办督办事项", by_alias=True
)
def task_create(request: HttpRequest, payload: TaskIn) -> Status[Task]:
    user = user_of(request)
    check_writer(user)
    with saving(Task):
        fields = task_fields(user, payload.model_dump())
        check_region_line(user, fields["region"], fields.get("line"))
        task = services.task_create(actor=user, **fields)
    return Status(201, _task(user, task.pk))


@router.get(
    "/tasks/{task_id}",
    response={200: TaskDetailOut, **ERRORS},
    summary="督办事项详情及督办记录",
    by_alias=True,
)
def task_detail(request: HttpRequest, task_id: int) -> Task:
    return _task(user_of(request), task_id)


@router.post(
    "/tasks/{task_id}/transition",
    response={200: TaskDetailOut, **ERRORS},
    summary="变更督办事项状态（开始办理、办结、退回、重新交办）",
    description="to_state 可填中文状态或英文值。办结须填 result；退回须在 note 中写明原因。"
    "当前状态不允许的变更返回 409，督办事项不作任何改动。",
    by_alias=True,
)
def task_transition(request: HttpRequest, task_id: int, payload: TaskTransitionIn) -> Any:
    user = user_of(request)
    task = access.get_for_user(user, Task, pk=task_id)
    access.require_write(user)
    try:
        with saving(Task, TaskEvent):
            fields = task_transition_fields(payload.model_dump())
            services.task_transition(task=task, actor=user, **fields)
    except services.IllegalTaskTransition as exc:
        return _conflict(str(exc))
    return _task(user, task.pk)


def _progress_input(request: HttpRequest) -> tuple[str, list[UploadedFile]]:
    """The note, and the files of a multipart report. Read here rather than by ninja, which
    takes either JSON or a form for one operation, not both."""
    if request.content_type == "multipart/form-data":
        files = request.FILES.getlist("files") + request.FILES.getlist("file")
        return str(request.POST.get("note", "")), files
    if request.content_type != "application/json":
        raise ValidationError(PROGRESS_BODY_INVALID)
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise ValidationError(PROGRESS_BODY_INVALID) from None
    if not isinstance(data, dict) or not isinstance(data.get("note", ""), str):
        raise ValidationError(PROGRESS_BODY_INVALID)
    return str(data.get("note") or ""), []


@router.post(
    "/tasks/{task_id}/progress",
    response={201: TaskDetailOut, **ERRORS},
    summary="报告办理进展（可附文件）",
    description='承办单位的联络员或承办区县的业务人员报告。JSON：{"note": "…"}；'
    "附文件时用 multipart/form-data，字段 note 和 files（可多个，一次最多"
    f"{services.MAX_REPORT_FILES}个）。",
    openapi_extra=PROGRESS_BODY,
    by_alias=True,
)
def task_progress(request: HttpRequest, task_id: int) -> Status[Task]:
    user = user_of(request)
    task = access.get_for_user(user, Task, pk=task_id)
    access.require_write(user)
    note, files = _progress_input(request)
    with saving(Task, TaskEvent):
        services.task_progress(task=task, actor=user, note=note, files=files)
    return Status(201, _task(user, task.pk))
