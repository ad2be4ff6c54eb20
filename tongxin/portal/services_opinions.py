"""Writes of opinions and appeals sent through the portal (所思所想所盼): a person sends one with
up to three files; staff of the person's region answer it or turn it into a case; the person rates
the answer (or the case's resolution) once.

Files are checked by size, extension and content before anything is stored (the content check is
tongxin.work.attachments', with the portal's tighter limits first), so a refused submission leaves
neither a row nor a file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from tongxin.core import access, text
from tongxin.core.models import BusinessLine, Role, User
from tongxin.core.versioning import claim
from tongxin.work import attachments
from tongxin.work import services as work
from tongxin.work.checks import check_owner_writable
from tongxin.work.models import Case, CaseEvent, CaseEventKind, CaseSource, CaseStatus

from .messaging import text_person
from .models import PortalAccount
from .models_requests import (
    RATINGS,
    Submission,
    SubmissionAttachment,
    SubmissionKind,
    SubmissionStatus,
)

STAFF = access.STAFF_ROLES
MAX_FILES = 3
MAX_FILE_MB = 10
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
# Photos and office documents a person has on a phone; no archives, no text files, no executables.
ALLOWED_EXTENSIONS = (
    ".jpg", ".jpeg", ".png", ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps",
)  # fmt: skip
ACCEPT = ",".join(ALLOWED_EXTENSIONS)  # the file input's accept attribute
RESOLVED_STATUSES = (CaseStatus.RESOLVED, CaseStatus.FOLLOWED_UP)

TOO_MANY_FILES = f"最多上传 {MAX_FILES} 个附件，请删去多余的文件后再提交。"
FILE_TOO_LARGE = "“{name}”超过 {mb} MB，请压缩或拍照时降低清晰度后再上传。"
FILE_WRONG_TYPE = (
    "“{name}”的类型不支持。可以上传照片（JPG、PNG）、PDF、Word、Excel、PowerPoint、WPS 文件。"
)
FILE_REFUSED = "“{name}”：{reason}"
TITLE_REQUIRED = "请填写标题，用一句话说明您反映的事。"
TEXT_REQUIRED = "请填写具体内容。"
LINE_UNKNOWN = "所选的业务条线不存在，请重新选择。"
ALREADY_HANDLED = "这条反映已处理（已答复或已转为诉求），无需再次处理。"
ANSWER_REQUIRED = "请填写答复内容，反映人会在个人门户看到它。"
NOT_RATEABLE = "工作人员答复或诉求办结后才能评价。"
ALREADY_RATED = "您已评价过这条反映，每条反映只能评价一次。"
RATING_INVALID = "请选择 1 到 5 分的评价。"
SMS_ANSWERED = "您在个人门户反映的“{title}”已有答复，请登录个人门户查看并评价。"
SMS_RESOLVED = "您在个人门户反映的“{title}”已办结，请登录个人门户查看办理结果并评价。"


# --- files ----------------------------------------------------------------------------------------


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def check_portal_upload(upload: UploadedFile) -> attachments.CheckedUpload:
    """The portal's limits (size, a narrower set of types) first, then the content check the
    work attachments use (signature bytes against the extension, empty files)."""
    name = (upload.name or "附件").replace("\\", "/").rsplit("/", 1)[-1]
    if (upload.size or 0) > MAX_FILE_BYTES:  # refused before a byte of it is read
        raise ValidationError({"uploads": FILE_TOO_LARGE.format(name=name, mb=MAX_FILE_MB)})
    if _extension(name) not in ALLOWED_EXTENSIONS:
        raise ValidationError({"uploads": FILE_WRONG_TYPE.format(name=name)})
    try:
        return attachments.check_upload(upload)
    except ValidationError as exc:
        reason = "".join(exc.messages)
        raise ValidationError({"uploads": FILE_REFUSED.format(name=name, reason=reason)}) from None


def check_portal_uploads(uploads: Sequence[UploadedFile]) -> list[attachments.CheckedUpload]:
    if len(uploads) > MAX_FILES:
        raise ValidationError({"uploads": TOO_MANY_FILES})
    return [check_portal_upload(upload) for upload in uploads]


def _store(
    submission: Submission,
    uploads: Sequence[UploadedFile],
    checked: Sequence[attachments.CheckedUpload],
) -> None:
    """Store the checked files; if any write fails, the files already written go too (the
    transaction takes the rows back, but not the storage)."""
    stored: list[SubmissionAttachment] = []
    try:
        for upload, info in zip(uploads, checked, strict=True):
            attachment = SubmissionAttachment(
                submission=submission,
                original_name=info.name,
                size=info.size,
                content_type=info.content_type,
            )
            attachment.file.save(info.name, upload, save=False)
            stored.append(attachment)
            attachment.full_clean()
            attachment.save()
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise


# --- the person -----------------------------------------------------------------------------------


@transaction.atomic
def submission_create(
    *,
    account: PortalAccount,
    kind: str,
    title: str,
    text_: str,
    line: BusinessLine | None = None,
    uploads: Sequence[UploadedFile] = (),
) -> Submission:
    """An opinion or a difficulty of ``account``'s person, for the staff of the person's region
    (and of ``line``, when the person names one)."""
    checked = check_portal_uploads(uploads)  # every file, before anything is written
    title, body = text.line(title), text.prose(text_)
    if not title:
        raise ValidationError({"title": TITLE_REQUIRED})
    if not body:
        raise ValidationError({"text": TEXT_REQUIRED})
    person = account.person
    submission = Submission(
        person=person,
        kind=kind,
        title=title,
        text=body,
        region_id=person.region_id,
        line=line,
    )
    submission.full_clean()
    submission.save()
    _store(submission, uploads, checked)
    return submission


def can_rate(submission: Submission) -> bool:
    """Answered, or its case resolved, and not rated yet."""
    if submission.rating is not None:
        return False
    return is_answered(submission)


def is_answered(submission: Submission) -> bool:
    if submission.status == SubmissionStatus.ANSWERED:
        return True
    case = submission.case
    return (
        submission.status == SubmissionStatus.CASE
        and case is not None
        and case.status in RESOLVED_STATUSES
    )


@transaction.atomic
def submission_rate(
    *, account: PortalAccount, submission: Submission, rating: int, comment: str = ""
) -> Submission:
    # The case is read after the lock: PostgreSQL cannot lock the nullable side of a join.
    locked = Submission.objects.select_for_update().get(
        pk=submission.pk, person_id=account.person_id
    )
    if locked.rating is not None:
        raise ValidationError(ALREADY_RATED)
    if not is_answered(locked):
        raise ValidationError(NOT_RATEABLE)
    if rating not in RATINGS.values:
        raise ValidationError({"rating": RATING_INVALID})
    claim(locked)
    locked.rating = rating
    locked.rating_comment = text.line(comment)[:500]
    locked.rated_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["rating", "rating_comment", "rated_at"])
    return locked


# --- staff ----------------------------------------------------------------------------------------


def _lock_for_staff(actor: User, submission: Submission) -> Submission:
    access.require_write(actor, *STAFF)
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    # Answering is keeping the region's (and line's) records: seeing is not enough.
    check_owner_writable(actor, locked)
    if locked.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(ALREADY_HANDLED)
    return locked


@transaction.atomic
def submission_answer(*, actor: User, submission: Submission, answer: str) -> Submission:
    """A direct answer by staff: the person sees it and may rate it."""
    locked = _lock_for_staff(actor, submission)
    answer = text.prose(answer)
    if not answer:
        raise ValidationError({"answer": ANSWER_REQUIRED})
    claim(locked)
    locked.answer = answer
    locked.answered_by = actor
    locked.answered_at = timezone.now()
    locked.status = SubmissionStatus.ANSWERED
    locked.full_clean()
    locked.save(update_fields=["answer", "answered_by", "answered_at", "status"])
    text_person(locked.person, SMS_ANSWERED.format(title=locked.title))
    return locked


@transaction.atomic
def submission_to_case(
    *,
    actor: User,
    submission: Submission,
    title: str = "",
    line: BusinessLine | None = None,
) -> Case:
    """转为诉求: a case with source 网上反映 and the person as its requester, linked both ways;
    the person then follows the case's status and sees its resolution as the answer. City staff
    file it under the submission's line, or their own when they have only one."""
    locked = _lock_for_staff(actor, submission)
    line = line or locked.line
    if line is None and actor.role == Role.CITY_STAFF:
        lines = list(actor.lines.all()[:2])
        line = lines[0] if len(lines) == 1 else None
    case = work.case_create(
        actor=actor,
        title=text.line(title) or locked.title,
        text_=locked.text,
        source=CaseSource.PORTAL,
        region=locked.region,
        requester_person=locked.person,
        category=SubmissionKind(locked.kind).label,
        line=line,
    )
    claim(locked)
    locked.case = case
    locked.status = SubmissionStatus.CASE
    locked.full_clean()
    locked.save(update_fields=["case", "status"])
    return case


# Work services know nothing of the portal: the portal listens for a case being resolved (the
# CaseEvent written in case_transition's transaction) and texts the person once it commits.
@receiver(post_save, sender=CaseEvent, dispatch_uid="portal-opinion-case-resolved")
def _case_resolved(sender: Any, instance: CaseEvent, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw") or not created:
        return
    if instance.kind != CaseEventKind.TRANSITION or instance.to_status != CaseStatus.RESOLVED:
        return
    submission = Submission.objects.filter(case_id=instance.case_id).first()
    if submission is not None:
        text_person(submission.person, SMS_RESOLVED.format(title=submission.title))
