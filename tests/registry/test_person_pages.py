"""The person pages: list (search, filters, columns, masking, query count), detail with every
section and the change history, create and edit with Chinese messages, archive, restore, merge,
reveal, and the small forms for memberships, arrangements, honours and reviews."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tongxin.core import ids
from tongxin.core.audit import SECRET_MARK
from tongxin.core.ids import make_id_number
from tongxin.core.models import AuditAction, AuditEvent, Region
from tongxin.registry import forms, services
from tongxin.registry.models import (
    AnnualReview,
    CodeItem,
    Honour,
    Membership,
    Organization,
    Person,
    PoliticalArrangement,
)

from ..conftest import Cast, login

ID_1 = make_id_number("510603", dt.date(1978, 3, 5), 21, "F")


def code(kind: str, name: str) -> CodeItem:
    return CodeItem.objects.get(kind=kind, name=name)


def new_person(region: Region, name: str = "曾蓉", **fields: Any) -> Person:
    fields.setdefault("categories", [code("category", "新的社会阶层人士")])
    return services.person_create(actor=None, name=name, region=region, **fields)


def page(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def person_form(region: Region, **overrides: Any) -> dict[str, Any]:
    data = {
        "name": "曾蓉",
        "region": region.pk,
        "id_number": ID_1,
        "phone": "139 0000 1111",
        "employer": "四川德阳网联科技有限公司",
        "position": "董事长",
        "categories": [code("category", "新的社会阶层人士").pk],
        "political_status": code("political_status", "无党派人士").pk,
        "tags": "重点联系、青年",
        "political_performance": "积极参加统战活动。",
    }
    data.update(overrides)
    return data


# --- the list -------------------------------------------------------------------------------------


def test_the_list_masks_phones_and_id_numbers(cast: Cast) -> None:
    text = page(login(cast.jingyang), "/persons/", cols=["phone", "id_number"])
    person = cast.records.person
    assert "旌阳测试人员" in text
    assert "138****5678" in text and person.id_number_masked in text
    assert "13812345678" not in text and person.id_number not in text


def test_the_list_searches_by_pinyin_initials(cast: Cast) -> None:
    new_person(cast.jingyang_region)
    client = login(cast.jingyang)
    assert "曾蓉" in page(client, "/persons/", q="zr")
    assert "曾蓉" not in page(client, "/persons/", q="jycsry")


def test_the_list_answers_htmx_with_rows_only(cast: Cast) -> None:
    response = login(cast.admin).get("/persons/", {"q": "旌阳"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "<html" not in text and "旌阳测试人员" in text
    assert "/persons/export.xlsx?q=" in text  # the export buttons follow the search


def test_the_list_filters_by_region_category_organization_and_tag(cast: Cast) -> None:
    other = new_person(
        cast.luojiang_region,
        name="罗江人员",
        categories=[code("category", "宗教界人士")],
        tags=services.tags_from_names(["青年"]),
    )
    client = login(cast.admin)
    assert "罗江人员" not in page(client, "/persons/", region="510603")
    assert "罗江人员" in page(client, "/persons/", region="510604")
    assert "罗江人员" not in page(
        client, "/persons/", category=code("category", "新的社会阶层人士").pk
    )
    text = page(client, "/persons/", organization=cast.records.organization.pk)
    assert "旌阳测试人员" in text and "罗江人员" not in text
    text = page(client, "/persons/", tag="青年")
    assert "罗江人员" in text and "旌阳测试人员" not in text
    assert other.pk


def test_the_list_ignores_filter_values_out_of_scope(cast: Cast) -> None:
    text = page(login(cast.luojiang), "/persons/", region="510603")
    assert "旌阳" not in text


def test_the_chosen_columns_are_kept_in_the_query_string(cast: Cast) -> None:
    text = page(login(cast.admin), "/persons/", cols=["employer", "religion"])
    assert "旌阳测试科技有限公司" in text and "伊斯兰教" in text
    assert "<th>出生日期</th>" not in text
    assert "cols=employer&amp;cols=religion" in text  # in the export links


def test_the_default_columns_leave_out_religion(cast: Cast) -> None:
    text = page(login(cast.admin), "/persons/")
    assert "<th>手机号码</th>" in text and "<th>宗教信仰</th>" not in text


def test_city_staff_of_another_line_are_not_offered_religion_or_ethnicity(cast: Cast) -> None:
    client = login(cast.city_staff)
    text = page(client, "/persons/", cols=["religion", "ethnicity", "employer"])
    assert "伊斯兰教" not in text and "回族" not in text and "旌阳测试科技有限公司" in text
    detail = page(client, f"/persons/{cast.records.person.pk}/")
    assert "伊斯兰教" not in detail and "宗教信仰" not in detail


def test_the_list_sorts_and_pages(cast: Cast) -> None:
    for i in range(25):
        new_person(cast.jingyang_region, name=f"阿{chr(0x4E00 + i)}")
    client = login(cast.jingyang)
    text = page(client, "/persons/", size=50)
    assert "共 26 条" in text and "下一页" not in text.split("共 26 条")[1][:200]
    assert "第 1 / 2 页" in page(client, "/persons/")
    assert page(client, "/persons/", sort="updated").count("/persons/") > 20


@pytest.mark.parametrize("who", ["admin", "city_staff", "jingyang"])
def test_the_organization_filter_offers_what_a_plain_choice_field_would(
    cast: Cast, who: str
) -> None:
    from django import forms as django_forms

    from tongxin.core import access

    user = getattr(cast, who)
    visible = access.scope(user, Organization.objects.filter(archived_at__isnull=True))
    chosen = visible.order_by("-pk").first()
    assert chosen is not None
    form = forms.PersonListForm(user, {"organization": str(chosen.pk)})
    field = form.fields["organization"]
    plain = django_forms.ModelChoiceField(
        field.queryset,  # type: ignore[attr-defined]
        required=False,
        empty_label=field.empty_label,  # type: ignore[attr-defined]
    )
    plain.widget.attrs = dict(field.widget.attrs)
    expected = plain.widget.render("organization", chosen.pk, attrs={"id": "id_organization"})
    assert str(form["organization"]) == expected
    assert f'value="{chosen.pk}" selected' in expected
    assert expected.count("<option") == visible.count() + 1


@pytest.mark.parametrize("who", ["admin", "city_staff", "jingyang", "leader"])
def test_the_list_runs_a_fixed_number_of_queries(
    cast: Cast, who: str, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        new_person(
            cast.jingyang_region,
            name=f"测试{i}",
            tags=services.tags_from_names([f"标签{i % 3}"]),
            phone=f"1390000{i:04d}",
        )
    client = login(getattr(cast, who))
    params: dict[str, Any] = {"cols": [c.key for c in forms.PERSON_COLUMNS], "size": 100}
    client.get("/persons/", params)
    with django_assert_max_num_queries(18):
        assert client.get("/persons/", params).status_code == 200
    with django_assert_max_num_queries(18):
        assert client.get("/persons/", {"q": "cs", **params}).status_code == 200


# --- detail ---------------------------------------------------------------------------------------


def test_the_detail_shows_every_section(cast: Cast) -> None:
    text = page(login(cast.jingyang), f"/persons/{cast.records.person.pk}/")
    for section in (
        "基本信息",
        "统战类别",
        "组织任职",
        "政治安排",
        "荣誉",
        "年度考核",
        "主要政治表现",
        "备注",
        "变更记录",
    ):
        assert section in text, section
    for value in (
        "旌阳区新的社会阶层人士联谊会",
        "会长",
        "第十届（旌阳）",
        "旌阳区优秀新阶人士",
        "优秀",
        "138****5678",
        "伊斯兰教",
    ):
        assert value in text, value
    assert "13812345678" not in text


def test_other_districts_get_404_for_a_person(cast: Cast) -> None:
    assert login(cast.luojiang).get(f"/persons/{cast.records.person.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["liaison", "auditor"])
def test_liaisons_and_auditors_cannot_open_the_registry(cast: Cast, who: str) -> None:
    client = login(getattr(cast, who))
    assert client.get("/persons/").status_code == 403
    assert client.get(f"/persons/{cast.records.person.pk}/").status_code == 403


def test_the_history_shows_who_changed_what(cast: Cast) -> None:
    client = login(cast.jingyang)
    person = cast.records.person
    response = client.post(
        f"/persons/{person.pk}/edit/",
        person_form(
            cast.jingyang_region,
            name=person.name,
            id_number="",
            phone="13900002222",
            position="董事长",
            categories=[c.pk for c in person.categories.all()],
            expected_version=Person.objects.get(pk=person.pk).version,
        ),
    )
    assert response.status_code == 302
    text = page(client, f"/persons/{person.pk}/")
    assert "旌阳人员" in text and "<del>总经理</del> → <ins>董事长</ins>" in text
    assert SECRET_MARK in text and "13900002222" not in text


def test_the_history_keeps_a_deleted_honour(cast: Cast) -> None:
    client = login(cast.jingyang)
    honour = cast.records.honour
    assert client.post(f"/honours/{honour.pk}/delete/").status_code == 302
    assert not Honour.objects.filter(pk=honour.pk).exists()
    text = page(client, f"/persons/{cast.records.person.pk}/")
    assert "删除" in text and "荣誉：旌阳区优秀新阶人士" in text


# --- create and edit ------------------------------------------------------------------------------


def test_staff_create_a_person(cast: Cast) -> None:
    response = login(cast.jingyang).post("/persons/new/", person_form(cast.jingyang_region))
    person = Person.objects.get(name="曾蓉")
    assert response.status_code == 302 and response["Location"] == f"/persons/{person.pk}/"
    assert (person.id_number, person.phone, person.gender) == (ID_1, "13900001111", "F")
    assert {t.name for t in person.tags.all()} == {"重点联系", "青年"}
    assert person.created_by == cast.jingyang


def test_a_bad_id_number_is_shown_on_the_form_and_nothing_is_saved(cast: Cast) -> None:
    bad = ID_1[:-1] + ("0" if ID_1[-1] != "0" else "1")
    response = login(cast.jingyang).post(
        "/persons/new/", person_form(cast.jingyang_region, id_number=bad, tags="新标签")
    )
    assert response.status_code == 200
    assert ids.ID_CHECKSUM in response.content.decode()
    assert not Person.objects.filter(name="曾蓉").exists()
    assert not AuditEvent.objects.filter(object_repr="新标签").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, forms.NAME_REQUIRED),
        ({"categories": []}, forms.CATEGORY_REQUIRED),
        ({"phone": "12345"}, ids.PHONE_INVALID),
    ],
)
def test_the_form_says_what_to_fix(cast: Cast, overrides: dict[str, Any], message: str) -> None:
    response = login(cast.jingyang).post(
        "/persons/new/", person_form(cast.jingyang_region, **overrides)
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert Person.objects.count() == 1


def test_a_duplicate_id_number_names_the_existing_record(cast: Cast) -> None:
    client = login(cast.jingyang)
    client.post("/persons/new/", person_form(cast.jingyang_region))
    response = client.post("/persons/new/", person_form(cast.jingyang_region, name="曾蓉二"))
    assert "该身份证号已登记为“曾蓉”" in response.content.decode()


def test_a_district_is_only_offered_its_own_regions(cast: Cast) -> None:
    client = login(cast.luojiang)
    text = page(client, "/persons/new/")
    assert "罗江区" in text and "旌阳区" not in text
    response = client.post("/persons/new/", person_form(cast.jingyang_region))
    assert response.status_code == 200 and not Person.objects.filter(name="曾蓉").exists()


def test_the_edit_form_never_shows_the_full_id_number_or_phone(cast: Cast) -> None:
    person = cast.records.person
    text = page(login(cast.jingyang), f"/persons/{person.pk}/edit/")
    assert forms.KEEP_UNCHANGED in text and person.id_number_masked in text
    assert person.id_number not in text and "13812345678" not in text


def test_leaving_the_id_number_empty_on_edit_keeps_it(cast: Cast) -> None:
    person = cast.records.person
    old = person.id_number
    response = login(cast.jingyang).post(
        f"/persons/{person.pk}/edit/",
        person_form(
            cast.jingyang_region,
            name="旌阳测试人员甲",
            id_number="",
            phone="",
            categories=[c.pk for c in person.categories.all()],
            expected_version=Person.objects.get(pk=person.pk).version,
        ),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.id_number, person.phone) == ("旌阳测试人员甲", old, "13812345678")


def test_city_staff_keep_categories_outside_their_lines(cast: Cast) -> None:
    person = new_person(
        cast.jingyang_region,
        name="双类别",
        categories=[code("category", "新的社会阶层人士"), code("category", "宗教界人士")],
    )
    client = login(cast.city_staff)
    text = page(client, f"/persons/{person.pk}/edit/")
    assert "宗教界人士" not in text.split("人员类别 *")[1].split("新阶类别")[0]
    response = client.post(
        f"/persons/{person.pk}/edit/",
        person_form(
            cast.jingyang_region,
            name="双类别",
            id_number="",
            phone="",
            categories=[code("category", "新的社会阶层人士").pk],
            expected_version=Person.objects.get(pk=person.pk).version,
        ),
    )
    assert response.status_code == 302
    assert {c.name for c in person.categories.all()} == {"新的社会阶层人士", "宗教界人士"}


# --- archive, restore, merge ----------------------------------------------------------------------


def test_archive_needs_a_reason_and_restore_brings_it_back(cast: Cast) -> None:
    client = login(cast.jingyang)
    person = cast.records.person
    response = client.post(f"/persons/{person.pk}/archive/", {"reason": ""}, follow=True)
    assert services.ARCHIVE_REASON_REQUIRED in response.content.decode()
    person.refresh_from_db()
    assert not person.is_archived
    client.post(f"/persons/{person.pk}/archive/", {"reason": "已调离本市"})
    person.refresh_from_db()
    assert person.is_archived and person.archive_reason == "已调离本市"
    page(client, f"/persons/{person.pk}/")  # shows (and clears) the message naming the person
    assert "旌阳测试人员" not in page(client, "/persons/")
    assert "旌阳测试人员" in page(client, "/persons/", archived="on")
    assert "已调离本市" in page(client, f"/persons/{person.pk}/")
    client.post(f"/persons/{person.pk}/restore/")
    person.refresh_from_db()
    assert not person.is_archived


def test_archive_and_restore_answer_only_post(cast: Cast) -> None:
    client = login(cast.jingyang)
    person = cast.records.person
    assert client.get(f"/persons/{person.pk}/archive/").status_code == 405
    assert client.get(f"/persons/{person.pk}/restore/").status_code == 405


def test_a_merge_compares_then_keeps_one_record(cast: Cast) -> None:
    client = login(cast.jingyang)
    keep = cast.records.person
    drop = new_person(
        cast.jingyang_region, name="旌阳测试人员", phone="13900001111", title="高级工程师"
    )
    text = page(client, f"/persons/{keep.pk}/merge/")
    assert f"?other={drop.pk}" in text  # same-name records are offered at once
    text = page(client, f"/persons/{keep.pk}/merge/", other=drop.pk)
    assert "高级工程师" in text and "139****1111" in text and "13900001111" not in text
    response = client.post(f"/persons/{keep.pk}/merge/", {"other": drop.pk, "keep": "this"})
    assert response.status_code == 302 and response["Location"] == f"/persons/{keep.pk}/"
    drop.refresh_from_db()
    keep.refresh_from_db()
    assert drop.merged_into == keep and keep.title == "高级工程师"
    assert Membership.objects.filter(person=keep).count() == 1


def test_a_merge_can_keep_the_other_record(cast: Cast) -> None:
    client = login(cast.jingyang)
    this = cast.records.person
    other = new_person(cast.jingyang_region, name="旌阳测试人员")
    client.post(f"/persons/{this.pk}/merge/", {"other": other.pk, "keep": "other"})
    this.refresh_from_db()
    assert this.merged_into == other
    assert Membership.objects.get(pk=cast.records.membership.pk).person == other


def test_a_merge_with_someone_out_of_scope_is_404(cast: Cast) -> None:
    other = new_person(cast.luojiang_region, name="罗江人员")
    client = login(cast.jingyang)
    assert (
        client.get(f"/persons/{cast.records.person.pk}/merge/", {"other": other.pk}).status_code
        == 404
    )
    assert (
        client.post(
            f"/persons/{cast.records.person.pk}/merge/", {"other": other.pk, "keep": "this"}
        ).status_code
        == 404
    )
    other.refresh_from_db()
    assert not other.is_archived


# --- reveal ---------------------------------------------------------------------------------------


def test_reveal_swaps_in_the_full_values_and_is_audited(cast: Cast) -> None:
    cast.jingyang.can_reveal = True
    cast.jingyang.save()
    client = login(cast.jingyang)
    person = cast.records.person
    assert "显示完整身份证号和手机号" in page(client, f"/persons/{person.pk}/")
    response = client.post(f"/persons/{person.pk}/reveal/", HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text
    assert person.id_number in text and "13812345678" in text
    event = AuditEvent.objects.get(action=AuditAction.REVEAL)
    assert event.actor == cast.jingyang and event.object_id == str(person.pk)


def test_reveal_without_htmx_shows_the_detail_page_with_the_values(cast: Cast) -> None:
    cast.jingyang.can_reveal = True
    cast.jingyang.save()
    response = login(cast.jingyang).post(f"/persons/{cast.records.person.pk}/reveal/")
    text = response.content.decode()
    assert response.status_code == 200 and "13812345678" in text and "变更记录" in text


@pytest.mark.parametrize("who", ["jingyang", "leader", "admin"])
def test_reveal_without_the_permission_shows_nothing(cast: Cast, who: str) -> None:
    client = login(getattr(cast, who))
    person = cast.records.person
    assert "显示完整身份证号和手机号" not in page(client, f"/persons/{person.pk}/")
    response = client.post(f"/persons/{person.pk}/reveal/", follow=True)
    text = response.content.decode()
    assert services.NOT_REVEALABLE in text and "13812345678" not in text
    assert client.post(f"/persons/{person.pk}/reveal/", HTTP_HX_REQUEST="true").status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.REVEAL).exists()


# --- memberships, arrangements, honours, reviews --------------------------------------------------


def test_a_membership_is_added_and_ended(cast: Cast) -> None:
    client = login(cast.jingyang)
    person = new_person(cast.jingyang_region)
    response = client.post(
        f"/persons/{person.pk}/memberships/new/",
        {
            "organization": cast.records.organization.pk,
            "role": "理事",
            "term_start": "2021-06-01",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(person=person)
    response = client.post(
        f"/memberships/{membership.pk}/end/", {"term_end": "2020-01-01"}, follow=True
    )
    assert forms.TERM_ORDER in response.content.decode()
    membership.refresh_from_db()
    assert membership.term_end is None
    client.post(f"/memberships/{membership.pk}/end/", {"term_end": "2024-06-30"})
    membership.refresh_from_db()
    assert membership.term_end == dt.date(2024, 6, 30)
    assert "已卸任" in page(client, f"/persons/{person.pk}/")


def test_ending_a_membership_without_a_date_ends_it_today(cast: Cast) -> None:
    membership = cast.records.membership
    response = login(cast.jingyang).post(
        f"/memberships/{membership.pk}/end/", {"back": "organization"}
    )
    assert response["Location"] == f"/organizations/{membership.organization_id}/"
    membership.refresh_from_db()
    assert membership.term_end == dt.date.today()


def test_a_membership_term_must_end_after_it_starts(cast: Cast) -> None:
    person = new_person(cast.jingyang_region)
    response = login(cast.jingyang).post(
        f"/persons/{person.pk}/memberships/new/",
        {
            "organization": cast.records.organization.pk,
            "role": "理事",
            "term_start": "2021-06-01",
            "term_end": "2020-06-01",
        },
    )
    assert response.status_code == 200 and forms.TERM_ORDER in response.content.decode()
    assert not Membership.objects.filter(person=person).exists()


def test_arrangements_honours_and_reviews_are_added_and_removed(cast: Cast) -> None:
    client = login(cast.jingyang)
    person = new_person(cast.jingyang_region)
    base = f"/persons/{person.pk}"
    assert (
        client.post(
            f"{base}/arrangements/new/",
            {
                "kind": code("arrangement_kind", "政协委员").pk,
                "level": "city",
                "term": "第九届",
                "role": "委员",
                "start_year": 2022,
            },
        ).status_code
        == 302
    )
    assert (
        client.post(f"{base}/honours/new/", {"title": "优秀新阶人士", "year": 2023}).status_code
        == 302
    )
    assert (
        client.post(f"{base}/reviews/new/", {"year": 2023, "result": "excellent"}).status_code
        == 302
    )
    text = page(client, f"{base}/")
    assert "第九届" in text and "优秀新阶人士" in text and "2023年" in text
    arrangement = PoliticalArrangement.objects.get(person=person)
    review = AnnualReview.objects.get(person=person)
    assert client.post(f"/arrangements/{arrangement.pk}/delete/").status_code == 302
    assert client.post(f"/reviews/{review.pk}/delete/").status_code == 302
    assert not PoliticalArrangement.objects.filter(person=person).exists()
    assert not AnnualReview.objects.filter(person=person).exists()


def test_a_second_review_for_a_year_is_refused(cast: Cast) -> None:
    response = login(cast.jingyang).post(
        f"/persons/{cast.records.person.pk}/reviews/new/", {"year": 2022, "result": "competent"}
    )
    assert response.status_code == 200
    assert forms.REVIEW_EXISTS.format(year=2022) in response.content.decode()
    assert AnnualReview.objects.filter(person=cast.records.person).count() == 1


def test_an_arrangement_with_years_reversed_is_refused(cast: Cast) -> None:
    response = login(cast.jingyang).post(
        f"/persons/{cast.records.person.pk}/arrangements/new/",
        {
            "kind": code("arrangement_kind", "人大代表").pk,
            "level": "county",
            "term": "第八届",
            "start_year": 2022,
            "end_year": 2020,
        },
    )
    assert response.status_code == 200 and forms.YEAR_ORDER in response.content.decode()


# --- read-only and refused roles ------------------------------------------------------------------


def _writes(cast: Cast) -> list[tuple[str, str, dict[str, Any]]]:
    r = cast.records
    p = r.person.pk
    return [
        ("get", "/persons/new/", {}),
        ("post", "/persons/new/", person_form(cast.jingyang_region)),
        ("get", f"/persons/{p}/edit/", {}),
        ("post", f"/persons/{p}/edit/", person_form(cast.jingyang_region)),
        ("post", f"/persons/{p}/archive/", {"reason": "离开"}),
        ("post", f"/persons/{p}/restore/", {}),
        ("get", f"/persons/{p}/merge/", {}),
        ("get", f"/persons/{p}/arrangements/new/", {}),
        ("post", f"/arrangements/{r.arrangement.pk}/delete/", {}),
        ("post", f"/persons/{p}/honours/new/", {"title": "x"}),
        ("post", f"/honours/{r.honour.pk}/delete/", {}),
        ("post", f"/persons/{p}/reviews/new/", {"year": 2023, "result": "excellent"}),
        ("post", f"/reviews/{r.review.pk}/delete/", {}),
        ("post", f"/persons/{p}/memberships/new/", {"organization": r.organization.pk}),
        ("post", f"/memberships/{r.membership.pk}/end/", {}),
    ]


def test_a_leader_reads_but_every_write_is_403(cast: Cast) -> None:
    client = login(cast.leader)
    person = cast.records.person
    text = page(client, f"/persons/{person.pk}/")
    assert "旌阳测试人员" in text and "编辑" not in text and "归档原因" not in text
    before = AuditEvent.objects.count()
    for method, url, data in _writes(cast):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (method, url)
    assert AuditEvent.objects.count() == before
    assert "只读" in client.get("/persons/new/").content.decode()


def test_the_sidebar_links_the_registry(cast: Cast) -> None:
    text = page(login(cast.jingyang), "/")
    assert 'href="/persons/"' in text and 'href="/organizations/"' in text
    assert 'href="/persons/import/"' in text and 'href="/codes/"' not in text
    leader = page(login(cast.leader), "/")
    assert 'href="/persons/"' in leader and 'href="/persons/import/"' not in leader
    assert 'href="/persons/"' not in page(login(cast.liaison), "/")
    assert 'href="/codes/"' in page(login(cast.admin), "/")


def test_the_workbench_counts_people_and_organizations_in_scope(cast: Cast) -> None:
    new_person(cast.luojiang_region, name="罗江人员")
    text = page(login(cast.jingyang), "/")
    assert "统战对象" in text
    figures = text.split('统战对象</div><div class="value">')[1]
    assert figures.startswith("1<")
