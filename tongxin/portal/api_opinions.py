"""Portal API: the person's opinions and appeals: list, send (multipart, with up to three files),
read one with its answer or its case's progress, rate the answer once, download one's own files.
Another person's submission is 404 like a missing one."""

# No ``from __future__ import annotations``: ninja evaluates the handlers' annotations.

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from tongxin.api.errors import ErrorOut
from tongxin.core.models import BusinessLine
from tongxin.work.attachments import FILE_MISSING, open_stored

from . import rates
from . import selectors_opinions as selectors
from . import services_opinions as services
from .api_auth import account_of
from .models_requests import Submission

router = Router(tags=["门户：反映"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
SEND_HELP = (
    "multipart/form-data：kind（suggestion 意见建议 / difficulty 困难诉求 / thought 思想动态）、"
    "title、text、line（可选，业务条线代码）、files（可选，可重复，"
    f"最多 {services.MAX_FILES} 个，每个不超过 {services.MAX_FILE_MB} MB："
    "JPG、PNG、PDF、Word、Excel、PowerPoint、WPS）。每个账号每小时提交次数有限制，超过返回 429。"
)


class PortalAttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str


class PortalOpinionOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    line: str | None
    submitted_at: dt.datetime
    status: str
    status_label: str
    case_status: str | None
    answer: str
    answered_at: dt.datetime | None
    rating: int | None
    rating_comment: str
    can_rate: bool


class PortalOpinionDetailOut(PortalOpinionOut):
    text: str
    attachments: list[PortalAttachmentOut]


class PortalRatingIn(Schema):
    rating: int
    comment: str = ""


def _out(submission: Submission) -> dict[str, object]:
    state = selectors.progress(submission)
    return {
        "id": submission.pk,
        "kind": submission.kind,
        "kind_label": submission.get_kind_display(),
        "title": submission.title,
        "line": submission.line.code if submission.line else None,
        "submitted_at": submission.submitted_at,
        "status": submission.status,
        "status_label": state.label,
        "case_status": state.case_status or None,
        "answer": state.answer,
        "answered_at": state.answered_at,
        "rating": submission.rating,
        "rating_comment": submission.rating_comment,
        "can_rate": state.can_rate,
    }


def _detail_out(submission: Submission) -> dict[str, object]:
    return {
        **_out(submission),
        "text": submission.text,
        "attachments": [
            {"id": a.pk, "name": a.original_name, "size": a.size, "content_type": a.content_type}
            for a in submission.attachments.all()
        ],
    }


@router.get("/opinions", response={200: list[PortalOpinionOut], **ERRORS}, summary="我的反映")
def opinion_list(request: HttpRequest) -> list[dict[str, object]]:
    submissions = selectors.own_submissions(account_of(request)).select_related("line")
    return [_out(s) for s in submissions]


@router.post(
    "/opinions",
    response={201: PortalOpinionDetailOut, 429: ErrorOut, **ERRORS},
    summary="反映意见或困难",
    description=SEND_HELP,
)
def opinion_create(
    request: HttpRequest,
    kind: Form[str],
    title: Form[str],
    text: Form[str],
    line: Form[str] = "",
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[dict[str, object]]:
    account = account_of(request)
    rates.limit(request, group="opinion", setting="PORTAL_RATE_SUBMIT", account=account)
    chosen = None
    if line:
        chosen = BusinessLine.objects.filter(code=line).first()
        if chosen is None:
            raise ValidationError({"line": services.LINE_UNKNOWN})
    submission = services.submission_create(
        account=account,
        kind=kind,
        title=title,
        text_=text,
        line=chosen,
        uploads=files or [],
    )
    return Status(201, _detail_out(selectors.own_submission(account, submission.pk)))


@router.get(
    "/opinions/{submission_id}",
    response={200: PortalOpinionDetailOut, **ERRORS},
    summary="一条反映：内容、答复或办理进度",
)
def opinion_detail(request: HttpRequest, submission_id: int) -> dict[str, object]:
    return _detail_out(selectors.own_submission(account_of(request), submission_id))


@router.post(
    "/opinions/{submission_id}/rating",
    response={200: PortalOpinionOut, 429: ErrorOut, **ERRORS},
    summary="评价答复（1–5 分，每条反映只能评价一次）",
)
def opinion_rate(
    request: HttpRequest, submission_id: int, payload: PortalRatingIn
) -> dict[str, object]:
    account = account_of(request)
    submission = selectors.own_submission(account, submission_id)
    rates.limit(request, group="rating", setting="PORTAL_RATE_SUBMIT", account=account)
    services.submission_rate(
        account=account, submission=submission, rating=payload.rating, comment=payload.comment
    )
    return _out(selectors.own_submission(account, submission_id))


@router.get(
    "/opinions/{submission_id}/attachments/{file_id}",
    response=ERRORS,
    summary="下载本人反映的附件",
    openapi_extra={"responses": {200: {"description": "文件内容", "content": {"*/*": {}}}}},
)
def opinion_attachment(request: HttpRequest, submission_id: int, file_id: int) -> FileResponse:
    attachment = selectors.own_attachment(account_of(request), file_id)
    if attachment.submission_id != submission_id:
        raise Http404
    try:
        stored = open_stored(attachment)  # type: ignore[arg-type]
    except Http404:
        raise HttpError(404, FILE_MISSING) from None
    return FileResponse(
        stored,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
