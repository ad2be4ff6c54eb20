"""Files attached to activities, outputs and the progress reports of 督办事项: checked by size,
extension and content before anything is stored, then kept through Django's storage API (local
disk by default, any storage backend in production)."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404

from tongxin.core import access
from tongxin.core.models import User
from tongxin.governance.models import TaskEvent, TaskEventKind

from .checks import check_owner_writable, check_writer
from .models import Activity, Attachment, Output

MAX_ATTACHMENT_MB = 20
MAX_ATTACHMENT_BYTES = MAX_ATTACHMENT_MB * 1024 * 1024
# Office documents, PDFs, images and archives of a department's work; never executables or pages.
ALLOWED = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".ppt": (b"\xd0\xcf\x11\xe0",),
    ".wps": (b"\xd0\xcf\x11\xe0",),
    ".ofd": (b"PK\x03\x04",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".zip": (b"PK\x03\x04",),
    ".txt": (),
}
FILE_MISSING = (
    "该附件的文件已不在文件存储中（可能恢复数据库时没有一并恢复上传的文件）。"
    "请联系系统管理员从备份中恢复该文件，或删除此附件后重新上传。"
)
TOO_LARGE = f"附件不能超过 {MAX_ATTACHMENT_MB} MB，请压缩或拆分后再上传。"
EMPTY = "附件是空文件，请选择有内容的文件。"
WRONG_TYPE = (
    "不支持这种文件类型。可以上传：PDF、Word、Excel、PowerPoint、WPS、OFD、JPG、PNG、ZIP、TXT。"
)
CONTENT_MISMATCH = "文件内容与扩展名“{ext}”不符，请确认文件未损坏、扩展名正确后再上传。"
NO_OWNER = "附件须属于一个活动、一项成果或一次督办进展报告。"
NOT_YOUR_REPORT = "只能给自己报告的督办进展上传附件。"
REPORT_FILE_KEPT = "督办进展的附件是办理记录的一部分，不能删除；如有错漏，请再报告一次进展说明。"


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def check_file(name: str, size: int, head: bytes) -> str:
    """The file's content type, or a ValidationError saying what is wrong with it."""
    if size <= 0:
        raise ValidationError({"file": EMPTY})
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": TOO_LARGE})
    ext = _extension(name)
    if ext not in ALLOWED:
        raise ValidationError({"file": WRONG_TYPE})
    signatures = ALLOWED[ext]
    if signatures and not any(head.startswith(sig) for sig in signatures):
        raise ValidationError({"file": CONTENT_MISMATCH.format(ext=ext)})
    if ext == ".txt" and b"\x00" in head:
        raise ValidationError({"file": CONTENT_MISMATCH.format(ext=ext)})
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    size: int
    content_type: str


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """An upload's tidy name, size and type, or a ValidationError; stores nothing, so that a
    writer of several files can check them all before storing the first."""
    name = (upload.name or "附件").replace("\\", "/").rsplit("/", 1)[-1][:200]
    size = upload.size or 0
    if size > MAX_ATTACHMENT_BYTES:  # refuse before reading a byte of a huge upload
        raise ValidationError({"file": TOO_LARGE})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return CheckedUpload(name, size, check_file(name, size, head))


def _check_report_writable(actor: User, task_event: TaskEvent) -> None:
    """A progress report's files are its author's: the handler who reported it."""
    access.require_write(actor)
    if task_event.kind != TaskEventKind.PROGRESS or task_event.actor_id != actor.pk:
        raise PermissionDenied(NOT_YOUR_REPORT)


@transaction.atomic
def attachment_add(
    *,
    actor: User,
    upload: UploadedFile,
    activity: Activity | None = None,
    output: Output | None = None,
    task_event: TaskEvent | None = None,
) -> Attachment:
    if sum(o is not None for o in (activity, output, task_event)) != 1:
        raise ValidationError(NO_OWNER)
    if task_event is not None:
        _check_report_writable(actor, task_event)
    else:
        check_writer(actor)
        check_owner_writable(actor, activity or output)  # type: ignore[arg-type]
    checked = check_upload(upload)
    name = checked.name
    attachment = Attachment(
        activity=activity,
        output=output,
        task_event=task_event,
        original_name=name,
        size=checked.size,
        content_type=checked.content_type,
        uploaded_by=actor,
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.full_clean()
        attachment.save()
    except BaseException:
        attachment.file.delete(save=False)  # a failed write leaves no orphan file behind
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, actor: User, attachment: Attachment) -> None:
    if attachment.task_event_id is not None:
        # What a unit reported, with its evidence, stays on the task's timeline.
        access.require_write(actor)
        raise PermissionDenied(REPORT_FILE_KEPT)
    check_owner_writable(actor, attachment.activity or attachment.output)  # type: ignore[arg-type]
    storage, name = attachment.file.storage, attachment.file.name or ""
    attachment.delete()
    # The file goes only once the row is gone for good: a rolled-back delete keeps both.
    transaction.on_commit(lambda: storage.delete(name) if name else None)


def open_stored(attachment: Attachment) -> IO[bytes]:
    """The attachment's stored file for download; a file gone from storage is Http404 with
    FILE_MISSING, not a server error."""
    try:
        return attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(FILE_MISSING) from None
