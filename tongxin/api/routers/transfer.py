"""/imports: upload a file of one kind of import (preview), read a job's report, commit it.

Handlers only translate: the multipart upload and a region code in, the importer's services
(registry.importing) called, the job out. Jobs are fetched through access.get_for_user (the
uploader's own, of the kinds they may import, or any for admins); a file that cannot be imported
at all is 422 with the reason. The report and commit endpoints serve every kind
(registry.import_kinds); each kind's upload is one route calling ``_upload`` with its key.
"""

# No ``from __future__ import annotations``: ninja reads the handlers' annotations at import.

import json
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from tongxin.core import access
from tongxin.core.models import Region, User
from tongxin.registry import import_kinds, importing
from tongxin.registry.models import ImportJob

from ..errors import ErrorOut

router = Router(tags=["导入"])
ERRORS: dict[int, type[Schema]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


class IssueOut(Schema):
    row: int
    column: str
    message: str


class DuplicateOut(IssueOut):
    """The existing record: a person (persons, trainees) or an activity (activities); the key
    that does not apply is left out."""

    person_id: int | None = None
    activity_id: int | None = None


class ImportOut(Schema):
    id: int
    status: str
    rows_total: int
    rows_ok: int
    rows_error: int
    errors: list[IssueOut]
    warnings: list[IssueOut]
    duplicates: list[DuplicateOut]


class CommitIn(Schema):
    on_duplicate: Literal["skip", "update"] = "skip"


class CommitOut(Schema):
    created: int
    updated: int
    skipped: int


def _user(request: HttpRequest) -> User:
    """The caller, if they may import some kind; which jobs they see is access.scope's answer."""
    user: User = request.auth  # type: ignore[attr-defined]
    if not import_kinds.kinds_for(user):
        raise PermissionDenied(access.ROLE_FORBIDDEN)
    return user


def _upload(
    request: HttpRequest,
    kind: str,
    file: UploadedFile,
    region: str = "",
    options: dict[str, Any] | None = None,
) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    importer = import_kinds.get(kind)
    importer.require(user)  # read-only roles: 403 with the read-only sentence
    code = region.strip() if importer.asks_region else ""
    default = access.get_for_user(user, Region, code=code) if code else None
    job = importing.start(
        actor=user, upload=file, kind=importer.key, region=default, options=options
    )
    return Status(201, _out(job))


def _out(job: ImportJob) -> dict[str, Any]:
    report = job.report or {}
    return {
        "id": job.pk,
        "status": job.status,
        "rows_total": job.rows_total,
        "rows_ok": job.rows_ok,
        "rows_error": job.rows_error,
        "errors": report.get("errors", []),
        "warnings": report.get("warnings", []),
        "duplicates": report.get("duplicates", []),
    }


@router.post(
    "/imports/persons",
    response={201: ImportOut, **ERRORS},
    exclude_none=True,
    summary="上传人员名册并预览（.xlsx、.xls、.csv）",
    description=importing.UPLOAD_LIMIT
    + "只检查、不写入名册；错误、提示和重复记录均按 Excel 行号（表头为第1行）列出。"
    + "region 为默认区域代码，名册中“所属区域”为空的行记入该区域。",
)
def import_persons(
    request: HttpRequest, file: File[UploadedFile], region: Form[str] = ""
) -> Status[dict[str, Any]]:
    return _upload(request, "persons", file, region)


@router.post(
    "/imports/activities",
    response={201: ImportOut, **ERRORS},
    exclude_none=True,
    summary="上传活动及参加人员名单并预览（.xlsx、.xls、.csv）",
    description=importing.UPLOAD_LIMIT
    + "每行一位参加人员（或一个参加单位），活动名称和日期相同的行为同一活动，"
    + "活动信息以该活动第一行为准。"
    + "只检查、不写入；错误、提示和重复活动均按 Excel 行号列出。"
    + "region 为默认区域代码，“所属区域”为空的活动记入该区域。",
)
def import_activities(
    request: HttpRequest, file: File[UploadedFile], region: Form[str] = ""
) -> Status[dict[str, Any]]:
    return _upload(request, "activities", file, region)


@router.post(
    "/trainings/{training_id}/trainees/import",
    response={201: ImportOut, **ERRORS},
    exclude_none=True,
    summary="上传培训班学员名单并预览（.xlsx、.xls、.csv）",
    description=importing.UPLOAD_LIMIT
    + "学员须已在名册中登记，按姓名（同名时加工作单位）或公民身份号码查找；已是本班学员的跳过。"
    + "只检查、不写入；确认导入用 POST /imports/{id}/commit。",
)
def import_trainees(
    request: HttpRequest, training_id: int, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    return _upload(request, "trainees", file, options={"training": training_id})


@router.get(
    "/imports/{job_id}",
    response={200: ImportOut, **ERRORS},
    exclude_none=True,
    summary="导入任务的预览报告",
)
def import_detail(request: HttpRequest, job_id: int) -> dict[str, Any]:
    job = access.get_for_user(_user(request), ImportJob, pk=job_id)
    return _out(job)


COMMIT_BODY = {
    "requestBody": {
        "required": False,
        "content": {"application/json": {"schema": CommitIn.model_json_schema()}},
    }
}
BODY_INVALID = '请求体应为 JSON，例如 {"on_duplicate": "skip"}（skip 跳过或 update 更新已有记录）。'


def _on_duplicate(request: HttpRequest) -> str:
    """The body is optional (skip by default), so it is read here rather than by ninja, which
    refuses an empty or form-encoded body outright."""
    if not request.body.strip():
        return "skip"
    if request.content_type != "application/json":
        return request.POST.get("on_duplicate", "skip")
    try:
        data = json.loads(request.body)
    except ValueError:
        raise ValidationError(BODY_INVALID) from None
    if not isinstance(data, dict):
        raise ValidationError(BODY_INVALID)
    return str(data.get("on_duplicate") or "skip")


@router.post(
    "/imports/{job_id}/commit",
    response={200: CommitOut, **ERRORS},
    summary="确认导入：所有无误的行一次写入，出错则全部不写入",
    description="请求体可省略。on_duplicate：遇到已有记录时 skip（跳过，默认）"
    "或 update（用名册中填写的内容更新，空白单元格不改动）。",
    openapi_extra=COMMIT_BODY,
)
def import_commit(request: HttpRequest, job_id: int) -> dict[str, int]:
    user = _user(request)
    job = access.get_for_user(user, ImportJob, pk=job_id)
    try:
        return importing.commit(actor=user, job=job, on_duplicate=_on_duplicate(request))
    except importing.AlreadyCommitted as exc:
        raise HttpError(409, importing.ALREADY_COMMITTED) from exc
