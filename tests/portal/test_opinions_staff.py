"""Staff's inbox of portal opinions: what reaches whom (region subtree, city staff by line), the
answer, 转为诉求 into a case with source 网上反映, and the case page's link back."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tongxin.portal import services_opinions as services
from tongxin.portal.models_requests import Submission, SubmissionStatus
from tongxin.work.models import Case, CaseSource

from ..conftest import Cast, bearer, login
from .opinion_world import PNG, account_of, line, png, send

INBOX = "/portal-admin/opinions/"


def _detail(submission: Submission) -> str:
    return reverse("portal_staff_opinion_detail", args=[submission.pk])


def test_a_submission_reaches_the_jingyang_inbox_and_the_hub_count(cast: Cast) -> None:
    send(account_of(cast), uploads=[png()])
    client = login(cast.jingyang)
    page = client.get(INBOX).content.decode()
    assert "旌阳企业用工难" in page and "旌阳测试人员" in page and "1 条待处理" in page
    hub = client.get("/portal-admin/").content.decode()
    assert "网上反映" in hub and '<span class="badge text-bg-danger">1</span>' in hub


def test_the_inbox_is_newest_first_and_filters_by_status_and_kind(cast: Cast) -> None:
    account = account_of(cast)
    first = send(account, title="旌阳第一条", kind="suggestion")
    send(account, title="旌阳第二条", kind="difficulty")
    services.submission_answer(actor=cast.jingyang, submission=first, answer="已答复。")
    client = login(cast.jingyang)
    page = client.get(INBOX).content.decode()
    assert page.index("旌阳第二条") < page.index("旌阳第一条")
    waiting = client.get(INBOX, {"status": "submitted"}).content.decode()
    assert "旌阳第二条" in waiting and "旌阳第一条" not in waiting
    suggestions = client.get(INBOX, {"kind": "suggestion"}).content.decode()
    assert "旌阳第一条" in suggestions and "旌阳第二条" not in suggestions


def test_the_inbox_list_makes_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    account = account_of(cast)
    for i in range(5):
        send(account, title=f"旌阳反映{i}", uploads=[png()])
    client = login(cast.jingyang)
    client.get(INBOX)
    with django_assert_max_num_queries(12):
        response = client.get(INBOX)
    assert response.content.decode().count("旌阳反映") == 5


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_see_nothing_and_get_404(cast: Cast, who: str) -> None:
    submission = send(account_of(cast), uploads=[png()])
    attachment = submission.attachments.get()
    client = login(getattr(cast, who))
    assert "旌阳企业用工难" not in client.get(INBOX).content.decode()
    assert client.get(_detail(submission)).status_code == 404
    assert client.post(_detail(submission) + "answer/", {"answer": "越权"}).status_code == 404
    assert client.post(_detail(submission) + "case/", {"title": "越权"}).status_code == 404
    file_url = reverse("portal_staff_opinion_file", args=[attachment.pk])
    assert client.get(file_url).status_code == 404
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED
    assert (
        '<span class="badge text-bg-danger">' not in client.get("/portal-admin/").content.decode()
    )


@pytest.mark.parametrize("who", ["liaison", "auditor"])
def test_liaisons_and_auditors_may_not_use_the_inbox(cast: Cast, who: str) -> None:
    submission = send(account_of(cast))
    client = login(getattr(cast, who))
    assert client.get(INBOX).status_code == 403
    assert client.get(_detail(submission)).status_code == 403


def test_a_leader_reads_but_may_not_answer(cast: Cast) -> None:
    submission = send(account_of(cast))
    client = login(cast.leader)
    page = client.get(_detail(submission)).content.decode()
    assert "旌阳企业用工难" in page and "直接答复" not in page
    assert client.post(_detail(submission) + "answer/", {"answer": "领导答复"}).status_code == 403
    assert Submission.objects.get().answer == ""


def test_city_staff_see_their_line_and_no_line_but_not_another_line(cast: Cast) -> None:
    account = account_of(cast)
    mine = send(account, title="旌阳新阶反映", line=line("新阶"))
    none = send(account, title="旌阳未分条线反映")
    other = send(account, title="旌阳党派反映", line=line("党派"))
    client = login(cast.city_staff)
    page = client.get(INBOX).content.decode()
    assert "旌阳新阶反映" in page and "旌阳未分条线反映" in page and "旌阳党派反映" not in page
    assert client.get(_detail(mine)).status_code == 200
    assert client.get(_detail(none)).status_code == 200
    assert client.get(_detail(other)).status_code == 404


def test_staff_download_a_file_in_scope(cast: Cast) -> None:
    attachment = send(account_of(cast), uploads=[png()]).attachments.get()
    response = login(cast.jingyang).get(reverse("portal_staff_opinion_file", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]


# --- answer ---------------------------------------------------------------------------------------


def test_staff_answer_directly(cast: Cast) -> None:
    submission = send(account_of(cast))
    client = login(cast.jingyang)
    response = client.post(_detail(submission) + "answer/", {"answer": "已转告旌阳区人社局。"})
    assert response.status_code == 302
    answered = Submission.objects.get()
    assert answered.status == SubmissionStatus.ANSWERED
    assert answered.answer == "已转告旌阳区人社局。" and answered.answered_by == cast.jingyang
    assert "直接答复" not in client.get(_detail(submission)).content.decode()


def test_an_empty_answer_is_refused(cast: Cast) -> None:
    submission = send(account_of(cast))
    response = login(cast.jingyang).post(_detail(submission) + "answer/", {"answer": " "})
    assert response.status_code == 400
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


def test_a_handled_submission_is_not_handled_twice(cast: Cast) -> None:
    submission = send(account_of(cast))
    services.submission_answer(actor=cast.jingyang, submission=submission, answer="已答复。")
    with pytest.raises(ValidationError) as err:
        services.submission_to_case(actor=cast.jingyang, submission=submission)
    assert services.ALREADY_HANDLED in err.value.messages
    response = login(cast.jingyang).post(_detail(submission) + "case/", {"title": "再转"})
    assert response.status_code == 302
    assert not Case.objects.filter(source=CaseSource.PORTAL).exists()


def test_the_service_refuses_staff_out_of_scope(cast: Cast) -> None:
    submission = send(account_of(cast))
    with pytest.raises(ValidationError):
        services.submission_answer(actor=cast.luojiang, submission=submission, answer="越权")
    with pytest.raises(PermissionDenied):
        services.submission_answer(actor=cast.leader, submission=submission, answer="只读")
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


# --- 转为诉求 -------------------------------------------------------------------------------------


def test_it_becomes_a_case_from_the_portal_with_the_person_as_requester(cast: Cast) -> None:
    submission = send(account_of(cast), kind="difficulty")
    client = login(cast.jingyang)
    response = client.post(_detail(submission) + "case/", {"title": "旌阳企业技术工人招聘难"})
    case = Case.objects.get(source=CaseSource.PORTAL)
    assert response.status_code == 302 and response.url == reverse("case_detail", args=[case.pk])
    assert case.get_source_display() == "网上反映"
    assert case.requester_person == cast.records.person
    assert case.region == cast.jingyang_region
    assert case.title == "旌阳企业技术工人招聘难"
    assert case.text == submission.text
    assert case.category == "困难诉求"
    linked = Submission.objects.get()
    assert linked.case == case and linked.status == SubmissionStatus.CASE
    case_page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "来自个人门户反映" in case_page and _detail(submission) in case_page


def test_a_case_page_not_from_the_portal_has_no_link_back(cast: Cast) -> None:
    page = login(cast.jingyang).get(reverse("case_detail", args=[cast.records.case.pk]))
    assert "来自个人门户反映" not in page.content.decode()


def test_city_staff_file_the_case_under_the_submission_s_line(cast: Cast) -> None:
    submission = send(account_of(cast), line=line("新阶"))
    case = services.submission_to_case(actor=cast.city_staff, submission=submission)
    assert case.line == line("新阶")


def test_city_staff_with_one_line_file_a_lineless_submission_under_it(cast: Cast) -> None:
    submission = send(account_of(cast))
    response = login(cast.city_staff).post(
        _detail(submission) + "case/", {"title": "旌阳反映", "line": str(line("新阶").pk)}
    )
    assert response.status_code == 302
    assert Case.objects.get(source=CaseSource.PORTAL).line == line("新阶")


def test_a_staff_token_gets_nothing_from_the_portal_api(cast: Cast) -> None:
    from django.test import Client

    send(account_of(cast))
    response = Client().get("/api/v1/portal/opinions", **bearer(cast.jingyang))
    assert response.status_code == 401
    assert "旌阳" not in response.content.decode()
    session = login(cast.jingyang).get("/api/v1/portal/opinions")
    assert session.status_code in (401, 403)
