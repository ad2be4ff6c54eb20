"""Writes of 述职: a member unit's liaison submits the year's report; the department's staff who
keep the mechanism score it (0–100). A scored report is final."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tongxin.core import access, text, versioning
from tongxin.core.models import User

from .checks import check_keeper, is_liaison_of
from .models import DutyReport, DutyReportState, MemberUnit

NOT_MEMBER_LIAISON = "只有该成员单位的联络员可以提交述职报告。"
TEXT_REQUIRED = "请填写述职内容。"
ALREADY_SCORED = "该述职报告已评分，不能再修改。如需更正，请联系负责本机制的业务人员。"
NOT_SUBMITTED = "只有已提交的述职报告可以评分；该报告当前为“{state}”。"
SCORE_RANGE = "评分须是0到100之间的数，最多两位小数。"
YEAR_IN_FUTURE = "述职年度不能晚于今年。"


@transaction.atomic
def duty_report_submit(
    *,
    actor: User,
    member: MemberUnit,
    year: int,
    text_: str,
    expected_version: int | None = None,
) -> DutyReport:
    """The liaison submits (or, before scoring, resubmits) their unit's report for the year.
    ``expected_version`` is the version of the report the liaison saw, 0 when they saw none:
    then a report another liaison submitted meanwhile is a conflict, not overwritten."""
    access.require_write(actor)
    if not is_liaison_of(actor, member.unit):
        raise PermissionDenied(NOT_MEMBER_LIAISON)
    if year > timezone.localdate().year:
        raise ValidationError({"year": YEAR_IN_FUTURE})
    if not text.prose(text_):
        raise ValidationError({"text": TEXT_REQUIRED})
    report = (
        DutyReport.objects.select_for_update()
        .filter(member=member, year=year)
        .order_by("pk")
        .first()
    )
    if report is None:
        report = DutyReport(member=member, year=year)
    elif report.state == DutyReportState.SCORED:
        raise ValidationError(ALREADY_SCORED)
    elif expected_version == 0:
        raise versioning.conflict(report)
    else:
        versioning.claim(report, expected_version)
    report.text = text.prose(text_)
    report.state = DutyReportState.SUBMITTED
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    report.full_clean()
    report.save()
    return report


def _score(value: Decimal | str | int) -> Decimal:
    try:
        score = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({"score": SCORE_RANGE}) from None
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise ValidationError({"score": SCORE_RANGE})
    if score != score.quantize(Decimal("0.01")):
        raise ValidationError({"score": SCORE_RANGE})
    return score


@transaction.atomic
def duty_report_score(
    *,
    actor: User,
    report: DutyReport,
    score: Decimal | str | int,
    review: str = "",
    expected_version: int | None = None,
) -> DutyReport:
    """``expected_version`` is the version of the report the scorer read: a report resubmitted
    since is a conflict, so no one scores a text they have not seen."""
    locked = DutyReport.objects.select_for_update().get(pk=report.pk)
    check_keeper(actor, locked.member.mechanism)
    if locked.state != DutyReportState.SUBMITTED:
        raise ValidationError(NOT_SUBMITTED.format(state=locked.get_state_display()))
    versioning.claim(locked, expected_version)
    locked.score = _score(score)
    locked.review = text.prose(review)
    locked.state = DutyReportState.SCORED
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["score", "review", "state", "reviewed_by", "reviewed_at"])
    return locked
