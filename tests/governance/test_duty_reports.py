"""述职: the liaison submits their unit's yearly report; the department scores it, 0–100."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tongxin.governance import services_duty as duty
from tongxin.governance.models import DutyReportState
from tongxin.work.checks import NOT_YOURS

from ..conftest import Cast
from .records import joint_meeting

D = DutyReportState


def test_the_liaison_submits_and_the_department_scores(cast: Cast) -> None:
    joint = joint_meeting(cast)
    report = duty.duty_report_submit(
        actor=cast.liaison, member=joint.cac, year=2023, text_="全年联系网络人士86人次。"
    )
    assert (report.state, report.submitted_by, report.mechanism) == (
        D.SUBMITTED,
        cast.liaison,
        joint.mechanism,
    )
    again = duty.duty_report_submit(
        actor=cast.liaison, member=joint.cac, year=2023, text_="全年联系网络人士88人次。"
    )
    assert again.pk == report.pk and again.text == "全年联系网络人士88人次。"
    scored = duty.duty_report_score(
        actor=cast.city_staff, report=report, score="88.5", review="履职到位。"
    )
    assert (scored.state, scored.score, scored.reviewed_by) == (
        D.SCORED,
        Decimal("88.50"),
        cast.city_staff,
    )
    with pytest.raises(ValidationError, match=duty.ALREADY_SCORED):
        duty.duty_report_submit(actor=cast.liaison, member=joint.cac, year=2023, text_="改。")
    with pytest.raises(ValidationError, match="只有已提交的述职报告可以评分"):
        duty.duty_report_score(actor=cast.city_staff, report=report, score=90)


@pytest.mark.parametrize("score", ["-1", "100.01", "abc", "88.555", "NaN"])
def test_a_score_is_between_0_and_100(cast: Cast, score: str) -> None:
    joint = joint_meeting(cast)
    report = duty.duty_report_submit(
        actor=cast.liaison, member=joint.cac, year=2023, text_="述职。"
    )
    with pytest.raises(ValidationError, match=duty.SCORE_RANGE):
        duty.duty_report_score(actor=cast.city_staff, report=report, score=score)


@pytest.mark.parametrize("score", ["0", "100", "59.99"])
def test_the_bounds_are_allowed(cast: Cast, score: str) -> None:
    joint = joint_meeting(cast)
    report = duty.duty_report_submit(
        actor=cast.liaison, member=joint.cac, year=2023, text_="述职。"
    )
    scored = duty.duty_report_score(actor=cast.city_staff, report=report, score=score)
    assert scored.score == Decimal(score)


def test_only_the_units_liaison_submits(cast: Cast) -> None:
    joint = joint_meeting(cast)
    for other in (joint.justice_liaison, cast.city_staff):
        with pytest.raises(PermissionDenied, match=duty.NOT_MEMBER_LIAISON):
            duty.duty_report_submit(actor=other, member=joint.cac, year=2023, text_="代交。")
    with pytest.raises(ValidationError, match=duty.TEXT_REQUIRED):
        duty.duty_report_submit(actor=cast.liaison, member=joint.cac, year=2023, text_=" ")


def test_only_the_keepers_score(cast: Cast) -> None:
    joint = joint_meeting(cast)
    report = duty.duty_report_submit(
        actor=cast.liaison, member=joint.cac, year=2023, text_="述职。"
    )
    for reader in (cast.leader, cast.auditor, cast.liaison):
        with pytest.raises(PermissionDenied):
            duty.duty_report_score(actor=reader, report=report, score=90)
    for stranger in (cast.luojiang, cast.outsider):
        with pytest.raises(ValidationError, match=NOT_YOURS):
            duty.duty_report_score(actor=stranger, report=report, score=90)
