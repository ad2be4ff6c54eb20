"""Files of activities and outputs: upload (multipart ``file``), download, delete.

The owner is fetched through access.get_for_user before anything is read from the upload; type,
size and content are checked by tongxin.work.attachments before anything is stored."""

# No ``from __future__ import annotations``: ninja evaluates the handlers' annotations.

from django.http import FileResponse, Http404, HttpRequest
from ninja import File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from tongxin.core import access
from tongxin.work import attachments as services
from tongxin.work.attachments import MAX_ATTACHMENT_MB
from tongxin.work.checks import check_writer
from tongxin.work.models import Activity, Attachment, Output

from ..errors import ErrorOut
from ..schemas_work import AttachmentOut, saving, user_of

router = Router(tags=["附件"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
UPLOAD_HELP = (
    f"multipart/form-data 上传，字段名 file，不超过 {MAX_ATTACHMENT_MB} MB；"
    "可上传 PDF、Word、Excel、PowerPoint、WPS、OFD、JPG、PNG、ZIP、TXT。"
)
DOWNLOAD = {
    "responses": {
        # The attachment's own type: application/pdf, image/png, …
        200: {"description": "文件内容", "content": {"*/*": {}}},
    }
}


@router.post(
    "/activities/{activity_id}/attachments",
    response={201: AttachmentOut, **ERRORS},
    summary="上传活动附件",
    description=UPLOAD_HELP,
)
def activity_attachment_add(
    request: HttpRequest, activity_id: int, file: File[UploadedFile]
) -> Status[Attachment]:
    user = user_of(request)
    activity = access.get_for_user(user, Activity, pk=activity_id)
    check_writer(user)
    with saving(Attachment):
        attachment = services.attachment_add(actor=user, upload=file, activity=activity)
    return Status(201, attachment)


@router.post(
    "/outputs/{output_id}/attachments",
    response={201: AttachmentOut, **ERRORS},
    summary="上传成果附件",
    description=UPLOAD_HELP,
)
def output_attachment_add(
    request: HttpRequest, output_id: int, file: File[UploadedFile]
) -> Status[Attachment]:
    user = user_of(request)
    output = access.get_for_user(user, Output, pk=output_id)
    check_writer(user)
    with saving(Attachment):
        attachment = services.attachment_add(actor=user, upload=file, output=output)
    return Status(201, attachment)


@router.get(
    "/attachments/{attachment_id}",
    response=ERRORS,
    summary="下载附件",
    openapi_extra=DOWNLOAD,
)
def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    attachment = access.get_for_user(user_of(request), Attachment, pk=attachment_id)
    try:
        stored = services.open_stored(attachment)
    except Http404:
        raise HttpError(404, services.FILE_MISSING) from None
    return FileResponse(
        stored,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@router.delete("/attachments/{attachment_id}", response={204: None, **ERRORS}, summary="删除附件")
def attachment_delete(request: HttpRequest, attachment_id: int) -> Status[None]:
    user = user_of(request)
    attachment = access.get_for_user(user, Attachment, pk=attachment_id)
    services.attachment_delete(actor=user, attachment=attachment)
    return Status(204, None)
