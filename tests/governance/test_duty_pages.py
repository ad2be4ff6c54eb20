"""The duty report pages (述职): the list (filters, scope, query count), a report, the liaison's
submission (from the list and from the mechanism page) and the keeper's score. A refused write
changes nothing and says why in Chinese."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tongxin.governance import forms_mechanisms as forms
from tongxin.governance import services_duty as duty
from tongxin.governance.models import DutyReport, DutyReportState

from ..conftest import Cast, login
from ..work.casework import messages_of, page
from .records import JointMeeting, joint_meeting, liaison_of

S = DutyReportState
LAST_YEAR = timezone.localdate().year - 1


@pytest.fixture
def joint(cast: Cast) -> JointMeeting:
    return joint_meeting(cast)


def submitted(cast: Cast, joint: JointMeeting, year: int = 2023) -> DutyReport:
    return duty.duty_report_submit(
        actor=cast.liaison, member=joint.cac, year=year, text_="联系服务网络人士120余人次。"
    )


def of_justice(joint: JointMeeting, year: int = 2023) -> DutyReport:
    return duty.duty_report_submit(
        actor=joint.justice_liaison, member=joint.justice, year=year, text_="组建律师联谊会。"
    )


def state_of(report: DutyReport) -> tuple[str, Decimal | None, str]:
    fresh = DutyReport.objects.get(pk=report.pk)
    return fresh.state, fresh.score, fresh.text


def detail(report: DutyReport) -> str:
    return f"/duty-reports/{report.pk}/"


def submit(client: Client, member_id: int, year: Any, text: str) -> Any:
    return client.post("/duty-reports/submit/", {"member": member_id, "year": year, "text": text})


# --- the list -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "city_staff", "leader"])
def test_keepers_and_leaders_list_every_member_units_reports(
    cast: Cast, joint: JointMeeting, who: str
) -> None:
    submitted(cast, joint)
    of_justice(joint)
    html = page(login(getattr(cast, who)), "/duty-reports/")
    assert "中共德阳市委网络安全和信息化委员会办公室" in html and "德阳市司法局" in html


def test_a_liaison_lists_only_their_units_reports(cast: Cast, joint: JointMeeting) -> None:
    submitted(cast, joint)
    of_justice(joint)
    html = page(login(cast.liaison), "/duty-reports/")
    assert "中共德阳市委网络安全和信息化委员会办公室" in html
    assert "德阳市司法局" not in html and "旌阳" not in html
    assert 'name="unit"' not in html  # no unit filter: their own unit only


def test_the_list_filters_by_year_state_unit_and_mechanism(cast: Cast, joint: JointMeeting) -> None:
    mine = submitted(cast, joint, 2023)
    submitted(cast, joint, 2022)
    duty.duty_report_score(actor=cast.city_staff, report=of_justice(joint), score=90)
    client = login(cast.city_staff)

    def listed(**params: Any) -> list[DutyReport]:
        return list(client.get("/duty-reports/", params).context["page"].object_list)

    assert {r.year for r in listed(year=2022)} == {2022}
    assert [r.member for r in listed(state="scored")] == [joint.justice]
    assert [r.year for r in listed(unit=joint.cac.unit_id)] == [2023, 2022]
    assert mine in listed(mechanism=joint.mechanism.pk)
    assert cast.gov.duty_report not in listed(mechanism=joint.mechanism.pk)
    assert cast.gov.duty_report in listed()  # 旌阳's: a line-free mechanism of the city's subtree


def test_other_districts_never_see_jingyangs_reports(cast: Cast) -> None:
    for who in (cast.luojiang, cast.outsider):
        client = login(who)
        assert "旌阳" not in page(client, "/duty-reports/")
        assert client.get(detail(cast.gov.duty_report)).status_code == 404
    assert "旌阳区司法局" in page(login(cast.jingyang), detail(cast.gov.duty_report))


@pytest.mark.parametrize("who", ["admin", "city_staff", "leader", "liaison"])
def test_the_list_runs_a_fixed_number_of_queries(
    cast: Cast, joint: JointMeeting, who: str, django_assert_max_num_queries: Any
) -> None:
    for year in range(2010, 2024):
        submitted(cast, joint, year)
        of_justice(joint, year)
    client = login(getattr(cast, who))
    client.get("/duty-reports/")
    with django_assert_max_num_queries(11):
        response = client.get("/duty-reports/")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == (14 if who == "liaison" else 20)


def test_the_list_answers_htmx_with_its_rows(cast: Cast) -> None:
    response = login(cast.city_staff).get("/duty-reports/", HTTP_HX_REQUEST="true")
    assert next(t.name for t in response.templates) == "governance/_duty_rows.html"


# --- a report -------------------------------------------------------------------------------------


def test_a_keeper_reads_the_report_with_the_score_form(cast: Cast, joint: JointMeeting) -> None:
    html = page(login(cast.city_staff), detail(submitted(cast, joint)))
    assert "联系服务网络人士120余人次。" in html
    assert "负责网络新阶人士的联系服务。" in html  # the unit's duties, to score against
    assert 'name="score"' in html


def test_a_liaison_reads_their_report_and_may_resubmit_before_scoring(
    cast: Cast, joint: JointMeeting
) -> None:
    report = submitted(cast, joint)
    client = login(cast.liaison)
    html = page(client, detail(report))
    assert "修改后重新提交" in html and 'name="score"' not in html
    # The resubmission form starts from the text already submitted.
    form = page(client, "/duty-reports/submit/", member=joint.cac.pk, year=2023)
    assert "联系服务网络人士120余人次。" in form and "正在修改已提交的述职报告" in form
    assert client.get(detail(of_justice(joint))).status_code == 404


@pytest.mark.parametrize("who", ["leader", "liaison"])
def test_readers_see_no_score_form(cast: Cast, joint: JointMeeting, who: str) -> None:
    html = page(login(getattr(cast, who)), detail(submitted(cast, joint)))
    assert 'name="score"' not in html


# --- submitting -----------------------------------------------------------------------------------


def test_a_liaison_submits_their_units_report(cast: Cast, joint: JointMeeting) -> None:
    client = login(cast.liaison)
    html = page(client, "/duty-reports/submit/")
    assert f'value="{joint.cac.pk}" selected' in html  # their one mechanism, chosen for them
    response = submit(client, joint.cac.pk, LAST_YEAR, "全年联系服务网络人士。")
    report = DutyReport.objects.get(member=joint.cac, year=LAST_YEAR)
    assert response["Location"] == detail(report)
    assert (report.state, report.submitted_by, report.text) == (
        S.SUBMITTED,
        cast.liaison,
        "全年联系服务网络人士。",
    )


def test_the_mechanism_page_offers_the_liaison_a_form_for_their_unit(
    cast: Cast, joint: JointMeeting
) -> None:
    client = login(cast.liaison)
    html = page(client, f"/mechanisms/{joint.mechanism.pk}/")
    assert f"提交本单位{LAST_YEAR}年度述职报告" in html
    response = client.post(
        "/duty-reports/submit/",
        {"member": joint.cac.pk, "year": LAST_YEAR, "text": "本年度履职情况。"},
        follow=True,
    )
    assert "已提交" in messages_of(response)[0]
    html = page(client, f"/mechanisms/{joint.mechanism.pk}/")
    assert f"修改{LAST_YEAR}年度述职报告后重新提交" in html
    # Keepers see every member's state for the year, and no submission form.
    keeper = page(login(cast.city_staff), f"/mechanisms/{joint.mechanism.pk}/")
    assert "提交本单位" not in keeper and "未提交" in keeper  # the 司法局 has not


def test_a_refused_submission_changes_nothing(cast: Cast, joint: JointMeeting) -> None:
    client = login(cast.liaison)
    empty = submit(client, joint.cac.pk, LAST_YEAR, " ")
    assert duty.TEXT_REQUIRED in empty.content.decode()
    future = submit(client, joint.cac.pk, timezone.localdate().year + 1, "明年的述职。")
    assert duty.YEAR_IN_FUTURE in future.content.decode()
    forged = submit(client, joint.justice.pk, LAST_YEAR, "冒名述职。")
    assert forms.MEMBER_REQUIRED in forged.content.decode()
    assert not DutyReport.objects.filter(member__mechanism=joint.mechanism).exists()


def test_a_scored_report_cannot_be_resubmitted(cast: Cast, joint: JointMeeting) -> None:
    report = duty.duty_report_score(
        actor=cast.city_staff, report=submitted(cast, joint), score=88, review="好。"
    )
    client = login(cast.liaison)
    assert "修改后重新提交" not in page(client, detail(report))
    response = submit(client, joint.cac.pk, 2023, "改写。")
    assert duty.ALREADY_SCORED in response.content.decode()
    assert state_of(report) == (S.SCORED, Decimal("88.00"), "联系服务网络人士120余人次。")


@pytest.mark.parametrize("who", ["admin", "city_staff", "jingyang", "leader"])
def test_only_liaisons_submit(cast: Cast, joint: JointMeeting, who: str) -> None:
    client = login(getattr(cast, who))
    assert client.get("/duty-reports/submit/").status_code == 403
    assert submit(client, joint.cac.pk, 2023, "代交。").status_code == 403
    assert not DutyReport.objects.filter(member=joint.cac).exists()


def test_a_liaison_of_no_member_unit_is_told_so(cast: Cast) -> None:
    other = liaison_of("市委组织部", "t_zzb")
    assert "本单位还不是任何工作机制的成员单位" in page(login(other), "/duty-reports/submit/")


# --- scoring --------------------------------------------------------------------------------------


def test_a_keeper_scores_a_submitted_report(cast: Cast, joint: JointMeeting) -> None:
    report = submitted(cast, joint)
    client = login(cast.city_staff)
    response = client.post(
        detail(report),
        {"score": "92.5", "review": "履职到位。", "expected_version": report.version},
        follow=True,
    )
    assert "已评分：92.50 分。" in messages_of(response)
    fresh = DutyReport.objects.get(pk=report.pk)
    assert (fresh.state, fresh.score, fresh.review, fresh.reviewed_by) == (
        S.SCORED,
        Decimal("92.50"),
        "履职到位。",
        cast.city_staff,
    )
    html = response.content.decode()
    assert "92.50" in html and 'name="score"' not in html


def test_jingyang_scores_its_own_districts_report(cast: Cast) -> None:
    report = DutyReport.objects.get(pk=cast.gov.duty_report.pk)
    response = login(cast.jingyang).post(
        detail(report), {"score": "80", "expected_version": report.version}
    )
    assert response.status_code == 302
    assert state_of(cast.gov.duty_report)[:2] == (S.SCORED, Decimal("80.00"))


@pytest.mark.parametrize("score", ["101", "-1", "90.123", "九十", ""])
def test_a_bad_score_changes_nothing(cast: Cast, joint: JointMeeting, score: str) -> None:
    report = submitted(cast, joint)
    response = login(cast.city_staff).post(detail(report), {"score": score})
    assert response.status_code == 200
    expected = forms.SCORE_REQUIRED if score == "" else duty.SCORE_RANGE
    assert expected in response.content.decode()
    assert state_of(report) == (S.SUBMITTED, None, "联系服务网络人士120余人次。")


def test_a_scored_report_is_final(cast: Cast, joint: JointMeeting) -> None:
    report = duty.duty_report_score(actor=cast.city_staff, report=submitted(cast, joint), score=70)
    response = login(cast.city_staff).post(detail(report), {"score": "99"}, follow=True)
    assert "只有已提交的述职报告可以评分" in messages_of(response)[0]
    assert state_of(report)[1] == Decimal("70.00")


@pytest.mark.parametrize("who", ["leader", "liaison"])
def test_readers_may_not_score(cast: Cast, joint: JointMeeting, who: str) -> None:
    report = submitted(cast, joint)
    response = login(getattr(cast, who)).post(detail(report), {"score": "99"})
    assert response.status_code == 403
    assert state_of(report)[:2] == (S.SUBMITTED, None)


@pytest.mark.parametrize("who", ["luojiang", "outsider", "jingyang"])
def test_other_districts_may_not_score_the_citys_report(
    cast: Cast, joint: JointMeeting, who: str
) -> None:
    report = submitted(cast, joint)
    response = login(getattr(cast, who)).post(detail(report), {"score": "99"})
    assert response.status_code == 404
    assert state_of(report)[:2] == (S.SUBMITTED, None)


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_may_not_score_jingyangs_report(cast: Cast, who: str) -> None:
    response = login(getattr(cast, who)).post(detail(cast.gov.duty_report), {"score": "1"})
    assert response.status_code == 404
    assert state_of(cast.gov.duty_report)[:2] == (S.SUBMITTED, None)
