"""/api/v1/organizations and /api/v1/memberships: scoped, paged, written through the services."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.test import Client

from tongxin.api.schemas_registry import (
    CONSTRAINT_MESSAGES,
    ORGANIZATION_NOT_FOUND,
    PERSON_NOT_FOUND,
)
from tongxin.core.access import NOT_FOUND, READ_ONLY
from tongxin.core.models import AuditAction, AuditEvent, User
from tongxin.registry import services
from tongxin.registry.models import CodeItem, Membership, Organization, Person

from ..conftest import Cast, bearer

ORGANIZATION_KEYS = {
    "version",
    "id",
    "name",
    "short_name",
    "org_type",
    "org_subtype",
    "region",
    "region_name",
    "credit_code",
    "address",
    "founded_on",
    "legal_registration",
    "legal_registration_label",
    "is_non_public",
    "is_taiwan_funded",
    "is_overseas_funded",
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


def org_url(cast: Cast, suffix: str = "") -> str:
    return f"/api/v1/organizations/{cast.records.organization.pk}{suffix}"


def membership_url(cast: Cast) -> str:
    return f"/api/v1/memberships/{cast.records.membership.pk}"


def code(kind: str, name: str) -> CodeItem:
    return CodeItem.objects.get(kind=kind, name=name)


# --- organizations ----------------------------------------------------------------------------


def test_the_organization_list_is_paged_in_the_agreed_shape(cast: Cast) -> None:
    body = api(cast.jingyang).get("/api/v1/organizations", {"page_size": 5}).json()
    assert set(body) == {"items", "count", "page", "page_size"}
    # The 新联会 and the enterprise of the work records (tests/work_records.py).
    assert body["count"] == 2
    assert set(body["items"][0]) == ORGANIZATION_KEYS


def test_an_organization_reads_with_english_keys_and_chinese_values(cast: Cast) -> None:
    body = api(cast.city_staff).get(org_url(cast)).json()
    assert body["name"] == "旌阳区新的社会阶层人士联谊会"
    assert (body["short_name"], body["org_type"], body["org_subtype"]) == (
        "旌阳新联会",
        "联谊组织",
        None,
    )
    assert (body["region"], body["region_name"], body["archived"]) == ("510603", "旌阳区", False)


def test_the_organization_list_filters_by_search_type_region_and_designation(cast: Cast) -> None:
    client = api(cast.jingyang)

    def names(**params: Any) -> list[str]:
        return [o["name"] for o in client.get("/api/v1/organizations", params).json()["items"]]

    assert names(q="旌阳新联会") == ["旌阳区新的社会阶层人士联谊会"]
    assert names(org_type="联谊会") == ["旌阳区新的社会阶层人士联谊会"]
    assert names(org_type="企业") == ["旌阳测试企业有限公司"]
    assert names(org_type="宗教活动场所") == []
    assert names(designation="同心德阳基地") == ["旌阳区新的社会阶层人士联谊会"]
    assert names(region="510603", org_type="联谊组织") == ["旌阳区新的社会阶层人士联谊会"]
    response = client.get("/api/v1/organizations", {"org_type": "飞船"})
    assert response.status_code == 422 and "“飞船”" in response.json()["detail"]


def test_another_districts_organization_is_404_with_its_figures_and_designations(
    cast: Cast,
) -> None:
    client = api(cast.luojiang)
    for suffix in ("", "/figures", "/designations"):
        response = client.get(org_url(cast, suffix))
        assert response.status_code == 404, suffix
        assert response.json() == {"detail": NOT_FOUND, "code": "not_found"}
    assert client.get("/api/v1/organizations").json()["count"] == 0


def test_liaisons_and_auditors_see_no_organization_nor_membership(cast: Cast) -> None:
    for user in (cast.liaison, cast.auditor):
        client = api(user)
        assert client.get("/api/v1/organizations").json()["count"] == 0
        assert client.get("/api/v1/memberships").json()["count"] == 0
        assert client.get(org_url(cast)).status_code == 404
        assert client.get(membership_url(cast)).status_code == 404


def test_figures_are_decimal_strings_in_wan_yuan(cast: Cast) -> None:
    services.figure_save(
        actor=None,
        organization=cast.records.organization,
        year=2023,
        revenue=Decimal("2000"),
        tax=Decimal("12.3"),
        employees=80,
    )
    body = api(cast.jingyang).get(org_url(cast, "/figures")).json()
    assert set(body) == {"items", "count", "page", "page_size"}
    assert [
        (f["year"], f["revenue"], f["tax"], f["employees"], f["rd_spend"]) for f in body["items"]
    ] == [
        (2023, "2000.00", "12.30", 80, None),
        (2022, "1234.50", None, None, None),
    ]


def test_designations_list_kind_batch_and_date(cast: Cast) -> None:
    body = api(cast.jingyang).get(org_url(cast, "/designations")).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["kind"], item["batch"], item["designated_on"], item["revoked_on"]) == (
        "同心德阳统战工作基地",
        "第一批",
        "2022-06-01",
        None,
    )


def test_creating_an_organization_takes_names_and_answers_201(cast: Cast) -> None:
    response = send(
        api(cast.jingyang),
        "post",
        "/api/v1/organizations",
        {
            "name": "旌阳区某科技有限公司",
            "org_type": "民营企业",
            "org_subtype": "台资企业",
            "region": "510603",
            "legal_registration": "已登记",
            "is_taiwan_funded": True,
            "founded_on": "2015-04-01",
            "credit_code": "91510603ma00000000",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["org_type"], body["org_subtype"]) == ("企业", "台资企业")
    assert (body["legal_registration"], body["legal_registration_label"]) == (
        "registered",
        "已登记",
    )
    assert (body["is_taiwan_funded"], body["founded_on"], body["credit_code"]) == (
        True,
        "2015-04-01",
        "91510603MA00000000",
    )
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_id=str(body["id"]), object_type="registry.organization"
    ).exists()


def test_an_organization_of_the_same_name_in_the_same_region_is_refused(cast: Cast) -> None:
    before = Organization.objects.count()
    response = send(
        api(cast.jingyang),
        "post",
        "/api/v1/organizations",
        {
            "name": "旌阳区新的社会阶层人士联谊会",
            "org_type": "联谊组织",
            "region": "510603",
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"] == CONSTRAINT_MESSAGES["organization_unique_live_name"]
    assert Organization.objects.count() == before


def test_an_unknown_org_type_is_422_naming_the_value_and_where_the_values_are(
    cast: Cast,
) -> None:
    response = send(
        api(cast.jingyang),
        "post",
        "/api/v1/organizations",
        {"name": "某组织", "org_type": "飞船", "region": "510603"},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "组织类型（org_type）：“飞船”不是有效的组织类型。可选值见 GET /api/v1/codes?kind=org_type。"
    )


def test_city_staff_create_organizations_of_their_line_only(cast: Cast) -> None:
    response = send(
        api(cast.city_staff),
        "post",
        "/api/v1/organizations",
        {"name": "某企业", "org_type": "企业", "region": "510603"},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == f"组织类型（org_type）：{services.ORG_TYPE_OUT_OF_LINE}"


def test_patching_an_organization_changes_only_the_keys_sent(cast: Cast) -> None:
    response = send(
        api(cast.jingyang),
        "patch",
        org_url(cast),
        {"address": "旌阳区某路1号", "legal_registration": "in_progress"},
    )
    assert response.status_code == 200, response.content
    org = Organization.objects.get(pk=cast.records.organization.pk)
    assert (org.address, org.legal_registration, org.short_name) == (
        "旌阳区某路1号",
        "in_progress",
        "旌阳新联会",
    )
    response = send(api(cast.jingyang), "patch", org_url(cast), {"legal_registration": "也许"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("法人登记（legal_registration）：请填写")


def test_an_organization_is_archived_with_a_reason_and_restored(cast: Cast) -> None:
    client = api(cast.jingyang)
    assert send(client, "patch", org_url(cast), {"archived": True}).status_code == 422
    body = send(client, "patch", org_url(cast), {"archived": True, "archive_reason": "已注销"})
    assert body.json()["archived"] is True
    listed = [o["id"] for o in client.get("/api/v1/organizations").json()["items"]]
    assert cast.records.organization.pk not in listed
    assert send(client, "patch", org_url(cast), {"archived": False}).json()["archived"] is False


def test_leaders_read_organizations_but_cannot_write(cast: Cast) -> None:
    client = api(cast.leader)
    assert client.get(org_url(cast)).status_code == 200
    response = send(
        client,
        "post",
        "/api/v1/organizations",
        {"name": "某组织", "org_type": "联谊组织", "region": "510603"},
    )
    assert response.status_code == 403 and response.json()["detail"] == READ_ONLY
    for body in ({"address": "改了"}, {}, None):
        assert send(client, "patch", org_url(cast), body).status_code == 403
    assert Organization.objects.get(pk=cast.records.organization.pk).address == ""


def test_another_districts_organization_cannot_be_changed(cast: Cast) -> None:
    response = send(api(cast.luojiang), "patch", org_url(cast), {"address": "改了"})
    assert response.status_code == 404
    assert Organization.objects.get(pk=cast.records.organization.pk).address == ""


def test_the_organization_list_runs_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    for i in range(20):
        services.organization_create(
            actor=None,
            name=f"测试组织{i}",
            region=cast.jingyang_region,
            org_type=code("org_type", "联谊组织"),
        )
    client = api(cast.city_staff)
    with django_assert_max_num_queries(5):
        body = client.get("/api/v1/organizations", {"page_size": 50}).json()
    assert body["count"] == 21


# --- memberships ------------------------------------------------------------------------------


def test_memberships_list_by_person_and_by_organization(cast: Cast) -> None:
    client = api(cast.jingyang)
    for params in (
        {"person": cast.records.person.pk},
        {"organization": cast.records.organization.pk},
        {},
    ):
        body = client.get("/api/v1/memberships", params).json()
        assert body["count"] == 1, params
    item = body["items"][0]
    assert item == {
        "id": cast.records.membership.pk,
        "version": cast.records.membership.version,
        "person": cast.records.person.pk,
        "person_name": "旌阳测试人员",
        "organization": cast.records.organization.pk,
        "organization_name": "旌阳区新的社会阶层人士联谊会",
        "role": "会长",
        "term_start": "2022-01-01",
        "term_end": None,
        "notes": "",
        "is_current": True,
    }
    assert client.get(membership_url(cast)).json() == item


def test_another_districts_membership_is_404_and_missing_from_the_list(cast: Cast) -> None:
    client = api(cast.luojiang)
    assert client.get(membership_url(cast)).status_code == 404
    assert client.get("/api/v1/memberships").json()["count"] == 0


def test_adding_a_member_answers_201(cast: Cast) -> None:
    person = services.person_create(
        actor=None,
        name="新会员",
        region=cast.jingyang_region,
        categories=[code("category", "新的社会阶层人士")],
    )
    response = send(
        api(cast.jingyang),
        "post",
        "/api/v1/memberships",
        {
            "person": person.pk,
            "organization": cast.records.organization.pk,
            "role": "副会长",
            "term_start": "2023-01-01",
            "term_end": "2027-12-31",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["person_name"], body["role"], body["term_end"]) == (
        "新会员",
        "副会长",
        "2027-12-31",
    )
    assert Membership.objects.filter(person=person, role="副会长").exists()


def test_a_term_ending_before_it_starts_is_refused(cast: Cast) -> None:
    before = Membership.objects.count()
    response = send(
        api(cast.jingyang),
        "post",
        "/api/v1/memberships",
        {
            "person": cast.records.person.pk,
            "organization": cast.records.organization.pk,
            "term_start": "2023-01-01",
            "term_end": "2022-01-01",
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"] == CONSTRAINT_MESSAGES["membership_term_ordered"]
    assert Membership.objects.count() == before


def test_a_member_out_of_scope_is_422_naming_person_and_organization(cast: Cast) -> None:
    before = Membership.objects.count()
    response = send(
        api(cast.luojiang),
        "post",
        "/api/v1/memberships",
        {
            "person": cast.records.person.pk,
            "organization": cast.records.organization.pk,
        },
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert f"人员（person）：{PERSON_NOT_FOUND.format(value=cast.records.person.pk)}" in detail
    assert (
        f"组织（organization）：{ORGANIZATION_NOT_FOUND.format(value=cast.records.organization.pk)}"
    ) in detail
    assert "旌阳" not in detail
    assert Membership.objects.count() == before


def test_patching_a_membership_ends_a_term(cast: Cast) -> None:
    response = send(
        api(cast.jingyang),
        "patch",
        membership_url(cast),
        {"term_end": "2024-12-31", "role": "名誉会长"},
    )
    assert response.status_code == 200, response.content
    membership = Membership.objects.get(pk=cast.records.membership.pk)
    assert (membership.term_end, membership.role) == (dt.date(2024, 12, 31), "名誉会长")
    assert response.json()["is_current"] is False


def test_leaders_cannot_add_or_change_members(cast: Cast) -> None:
    client = api(cast.leader)
    assert client.get(membership_url(cast)).status_code == 200
    response = send(
        client,
        "post",
        "/api/v1/memberships",
        {
            "person": cast.records.person.pk,
            "organization": cast.records.organization.pk,
        },
    )
    assert response.status_code == 403
    for body in ({"role": "改了"}, None):
        assert send(client, "patch", membership_url(cast), body).status_code == 403
    assert Membership.objects.get(pk=cast.records.membership.pk).role == "会长"


def test_another_districts_membership_cannot_be_changed(cast: Cast) -> None:
    response = send(api(cast.luojiang), "patch", membership_url(cast), {"role": "改了"})
    assert response.status_code == 404
    assert Membership.objects.get(pk=cast.records.membership.pk).role == "会长"


def test_the_membership_list_runs_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    for i in range(20):
        person = services.person_create(
            actor=None,
            name=f"会员{i}",
            region=cast.jingyang_region,
            categories=[code("category", "新的社会阶层人士")],
        )
        services.membership_add(actor=None, person=person, organization=cast.records.organization)
    client = api(cast.city_staff)
    with django_assert_max_num_queries(4):
        body = client.get("/api/v1/memberships", {"page_size": 50}).json()
    assert body["count"] == 21
    assert Person.objects.count() == 21
