"""Reads of opinions sent through the portal: a person's own (by their account, nothing else), and
staff's inbox (through access.scope). What the person sees of a submission's progress crosses to
its case, so it is worked out here, once, for the pages and the API alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404

from tongxin.core import access
from tongxin.core.models import User
from tongxin.work.models import CaseStatus

from .models import PortalAccount
from .models_requests import Submission, SubmissionAttachment, SubmissionStatus
from .services_opinions import RESOLVED_STATUSES, can_rate

NOT_FOUND = "未找到这条反映，请返回“我的反映”查看。"


# --- the person's own -----------------------------------------------------------------------------


def own_submissions(account: PortalAccount) -> QuerySet[Submission]:
    return Submission.objects.filter(person_id=account.person_id).select_related("case")


def own_submission(account: PortalAccount, submission_id: int) -> Submission:
    """The account's own submission; another person's is 404 like a missing one."""
    found = (
        own_submissions(account)
        .select_related("line", "answered_by")
        .filter(pk=submission_id)
        .first()
    )
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def own_attachment(account: PortalAccount, attachment_id: int) -> SubmissionAttachment:
    found = SubmissionAttachment.objects.filter(
        pk=attachment_id, submission__person_id=account.person_id
    ).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


@dataclass(frozen=True)
class Step:
    label: str
    done: bool
    current: bool


@dataclass(frozen=True)
class Progress:
    """Where a submission stands, as the person reads it."""

    label: str
    look: str  # portal-status class: ok, wait
    case_status: str  # 受理/交办/办理中/办结/回访, when it became a case
    answer: str  # staff's answer, or the case's resolution once resolved
    answered_at: dt.datetime | None
    can_rate: bool
    steps: tuple[Step, ...] = ()  # the case's way, 受理 → 回访, when it became a case


def _steps(status: str) -> tuple[Step, ...]:
    order = list(CaseStatus.values)
    reached = order.index(status)
    return tuple(
        Step(label, i <= reached, i == reached) for i, (_, label) in enumerate(CaseStatus.choices)
    )


def progress(submission: Submission) -> Progress:
    case = submission.case
    if submission.status == SubmissionStatus.ANSWERED:
        return Progress(
            "已答复", "ok", "", submission.answer, submission.answered_at, can_rate(submission)
        )
    if submission.status == SubmissionStatus.CASE and case is not None:
        resolved = case.status in RESOLVED_STATUSES
        return Progress(
            f"已转为诉求 · {case.get_status_display()}",
            "ok" if resolved else "wait",
            case.get_status_display(),
            case.resolution if resolved else "",
            case.resolved_at if resolved else None,
            can_rate(submission),
            _steps(case.status),
        )
    return Progress("待处理", "wait", "", "", None, False)


# --- staff's inbox --------------------------------------------------------------------------------


def inbox(user: User, *, status: str = "", kind: str = "") -> QuerySet[Submission]:
    """Submissions of people in the user's scope, newest first."""
    qs = access.scope(user, Submission.objects.all())
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return (
        qs.select_related("person", "region", "line", "case")
        .annotate(attachment_count=Count("attachments"))
        .order_by("-submitted_at", "-id")
    )


def waiting_count(user: User) -> int:
    """Submissions in the user's scope no one has answered or turned into a case yet."""
    if not access.has_role(user, *access.REGISTRY_ROLES):
        return 0
    qs = access.scope(user, Submission.objects.filter(status=SubmissionStatus.SUBMITTED))
    return qs.count()


def inbox_detail(user: User, submission_id: int) -> Submission:
    qs = Submission.objects.select_related("person", "region", "line", "case", "answered_by")
    return access.get_for_user(user, qs, pk=submission_id)


def staff_attachment(user: User, attachment_id: int) -> SubmissionAttachment:
    return access.get_for_user(user, SubmissionAttachment, pk=attachment_id)
