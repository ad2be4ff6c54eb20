"""/api/v1/persons: scoped lists and details, masked personal data, beliefs by line, audited
reveals, writes through the services with errors that name the field."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client

from tongxin.api.errors import INVALID_INPUT
from tongxin.api.schemas_registry import BELIEFS_FORBIDDEN, UNKNOWN_SORT
from tongxin.core import ids
from tongxin.core.access import NOT_FOUND, READ_ONLY
from tongxin.core.models import AuditAction, AuditEvent, User
from tongxin.registry import selectors, services
from tongxin.registry.models import CodeItem, Person, Tag

from ..conftest import Cast, bearer

JINGYANG_ID = ids.make_id_number("510603", dt.date(1990, 1, 1), 7, "F")
NEW_ID = ids.make_id_number("510603", dt.date(1985, 3, 9), 12, "M")
PERSON_KEYS = {
    "version",
    "id",
    "name",
    "gender",
    "gender_label",
    "ethnicity",
    "religion",
    "birth_date",
    "id_number",
    "phone",
    "region",
    "region_name",
    "employer",
    "position",
    "title",
    "education",
    "political_status",
    "categories",
    "stratum_group",
    "stratum_subtype",
    "is_representative",
    "representative_level",
    "tags",
    "political_performance",
    "notes",
    "archived",
    "updated_at",
}


def api(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=bearer(user)["HTTP_AUTHORIZATION"])


def send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def url(cast: Cast, suffix: str = "") -> str:
    return f"/api/v1/persons/{cast.records.person.pk}{suffix}"


def code(kind: str, name: str) -> CodeItem:
    return CodeItem.objects.get(kind=kind, name=name)


# --- reading ----------------------------------------------------------------------------------


def test_the_person_list_is_paged_in_the_agreed_shape(cast: Cast) -> None:
    body = api(cast.jingyang).get("/api/v1/persons", {"page": 1, "page_size": 5}).json()
    assert set(body) == {"items", "count", "page", "page_size"}
    assert (body["count"], body["page"], body["page_size"]) == (1, 1, 5)
    assert set(body["items"][0]) == PERSON_KEYS


def test_a_person_reads_with_english_keys_and_chinese_values(cast: Cast) -> None:
    body = api(cast.jingyang).get(url(cast)).json()
    assert body["name"] == "旌阳测试人员"
    assert (body["gender"], body["gender_label"], body["birth_date"]) == ("F", "女", "1990-01-01")
    assert (body["region"], body["region_name"]) == ("510603", "旌阳区")
    assert body["categories"] == ["新的社会阶层人士"]
    assert body["archived"] is False


def test_id_number_and_phone_are_always_masked(cast: Cast) -> None:
    cast.jingyang.can_reveal = True
    cast.jingyang.save(update_fields=["can_reveal"])
    client = api(cast.jingyang)
    for body in (client.get(url(cast)).json(), client.get("/api/v1/persons").json()["items"][0]):
        assert body["id_number"] == JINGYANG_ID[:6] + "********" + JINGYANG_ID[-4:]
        assert body["phone"] == "138****5678"
    content = client.get("/api/v1/persons").content.decode()
    assert JINGYANG_ID not in content and "13812345678" not in content


def test_city_staff_of_the_xinjie_line_do_not_see_ethnicity_or_religion(cast: Cast) -> None:
    body = api(cast.city_staff).get(url(cast)).json()
    assert body["name"] == "旌阳测试人员"
    assert body["ethnicity"] is None and body["religion"] is None
    item = api(cast.city_staff).get("/api/v1/persons").json()["items"][0]
    assert item["ethnicity"] is None and item["religion"] is None


def test_district_staff_see_ethnicity_and_religion(cast: Cast) -> None:
    body = api(cast.jingyang).get(url(cast)).json()
    assert (body["ethnicity"], body["religion"]) == ("回族", "伊斯兰教")


def test_another_districts_person_is_404_and_missing_from_the_list(cast: Cast) -> None:
    client = api(cast.luojiang)
    response = client.get(url(cast))
    assert response.status_code == 404
    assert response.json() == {"detail": NOT_FOUND, "code": "not_found"}
    assert client.get("/api/v1/persons").json()["count"] == 0


def test_liaisons_and_auditors_see_no_one(cast: Cast) -> None:
    for user in (cast.liaison, cast.auditor):
        client = api(user)
        assert client.get("/api/v1/persons").json()["count"] == 0
        assert client.get(url(cast)).status_code == 404


def test_the_list_filters_by_search_region_category_and_tag(cast: Cast) -> None:
    services.person_update(
        actor=None, person=cast.records.person, tags=services.tags_from_names(["骨干"])
    )
    client = api(cast.jingyang)

    def names(**params: Any) -> list[str]:
        return [p["name"] for p in client.get("/api/v1/persons", params).json()["items"]]

    assert names(q="jyc") == ["旌阳测试人员"]
    assert names(q=JINGYANG_ID) == ["旌阳测试人员"]
    assert names(q="旌陽測試") == ["旌阳测试人员"]
    assert names(region="510603") == ["旌阳测试人员"]
    assert names(category="新阶") == ["旌阳测试人员"]
    assert names(category="宗教界人士") == []
    assert names(tag="骨干") == ["旌阳测试人员"]
    assert names(organization=cast.records.organization.pk) == ["旌阳测试人员"]
    assert names(archived="true") == []


def test_a_filter_by_an_unknown_category_says_which_value_and_where_the_values_are(
    cast: Cast,
) -> None:
    response = api(cast.jingyang).get("/api/v1/persons", {"category": "外星人士"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert "“外星人士”" in body["detail"] and "GET /api/v1/codes?kind=category" in body["detail"]


def test_an_unknown_sort_is_422_listing_the_choices(cast: Cast) -> None:
    response = api(cast.jingyang).get("/api/v1/persons", {"sort": "age"})
    assert response.status_code == 422
    options = "、".join(selectors.PERSON_SORTS)
    assert response.json()["detail"] == UNKNOWN_SORT.format(value="age", options=options)


def test_a_filter_by_another_districts_region_is_404(cast: Cast) -> None:
    assert api(cast.jingyang).get("/api/v1/persons", {"region": "510604"}).status_code == 404


def test_the_person_list_runs_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    tags = services.tags_from_names(["骨干", "青年"])
    for i in range(25):
        services.person_create(
            actor=None,
            name=f"测试{i}",
            region=cast.jingyang_region,
            categories=[code("category", "新的社会阶层人士"), code("category", "党外知识分子")],
            tags=tags,
            ethnicity=code("ethnicity", "汉族"),
            political_status=code("political_status", "群众"),
        )
    for user in (cast.jingyang, cast.city_staff):
        client = api(user)
        with django_assert_max_num_queries(7):
            body = client.get("/api/v1/persons", {"page_size": 50}).json()
        assert body["count"] == 26


# --- creating ---------------------------------------------------------------------------------


def test_creating_a_person_takes_names_and_codes_and_answers_201(cast: Cast) -> None:
    response = send(
        api(cast.jingyang),
        "post",
        "/api/v1/persons",
        {
            "name": " 曾 蓉 ",
            "region": "510603",
            "id_number": NEW_ID.lower(),
            "phone": "139 0000 1111",
            "categories": ["新阶", "党外知识分子"],
            "ethnicity": "汉",
            "political_status": "民盟",
            "education": "本科",
            "stratum_group": "新媒体",
            "tags": ["骨干"],
            "employer": "德阳某公司",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert body["name"] == "曾 蓉"
    assert (body["gender"], body["birth_date"]) == ("M", "1985-03-09")
    assert body["categories"] == ["党外知识分子", "新的社会阶层人士"]
    assert (body["ethnicity"], body["political_status"]) == ("汉族", "民盟盟员")
    assert (body["education"], body["stratum_group"]) == ("大学本科", "新媒体从业人员")
    assert body["id_number"] == ids.mask_id_number(NEW_ID) and body["phone"] == "139****1111"
    assert (person.id_number, person.phone, person.created_by) == (
        NEW_ID,
        "13900001111",
        cast.jingyang,
    )
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_id=str(person.pk), actor=cast.jingyang
    ).exists()


def test_an_unknown_category_is_422_naming_the_value_and_where_the_values_are(
    cast: Cast,
) -> None:
    before = Person.objects.count()
    response = send(
        api(cast.jingyang),
        "post",
        "/api/v1/persons",
        {
            "name": "某人",
            "region": "510603",
            "categories": ["新阶", "外星人士"],
            "tags": ["新标签"],
        },
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"] == (
        "人员类别（categories）：“外星人士”不是有效的统战对象类别。"
        "可选值见 GET /api/v1/codes?kind=category。"
    )
    assert Person.objects.count() == before
    assert not Tag.objects.filter(name="新标签").exists()


def test_a_wrong_id_number_is_422_naming_the_field(cast: Cast) -> None:
    before = Person.objects.count()
    wrong = NEW_ID[:-1] + ("0" if NEW_ID[-1] != "0" else "1")
    response = send(
        api(cast.jingyang),
        "post",
        "/api/v1/persons",
        {"name": "某人", "region": "510603", "id_number": wrong},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == f"公民身份号码（id_number）：{ids.ID_CHECKSUM}"
    assert Person.objects.count() == before


def test_a_duplicate_id_number_is_422(cast: Cast) -> None:
    response = send(
        api(cast.jingyang),
        "post",
        "/api/v1/persons",
        {"name": "重复", "region": "510603", "id_number": JINGYANG_ID},
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("公民身份号码（id_number）：该身份证号已登记")


def test_a_body_without_a_name_is_422_in_the_error_shape(cast: Cast) -> None:
    response = send(api(cast.jingyang), "post", "/api/v1/persons", {"region": "510603"})
    assert response.status_code == 422
    body = response.json()
    assert (body["detail"], body["code"]) == (INVALID_INPUT, "invalid")
    assert body["details"][0]["loc"][-1] == "name"
    empty = send(api(cast.jingyang), "post", "/api/v1/persons")  # not JSON at all
    assert empty.status_code == 400 and set(empty.json()) == {"detail", "code"}


def test_a_blank_name_and_an_unknown_region_are_named_in_chinese(cast: Cast) -> None:
    client = api(cast.jingyang)
    response = send(client, "post", "/api/v1/persons", {"name": " ", "region": "999999"})
    assert response.status_code == 422
    assert "所属区域（region）：区划代码“999999”不存在" in response.json()["detail"]
    response = send(client, "post", "/api/v1/persons", {"name": " ", "region": "510603"})
    assert response.json()["detail"].startswith("姓名（name）：")


def test_a_person_in_another_district_cannot_be_created(cast: Cast) -> None:
    response = send(
        api(cast.jingyang), "post", "/api/v1/persons", {"name": "某人", "region": "510604"}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == f"所属区域（region）：{services.REGION_OUT_OF_SCOPE}"


def test_city_staff_must_give_a_category_of_their_line(cast: Cast) -> None:
    response = send(
        api(cast.city_staff),
        "post",
        "/api/v1/persons",
        {"name": "某人", "region": "510603", "categories": ["宗教界人士"]},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == f"人员类别（categories）：{services.CATEGORY_OUT_OF_LINE}"


def test_leaders_read_but_cannot_create_or_change_people(cast: Cast) -> None:
    client = api(cast.leader)
    assert client.get(url(cast)).status_code == 200
    before = Person.objects.count()
    response = send(client, "post", "/api/v1/persons", {"name": "某人", "region": "510603"})
    assert response.status_code == 403
    assert response.json() == {"detail": READ_ONLY, "code": "forbidden"}
    assert Person.objects.count() == before
    for body in ({"position": "改了"}, {}, None):
        assert send(client, "patch", url(cast), body).status_code == 403
    cast.records.person.refresh_from_db()
    assert cast.records.person.position == "总经理"


# --- changing ---------------------------------------------------------------------------------


def test_patch_changes_only_the_keys_sent(cast: Cast) -> None:
    response = send(
        api(cast.jingyang),
        "patch",
        url(cast),
        {"position": "董事长", "categories": ["新阶", "无党派"]},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["position"] == "董事长"
    assert body["categories"] == ["无党派人士", "新的社会阶层人士"]
    person = Person.objects.get(pk=cast.records.person.pk)
    assert (person.employer, person.id_number, str(person.ethnicity)) == (
        "旌阳测试科技有限公司",
        JINGYANG_ID,
        "回族",
    )


def test_a_person_read_and_sent_back_as_is_keeps_its_id_number_and_phone(cast: Cast) -> None:
    client = api(cast.jingyang)
    body = client.get(url(cast)).json()
    body["notes"] = "核实过"
    response = send(client, "patch", url(cast), body)
    assert response.status_code == 200, response.content
    person = Person.objects.get(pk=cast.records.person.pk)
    assert (person.id_number, person.phone, person.notes) == (JINGYANG_ID, "13812345678", "核实过")


def test_an_empty_patch_changes_nothing(cast: Cast) -> None:
    before = Person.objects.get(pk=cast.records.person.pk).updated_at
    empties: tuple[dict[str, Any] | None, ...] = (None, {})
    for empty in empties:
        response = send(api(cast.jingyang), "patch", url(cast), empty)
        assert response.status_code == 200
        assert response.json()["name"] == "旌阳测试人员"
    assert Person.objects.get(pk=cast.records.person.pk).updated_at == before


def test_a_refused_patch_changes_nothing(cast: Cast) -> None:
    response = send(
        api(cast.jingyang), "patch", url(cast), {"position": "董事长", "education": "幼儿园"}
    )
    assert response.status_code == 422
    assert "学历（education）：“幼儿园”不是有效的学历" in response.json()["detail"]
    assert Person.objects.get(pk=cast.records.person.pk).position == "总经理"


def test_city_staff_who_cannot_see_beliefs_cannot_write_them_nor_erase_them(cast: Cast) -> None:
    client = api(cast.city_staff)
    body = client.get(url(cast)).json()
    body["position"] = "副总经理"
    assert send(client, "patch", url(cast), body).status_code == 200  # ethnicity: null as shown
    person = Person.objects.get(pk=cast.records.person.pk)
    assert (person.position, str(person.ethnicity), str(person.religion)) == (
        "副总经理",
        "回族",
        "伊斯兰教",
    )
    response = send(client, "patch", url(cast), {"religion": "佛教"})
    assert response.status_code == 403
    assert response.json() == {"detail": BELIEFS_FORBIDDEN, "code": "forbidden"}
    assert str(Person.objects.get(pk=cast.records.person.pk).religion) == "伊斯兰教"


def test_another_districts_person_cannot_be_changed(cast: Cast) -> None:
    response = send(api(cast.luojiang), "patch", url(cast), {"position": "改了"})
    assert response.status_code == 404
    assert Person.objects.get(pk=cast.records.person.pk).position == "总经理"


def test_a_person_is_archived_with_a_reason_and_restored(cast: Cast) -> None:
    client = api(cast.jingyang)
    response = send(client, "patch", url(cast), {"archived": True})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail == f"归档原因（archive_reason）：{services.ARCHIVE_REASON_REQUIRED}"
    response = send(client, "patch", url(cast), {"archived": True, "archive_reason": "已调离"})
    assert response.json()["archived"] is True
    assert client.get("/api/v1/persons").json()["count"] == 0
    assert client.get("/api/v1/persons", {"archived": "true"}).json()["count"] == 1
    assert send(client, "patch", url(cast), {"archived": False}).json()["archived"] is False


# --- reveal -----------------------------------------------------------------------------------


def test_a_reveal_without_the_permission_is_refused_and_not_audited(cast: Cast) -> None:
    response = api(cast.jingyang).post(url(cast, "/reveal"))
    assert response.status_code == 403
    assert response.json() == {"detail": services.NOT_REVEALABLE, "code": "forbidden"}
    assert not AuditEvent.objects.filter(action=AuditAction.REVEAL).exists()


def test_a_reveal_shows_the_full_values_and_is_audited(cast: Cast) -> None:
    cast.jingyang.can_reveal = True
    cast.jingyang.save(update_fields=["can_reveal"])
    response = api(cast.jingyang).post(url(cast, "/reveal"))
    assert response.status_code == 200
    assert response.json() == {"id_number": JINGYANG_ID, "phone": "13812345678"}
    event = AuditEvent.objects.get(action=AuditAction.REVEAL)
    assert (event.actor, event.object_type, event.object_id) == (
        cast.jingyang,
        "registry.person",
        str(cast.records.person.pk),
    )


def test_a_reveal_of_another_districts_person_is_404_even_with_the_permission(
    cast: Cast,
) -> None:
    cast.luojiang.can_reveal = True
    cast.luojiang.save(update_fields=["can_reveal"])
    response = api(cast.luojiang).post(url(cast, "/reveal"))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.REVEAL).exists()


def test_leaders_cannot_reveal(cast: Cast) -> None:
    cast.leader.can_reveal = True
    cast.leader.save(update_fields=["can_reveal"])
    assert api(cast.leader).post(url(cast, "/reveal")).status_code == 403


# --- code tables: where the error messages send the user ------------------------------------


def test_the_values_of_a_code_table_are_listed_where_the_errors_say(cast: Cast) -> None:
    body = api(cast.jingyang).get("/api/v1/codes", {"kind": "category", "page_size": "50"}).json()
    assert body["count"] == 12
    first = body["items"][0]
    assert (first["name"], first["kind_label"]) == ("民主党派成员", "统战对象类别")
    xinjie = next(i for i in body["items"] if i["name"] == "新的社会阶层人士")
    assert "新阶" in xinjie["aliases"]


def test_an_unknown_code_table_is_422(cast: Cast) -> None:
    response = api(cast.jingyang).get("/api/v1/codes", {"kind": "colour"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("代码表“colour”不存在，可选：category、")
