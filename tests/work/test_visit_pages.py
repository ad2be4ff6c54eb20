"""The visit pages: the list (filters, search, query count), the detail with its opinions and the
one-click 转为诉求, the form with any number of opinions and the search select, for every role."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tongxin.registry.models import Person
from tongxin.work import forms_cases as forms
from tongxin.work import services
from tongxin.work.models import Case, Opinion, Visit

from ..conftest import Cast, login
from .casework import TODAY, days, page, visit


def visit_form(cast: Cast, target: str, **overrides: Any) -> dict[str, Any]:
    data = {
        "target": target,
        "region": cast.jingyang_region.pk,
        "visited_on": TODAY.isoformat(),
        "method": "on_site",
        "visitors": "王志强、李文静",
        "notes": "了解经营情况。",
        "opinions-TOTAL_FORMS": "3",
        "opinions-INITIAL_FORMS": "0",
        "opinions-MIN_NUM_FORMS": "0",
        "opinions-MAX_NUM_FORMS": "30",
        "opinions-0-kind": "difficulty",
        "opinions-0-text": "厂房用地指标不足，希望协调。",
        "opinions-1-kind": "suggestion",
        "opinions-1-text": "建议多组织政策宣讲。",
        "opinions-2-kind": "",
        "opinions-2-text": "",
    }
    data.update(overrides)
    return data


def person_target(cast: Cast) -> str:
    return f"person:{cast.records.person.pk}"


# --- the list -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "city_staff", "jingyang", "leader"])
def test_the_list_shows_the_visits_in_scope(cast: Cast, who: str) -> None:
    text = page(login(getattr(cast, who)), "/visits/")
    assert "旌阳测试人员" in text and "1 条" in text


def test_the_list_searches_by_the_visited_name_initials_and_employer(cast: Cast) -> None:
    visit(cast, person=None, organization=cast.records.organization)
    client = login(cast.jingyang)
    assert "旌阳区新的社会阶层人士联谊会" in page(client, "/visits/", q="新联会")
    assert "旌阳区新的社会阶层人士联谊会" not in page(client, "/visits/", q="测试人员")
    assert "旌阳测试人员" in page(client, "/visits/", q="jycsry")
    assert "旌阳测试人员" in page(client, "/visits/", q="旌阳测试科技")


def test_the_list_filters_by_date_method_and_region(cast: Cast) -> None:
    visit(cast, visited_on=dt.date(2023, 3, 1), method="phone")
    client = login(cast.admin)
    assert "2023-03-01" in page(client, "/visits/", date_from="2023-01-01", date_to="2023-12-31")
    assert "2023-03-01" not in page(client, "/visits/", date_from="2024-01-01")
    assert "2023-03-01" not in page(client, "/visits/", method="meeting")
    assert "2023-03-01" in page(client, "/visits/", region="510603")
    assert "2023-03-01" not in page(client, "/visits/", region="510604")


def test_the_list_answers_htmx_with_rows_only(cast: Cast) -> None:
    response = login(cast.jingyang).get("/visits/", {"q": "旌阳"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "<html" not in text and "旌阳测试人员" in text


@pytest.mark.parametrize("who", ["admin", "city_staff", "jingyang", "leader"])
def test_the_list_runs_a_fixed_number_of_queries(
    cast: Cast, who: str, django_assert_max_num_queries: Any
) -> None:
    for i in range(25):
        visit(cast, text=f"第{i}条意见")
    client = login(getattr(cast, who))
    client.get("/visits/")
    with django_assert_max_num_queries(12):
        assert client.get("/visits/").status_code == 200


@pytest.mark.parametrize("who", ["liaison", "auditor"])
def test_liaisons_and_auditors_cannot_open_visits(cast: Cast, who: str) -> None:
    client = login(getattr(cast, who))
    for url in ("/visits/", "/visits/new/", f"/visits/{cast.records.visit.pk}/"):
        assert client.get(url).status_code == 403, url


# --- the detail -----------------------------------------------------------------------------------


def test_the_detail_shows_the_opinions_with_a_button_to_turn_each_into_a_case(cast: Cast) -> None:
    text = page(login(cast.jingyang), f"/visits/{cast.records.visit.pk}/")
    assert "旌阳测试科技有限公司融资难" in text and "困难诉求" in text
    assert f"/opinions/{cast.records.opinion.pk}/to-case/" in text


def test_a_leader_reads_a_visit_without_the_buttons(cast: Cast) -> None:
    text = page(login(cast.leader), f"/visits/{cast.records.visit.pk}/")
    assert "旌阳测试科技有限公司融资难" in text and "/to-case/" not in text


# --- recording a visit ----------------------------------------------------------------------------


def test_a_district_user_records_a_visit_with_its_opinions(cast: Cast) -> None:
    response = login(cast.jingyang).post("/visits/new/", visit_form(cast, person_target(cast)))
    new = Visit.objects.latest("id")
    assert response.status_code == 302 and response["Location"] == f"/visits/{new.pk}/"
    assert new.person == cast.records.person and new.region == cast.jingyang_region
    assert list(new.opinions.values_list("kind", flat=True)) == ["difficulty", "suggestion"]


def test_an_organization_can_be_the_one_visited(cast: Cast) -> None:
    target = f"organization:{cast.records.organization.pk}"
    login(cast.jingyang).post("/visits/new/", visit_form(cast, target))
    assert Visit.objects.latest("id").organization == cast.records.organization


def test_recording_a_visit_needs_someone_visited(cast: Cast) -> None:
    before = Visit.objects.count()
    response = login(cast.jingyang).post("/visits/new/", visit_form(cast, ""))
    assert response.status_code == 200
    assert forms.TARGET_REQUIRED in response.content.decode()
    assert Visit.objects.count() == before


def test_an_opinion_with_a_class_needs_its_text(cast: Cast) -> None:
    before = Opinion.objects.count()
    data = visit_form(cast, person_target(cast), **{"opinions-1-text": ""})
    response = login(cast.jingyang).post("/visits/new/", data)
    assert forms.OPINION_TEXT_REQUIRED in response.content.decode()
    assert Opinion.objects.count() == before


def test_a_visit_cannot_be_dated_in_the_future(cast: Cast) -> None:
    data = visit_form(cast, person_target(cast), visited_on=days(1).isoformat())
    response = login(cast.jingyang).post("/visits/new/", data)
    assert forms.VISIT_IN_FUTURE in response.content.decode()


def test_the_form_comes_back_with_the_chosen_person_still_chosen(cast: Cast) -> None:
    data = visit_form(cast, person_target(cast), visitors="")
    text = login(cast.jingyang).post("/visits/new/", data).content.decode()
    assert forms.VISITORS_REQUIRED in text
    assert f'value="{person_target(cast)}" checked' in text


def test_the_form_starts_from_the_person_named_in_the_link(cast: Cast) -> None:
    text = page(login(cast.jingyang), "/visits/new/", target=person_target(cast))
    assert f'value="{person_target(cast)}" checked' in text and "旌阳测试人员" in text


def test_a_leader_cannot_record_a_visit(cast: Cast) -> None:
    client = login(cast.leader)
    assert client.get("/visits/new/").status_code == 403
    assert client.post("/visits/new/", visit_form(cast, person_target(cast))).status_code == 403


# --- the search select and the extra rows ---------------------------------------------------------


def test_the_search_select_offers_people_and_organizations_in_scope(cast: Cast) -> None:
    client = login(cast.jingyang)
    text = page(client, "/work/targets/", target_q="旌阳")
    assert person_target(cast) in text
    assert f"organization:{cast.records.organization.pk}" in text
    assert 'name="target"' in text
    text = page(client, "/work/targets/", field="requester", requester_q="jycsry")
    assert f'name="requester" value="{person_target(cast)}"' in text


def test_the_search_select_keeps_the_chosen_one_first(cast: Cast) -> None:
    text = page(
        login(cast.jingyang), "/work/targets/", target_q="新联会", target=person_target(cast)
    )
    assert text.index(person_target(cast)) < text.index("organization:")
    assert text.count(person_target(cast)) == 1


def test_archived_people_are_not_offered(cast: Cast) -> None:
    Person.objects.filter(pk=cast.records.person.pk).update(archived_at=timezone.now())
    text = page(login(cast.jingyang), "/work/targets/", target_q="旌阳测试人员")
    assert person_target(cast) not in text


def test_another_opinion_row_raises_the_form_count(cast: Cast) -> None:
    text = page(login(cast.jingyang), "/visits/opinion-row/", **{"opinions-TOTAL_FORMS": "3"})
    assert 'name="opinions-3-kind"' in text
    assert 'value="4" id="id_opinions-TOTAL_FORMS" hx-swap-oob="true"' in text


# --- 转为诉求 ---------------------------------------------------------------------------------


def test_an_opinion_becomes_a_case_with_one_click(cast: Cast) -> None:
    opinion = cast.records.opinion
    response = login(cast.jingyang).post(f"/opinions/{opinion.pk}/to-case/")
    case = Case.objects.get(opinion=opinion)
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.requester_person == cast.records.person and case.source == "visit"


def test_an_opinion_becomes_a_case_only_once(cast: Cast) -> None:
    opinion = cast.records.opinion
    client = login(cast.jingyang)
    client.post(f"/opinions/{opinion.pk}/to-case/")
    response = client.post(f"/opinions/{opinion.pk}/to-case/", follow=True)
    assert services.OPINION_ALREADY_CASE in response.content.decode()
    assert Case.objects.filter(opinion=opinion).count() == 1
    assert "已转为诉求" in page(client, f"/visits/{opinion.visit_id}/")


def test_a_leader_cannot_turn_an_opinion_into_a_case(cast: Cast) -> None:
    response = login(cast.leader).post(f"/opinions/{cast.records.opinion.pk}/to-case/")
    assert response.status_code == 403
    assert not Case.objects.filter(opinion=cast.records.opinion).exists()


# --- other districts ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_see_nothing_of_jingyang_visits(cast: Cast, who: str) -> None:
    client = login(getattr(cast, who))
    records = cast.records
    assert "旌阳" not in page(client, "/visits/")
    assert "旌阳测试人员" not in page(client, "/visits/", q="测试人员")
    assert client.get(f"/visits/{records.visit.pk}/").status_code == 404
    assert "旌阳测试人员" not in page(client, "/work/targets/", target_q="测试人员")
    assert "旌阳" not in page(client, "/visits/opinion-row/")
    assert client.post(f"/opinions/{records.opinion.pk}/to-case/").status_code == 404
    assert not Case.objects.filter(opinion=records.opinion).exists()


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_cannot_record_a_visit_to_a_jingyang_person(cast: Cast, who: str) -> None:
    before = Visit.objects.count()
    response = login(getattr(cast, who)).post("/visits/new/", visit_form(cast, person_target(cast)))
    assert response.status_code == 200
    assert forms.TARGET_OUT_OF_SCOPE in response.content.decode()
    assert Visit.objects.count() == before
