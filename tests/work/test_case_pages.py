"""The case pages: the list (filters, query count), the detail with its timeline, the create form,
and every action of the case page with its refusals, for every role."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from tongxin.core import access
from tongxin.work import forms_case_actions as acts
from tongxin.work import forms_cases as forms
from tongxin.work import services
from tongxin.work.models import Case, CaseEvent, CaseStatus

from ..conftest import Cast, login
from .casework import (
    TODAY,
    act,
    assigned,
    days,
    justice,
    justice_liaison,
    messages_of,
    new_case,
    page,
    set_deadline,
    started,
)

S = CaseStatus


def case_form(cast: Cast, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "厂房扩建用地手续办理缓慢",
        "text": "企业反映厂房扩建的用地手续已等待三个月。",
        "source": "face_to_face",
        "requester": f"organization:{cast.records.organization.pk}",
        "category": "用地",
        "region": cast.jingyang_region.pk,
        "line": "",
        "received_on": TODAY.isoformat(),
    }
    data.update(overrides)
    return data


def unchanged(case: Case) -> tuple[str, int]:
    fresh = Case.objects.get(pk=case.pk)
    return fresh.status, fresh.events.count()


# --- the list -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "city_staff", "jingyang", "leader"])
def test_the_list_shows_the_cases_in_scope(cast: Cast, who: str) -> None:
    assert "旌阳企业用地手续诉求" in page(login(getattr(cast, who)), "/cases/")


def test_a_liaison_lists_only_the_cases_assigned_to_their_unit(cast: Cast) -> None:
    liaison = justice_liaison(cast)
    assigned(cast, new_case(cast, "旌阳交办司法局的诉求"))
    text = page(login(liaison), "/cases/")
    assert "旌阳交办司法局的诉求" in text and "旌阳企业用地手续诉求" not in text


def test_an_auditor_cannot_open_cases(cast: Cast) -> None:
    assert login(cast.auditor).get("/cases/").status_code == 403


def test_the_list_filters_by_state_source_time_unit_region_and_handler(cast: Cast) -> None:
    liaison = justice_liaison(cast)
    late = started(cast, assigned(cast, new_case(cast, "逾期的诉求")), liaison)
    set_deadline(late, days(-2))
    assigned(cast, new_case(cast, "快到期的诉求", source="face_to_face"), deadline=days(2))
    client = login(cast.jingyang)

    def titles(**params: Any) -> set[str]:
        text = page(client, "/cases/", **params)
        return {t for t in ("逾期的诉求", "快到期的诉求", "旌阳企业用地手续诉求") if t in text}

    assert titles(status="in_progress") == {"逾期的诉求"}
    assert titles(source="face_to_face") == {"快到期的诉求"}
    assert titles(due="overdue") == {"逾期的诉求"}
    assert titles(due="soon") == {"快到期的诉求"}
    assert titles(due="open") == {"逾期的诉求", "快到期的诉求"}
    assert titles(unit=justice().pk) == {"逾期的诉求", "快到期的诉求"}
    assert titles(handler=liaison.pk) == {"逾期的诉求"}
    assert titles(region="510603") == {"逾期的诉求", "快到期的诉求", "旌阳企业用地手续诉求"}
    assert titles(q="快到期") == {"快到期的诉求"}
    assert titles(q="旌阳区新的社会阶层") == {"旌阳企业用地手续诉求"}  # by the requester


def test_the_list_answers_htmx_with_rows_only(cast: Cast) -> None:
    response = login(cast.jingyang).get("/cases/", {"q": "用地"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "<html" not in text and "旌阳企业用地手续诉求" in text


@pytest.mark.parametrize("who", ["admin", "city_staff", "jingyang", "leader", "liaison"])
def test_the_list_runs_a_fixed_number_of_queries(
    cast: Cast, who: str, django_assert_max_num_queries: Any
) -> None:
    liaison = justice_liaison(cast)
    for i in range(25):
        case = assigned(cast, new_case(cast, f"旌阳诉求{i}"))
        if i % 2:
            started(cast, case, liaison)
    client = login(getattr(cast, who))
    client.get("/cases/")
    with django_assert_max_num_queries(14):
        assert client.get("/cases/").status_code == 200


# --- the detail and its timeline ------------------------------------------------------------------


def test_the_detail_shows_every_step_with_who_and_when(cast: Cast) -> None:
    liaison = justice_liaison(cast)
    case = started(cast, assigned(cast), liaison)
    services.case_progress(case=case, actor=liaison, note="已约谈企业负责人。")
    text = page(login(cast.jingyang), f"/cases/{case.pk}/")
    for step in ("受理", "受理 → 交办", "交办 → 办理中", "报告进展", "已约谈企业负责人。"):
        assert step in text, step
    # Who, by name: 旌阳 received and assigned, the liaison started and reported; the handler.
    assert text.count("旌阳人员 · 旌阳区委统战部") == 2
    assert text.count("网信联络员 · 市司法局") == 2
    assert "<dt>经办人</dt><dd>网信联络员</dd>" in text
    for event in case.events.all():
        assert f"{timezone.localtime(event.at):%Y-%m-%d %H:%M}" in text  # when


def test_a_read_only_leader_sees_the_case_without_actions(cast: Cast) -> None:
    text = page(login(cast.leader), f"/cases/{cast.records.case.pk}/")
    assert "旌阳企业用地手续诉求" in text and "/act/" not in text


def test_a_liaison_gets_no_links_into_the_registry(cast: Cast) -> None:
    liaison = justice_liaison(cast)
    case = assigned(cast, new_case(cast, requester_person=cast.records.person))
    client = login(liaison)
    text = page(client, f"/cases/{case.pk}/")
    assert "旌阳测试人员" in text  # the requester's name, as text
    assert "/persons/" not in text and "/organizations/" not in text and "/visits/" not in text
    assert client.get(f"/persons/{cast.records.person.pk}/").status_code in (403, 404)


# --- a walk-in case -------------------------------------------------------------------------------


def test_a_district_user_registers_a_walk_in_case(cast: Cast) -> None:
    response = login(cast.jingyang).post("/cases/new/", case_form(cast))
    case = Case.objects.latest("id")
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.requester_organization == cast.records.organization
    assert case.status == S.ACCEPTED and case.events.count() == 1


def test_a_case_needs_a_title_and_its_text(cast: Cast) -> None:
    before = Case.objects.count()
    text = (
        login(cast.jingyang)
        .post("/cases/new/", case_form(cast, title="", text=""))
        .content.decode()
    )
    assert forms.TITLE_REQUIRED in text and forms.CASE_TEXT_REQUIRED in text
    assert Case.objects.count() == before


def test_a_requester_outside_ones_scope_is_refused(cast: Cast) -> None:
    data = case_form(cast, region=cast.luojiang_region.pk)
    text = login(cast.luojiang).post("/cases/new/", data).content.decode()
    assert forms.TARGET_OUT_OF_SCOPE in text


@pytest.mark.parametrize("who", ["leader", "liaison"])
def test_read_only_users_and_liaisons_cannot_register_cases(cast: Cast, who: str) -> None:
    client = login(getattr(cast, who))
    assert client.get("/cases/new/").status_code == 403
    assert client.post("/cases/new/", case_form(cast)).status_code == 403


# --- the actions ----------------------------------------------------------------------------------


def test_assigning_needs_units_and_a_deadline_and_changes_nothing_without(cast: Cast) -> None:
    case = cast.records.case
    before = unchanged(case)
    response = act(login(cast.jingyang), case, "assign", note="请尽快办理")
    text = response.content.decode()
    assert acts.UNITS_REQUIRED in text and forms.DEADLINE_REQUIRED in text
    assert unchanged(case) == before


def test_a_deadline_in_the_past_is_refused(cast: Cast) -> None:
    case = cast.records.case
    before = unchanged(case)
    response = act(
        login(cast.jingyang), case, "assign", units=[justice().pk], deadline=days(-1).isoformat()
    )
    assert services.DEADLINE_IN_PAST in response.content.decode()
    assert unchanged(case) == before


def test_assigning_sets_units_and_deadline(cast: Cast) -> None:
    case = cast.records.case
    response = act(
        login(cast.jingyang), case, "assign", units=[justice().pk], deadline=days(7).isoformat()
    )
    case.refresh_from_db()
    assert case.status == S.ASSIGNED and case.deadline == days(7)
    assert list(case.units.all()) == [justice()]
    assert f"已交办市司法局，办理时限 {days(7):%Y-%m-%d}。" in messages_of(response)


def test_an_illegal_move_through_the_page_is_refused_with_a_message(cast: Cast) -> None:
    case = cast.records.case  # 受理: it cannot be closed before it is assigned and handled
    before = unchanged(case)
    response = act(login(cast.jingyang), case, "resolve", resolution="已解决。")
    assert response.status_code == 200
    assert "诉求当前状态为“受理”，不能变为“办结”。当前可以：交办。" in messages_of(response)
    assert unchanged(case) == before


def test_progress_and_extension_are_refused_on_a_case_not_being_handled(cast: Cast) -> None:
    case = cast.records.case
    before = unchanged(case)
    client = login(cast.jingyang)
    response = act(client, case, "progress", note="进展")
    assert acts.CASE_NOT_OPEN.format(status="受理", action="报告进展") in messages_of(response)
    act(client, case, "extend", deadline=days(30).isoformat(), reason="需协调")
    assert unchanged(case) == before


def test_an_unknown_action_is_refused(cast: Cast) -> None:
    response = login(cast.jingyang).post(f"/cases/{cast.records.case.pk}/act/", follow=True)
    assert acts.ACTION_UNKNOWN in messages_of(response)


@pytest.mark.parametrize(
    ("action", "fields", "message"),
    [
        ("progress", {"note": ""}, acts.PROGRESS_REQUIRED),
        ("resolve", {"resolution": " "}, services.RESOLUTION_REQUIRED),
        ("return", {"note": ""}, acts.RETURN_REASON_REQUIRED),
        ("extend", {"deadline": days(30).isoformat(), "reason": ""}, acts.EXTEND_REASON_REQUIRED),
        (
            "extend",
            {"deadline": days(1).isoformat(), "reason": "需协调"},
            services.EXTEND_NEEDS_LATER,
        ),
    ],
)
def test_a_handling_step_without_what_it_needs_changes_nothing(
    cast: Cast, action: str, fields: dict[str, str], message: str
) -> None:
    liaison = justice_liaison(cast)
    case = started(cast, assigned(cast), liaison)
    before = unchanged(case), Case.objects.get(pk=case.pk).deadline
    response = act(login(liaison), case, action, **fields)
    assert message in response.content.decode()
    assert (unchanged(case), Case.objects.get(pk=case.pk).deadline) == before


def test_follow_up_needs_a_satisfaction(cast: Cast) -> None:
    liaison = justice_liaison(cast)
    case = started(cast, assigned(cast), liaison)
    case = services.case_transition(
        case=case, to_status=S.RESOLVED, actor=liaison, resolution="已协调。"
    )
    before = unchanged(case)
    response = act(login(cast.jingyang), case, "follow_up", note="电话回访")
    assert services.SATISFACTION_REQUIRED in response.content.decode()
    assert unchanged(case) == before


def test_a_liaison_returns_a_case_with_a_reason(cast: Cast) -> None:
    liaison = justice_liaison(cast)
    case = assigned(cast)
    act(login(liaison), case, "return", note="不属于本单位职责，建议交市经信局。")
    case.refresh_from_db()
    assert case.status == S.ACCEPTED
    assert case.events.latest("id").note == "不属于本单位职责，建议交市经信局。"


def test_a_liaison_extends_the_deadline_with_a_reason(cast: Cast) -> None:
    liaison = justice_liaison(cast)
    case = assigned(cast)
    response = act(
        login(liaison), case, "extend", deadline=days(20).isoformat(), reason="需省厅批复"
    )
    case.refresh_from_db()
    assert case.deadline == days(20)
    assert f"办理时限已延至 {days(20):%Y-%m-%d}。" in messages_of(response)


def test_a_liaison_may_not_assign_or_follow_up(cast: Cast) -> None:
    liaison = justice_liaison(cast)
    case = assigned(cast)
    client = login(liaison)
    text = page(client, f"/cases/{case.pk}/")
    assert 'value="start"' in text and 'value="assign"' not in text
    started(cast, case, liaison)
    case = services.case_transition(
        case=case, to_status=S.RESOLVED, actor=liaison, resolution="已协调。"
    )
    before = unchanged(case)
    response = act(client, case, "follow_up", satisfaction="satisfied")
    assert services.NOT_HANDLER in messages_of(response)
    assert unchanged(case) == before


def test_a_liaison_of_another_unit_cannot_open_or_move_the_case(cast: Cast) -> None:
    case = assigned(cast)  # to 市司法局; the cast's liaison is of 市委网信办
    client = login(cast.liaison)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    before = unchanged(case)
    assert client.post(f"/cases/{case.pk}/act/", {"action": "start"}).status_code == 404
    assert unchanged(case) == before


def test_a_leader_gets_403_on_any_action(cast: Cast) -> None:
    case = cast.records.case
    before = unchanged(case)
    response = login(cast.leader).post(f"/cases/{case.pk}/act/", {"action": "start"})
    assert response.status_code == 403
    assert unchanged(case) == before


def test_the_actions_offered_follow_the_state_and_the_user(cast: Cast) -> None:
    liaison = justice_liaison(cast)
    case = Case.objects.prefetch_related("units").get(pk=assigned(cast).pk)

    def keys(user: Any) -> list[str]:
        shown = access.scope(user, Case.objects.prefetch_related("units")).get(pk=case.pk)
        return [a.key for a in acts.actions_for(user, shown)]

    assert keys(cast.jingyang) == ["start", "progress", "extend", "return"]
    assert keys(liaison) == ["start", "progress", "extend", "return"]
    assert keys(cast.leader) == []


# --- other districts ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_see_nothing_of_jingyang_cases(cast: Cast, who: str) -> None:
    case = cast.records.case
    client = login(getattr(cast, who))
    assert "旌阳" not in page(client, "/cases/")
    assert "旌阳企业用地手续诉求" not in page(client, "/cases/", q="用地")
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    before = unchanged(case)
    response = client.post(
        f"/cases/{case.pk}/act/",
        {"action": "assign", "assign-units": [justice().pk], "assign-deadline": days(5)},
    )
    assert response.status_code == 404
    assert unchanged(case) == before
    assert CaseEvent.objects.filter(case=case).count() == before[1]
