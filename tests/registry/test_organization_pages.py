"""The organization pages: list with search and filters (query count), detail with members,
enterprise figures, designations and the standard-building checklist, and their forms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tongxin.core.models import AuditEvent, Region
from tongxin.registry import forms, services
from tongxin.registry.models import (
    CodeItem,
    Designation,
    EnterpriseFigure,
    Organization,
    StandardCheck,
)

from ..conftest import Cast, login


def code(kind: str, name: str) -> CodeItem:
    return CodeItem.objects.get(kind=kind, name=name)


def new_org(region: Region, name: str, org_type: str = "企业", **fields: Any) -> Organization:
    return services.organization_create(
        actor=None, name=name, region=region, org_type=code("org_type", org_type), **fields
    )


def page(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def org_form(region: Region, **overrides: Any) -> dict[str, Any]:
    data = {
        "name": "旌阳区天和环保科技有限公司",
        "org_type": code("org_type", "企业").pk,
        "org_subtype": code("org_subtype", "民营企业").pk,
        "region": region.pk,
        "credit_code": "91510603MA6XXXXX1K",
        "is_non_public": "on",
    }
    data.update(overrides)
    return data


# --- list -----------------------------------------------------------------------------------------


def test_the_list_searches_by_name_short_name_and_initials(cast: Cast) -> None:
    new_org(cast.luojiang_region, "罗江区金山商会", "工商联及商会", short_name="金山商会")
    client = login(cast.admin)
    assert "罗江区金山商会" in page(client, "/organizations/", q="金山")
    assert "罗江区金山商会" in page(client, "/organizations/", q="ljqjssh")
    text = page(client, "/organizations/", q="旌阳新联会")
    assert "旌阳区新的社会阶层人士联谊会" in text and "金山" not in text


def test_the_list_filters_by_region_type_and_designation(cast: Cast) -> None:
    new_org(cast.luojiang_region, "罗江区某企业")
    client = login(cast.admin)
    assert "罗江区某企业" not in page(client, "/organizations/", region="510603")
    text = page(client, "/organizations/", org_type=code("org_type", "企业").pk)
    assert "罗江区某企业" in text and "旌阳区新的社会阶层人士联谊会" not in text
    text = page(
        client, "/organizations/", designation=code("designation_kind", "同心德阳统战工作基地").pk
    )
    assert "旌阳区新的社会阶层人士联谊会" in text and "罗江区某企业" not in text


def test_the_list_answers_htmx_with_rows_only(cast: Cast) -> None:
    response = login(cast.jingyang).get("/organizations/", {"q": "新联会"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "<html" not in text and "旌阳区新的社会阶层人士联谊会" in text


def test_a_district_sees_only_its_organizations(cast: Cast) -> None:
    new_org(cast.luojiang_region, "罗江区某企业")
    text = page(login(cast.jingyang), "/organizations/")
    assert "罗江区某企业" not in text and "旌阳区新的社会阶层人士联谊会" in text
    assert (
        login(cast.luojiang).get(f"/organizations/{cast.records.organization.pk}/").status_code
        == 404
    )


@pytest.mark.parametrize("who", ["admin", "city_staff", "jingyang", "leader"])
def test_the_list_runs_a_fixed_number_of_queries(
    cast: Cast, who: str, django_assert_max_num_queries: Any
) -> None:
    kind = code("designation_kind", "同心德阳统战工作基地")
    for i in range(25):
        org = new_org(cast.jingyang_region, f"旌阳区测试联谊会{i}", "联谊组织")
        services.designation_add(
            actor=None,
            organization=org,
            kind=kind,
            designated_on=dt.date(2022, 6, 1),
            batch="第一批",
        )
    client = login(getattr(cast, who))
    client.get("/organizations/")
    with django_assert_max_num_queries(14):
        assert client.get("/organizations/").status_code == 200
    with django_assert_max_num_queries(14):
        assert (
            client.get("/organizations/", {"q": "lyh", "designation": str(kind.pk)}).status_code
            == 200
        )


@pytest.mark.parametrize("who", ["liaison", "auditor"])
def test_liaisons_and_auditors_cannot_open_organizations(cast: Cast, who: str) -> None:
    client = login(getattr(cast, who))
    assert client.get("/organizations/").status_code == 403
    assert client.get(f"/organizations/{cast.records.organization.pk}/").status_code == 403


# --- detail ---------------------------------------------------------------------------------------


def test_the_detail_shows_members_figures_designations_and_checks(cast: Cast) -> None:
    text = page(login(cast.jingyang), f"/organizations/{cast.records.organization.pk}/")
    for value in (
        "旌阳测试人员",
        "会长",
        "2022-01-01",
        "在任",
        "企业年度数据",
        "1234.50",
        "万元",
        "同心德阳统战工作基地",
        "第一批",
        "2022-06-01",
        "标准化建设",
        "1/5",
    ):
        assert value in text, value


def test_figures_are_not_offered_for_an_organization_that_is_no_enterprise(cast: Cast) -> None:
    org = new_org(cast.jingyang_region, "旌阳区某联谊会", "联谊组织")
    assert "企业年度数据" not in page(login(cast.jingyang), f"/organizations/{org.pk}/")


# --- create, edit, archive ------------------------------------------------------------------------


def test_staff_create_and_edit_an_organization(cast: Cast) -> None:
    client = login(cast.jingyang)
    response = client.post("/organizations/new/", org_form(cast.jingyang_region))
    org = Organization.objects.get(name="旌阳区天和环保科技有限公司")
    assert response.status_code == 302 and response["Location"] == f"/organizations/{org.pk}/"
    assert org.is_non_public and str(org.org_subtype) == "民营企业"
    response = client.post(
        f"/organizations/{org.pk}/edit/",
        org_form(
            cast.jingyang_region,
            short_name="天和环保",
            is_taiwan_funded="on",
            expected_version=org.version,
        ),
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.short_name == "天和环保" and org.is_taiwan_funded


def test_a_subtype_of_another_type_is_refused(cast: Cast) -> None:
    response = login(cast.jingyang).post(
        "/organizations/new/",
        org_form(cast.jingyang_region, org_subtype=code("org_subtype", "佛教寺院").pk),
    )
    assert response.status_code == 200
    assert "所选细类不属于所选组织类型" in response.content.decode()
    assert not Organization.objects.filter(name="旌阳区天和环保科技有限公司").exists()


def test_a_second_living_organization_of_the_same_name_is_refused(cast: Cast) -> None:
    response = login(cast.jingyang).post(
        "/organizations/new/", org_form(cast.jingyang_region, name="旌阳区新的社会阶层人士联谊会")
    )
    assert response.status_code == 200
    assert (
        forms.ORG_NAME_TAKEN.format(region="旌阳区", name="旌阳区新的社会阶层人士联谊会")
        in response.content.decode()
    )
    assert Organization.objects.filter(name="旌阳区新的社会阶层人士联谊会").count() == 1


def test_a_name_is_required(cast: Cast) -> None:
    response = login(cast.jingyang).post(
        "/organizations/new/", org_form(cast.jingyang_region, name="")
    )
    assert "请填写组织名称。" in response.content.decode()


def test_city_staff_are_offered_only_the_types_of_their_lines(cast: Cast) -> None:
    client = login(cast.city_staff)
    text = page(client, "/organizations/new/")
    assert "联谊组织" in text and "宗教活动场所</option>" not in text
    response = client.post("/organizations/new/", org_form(cast.jingyang_region))
    assert response.status_code == 200
    assert not Organization.objects.filter(name="旌阳区天和环保科技有限公司").exists()


def test_archiving_an_organization_keeps_it(cast: Cast) -> None:
    client = login(cast.jingyang)
    org = cast.records.organization
    client.post(f"/organizations/{org.pk}/archive/", {"reason": ""})
    org.refresh_from_db()
    assert not org.is_archived
    client.post(f"/organizations/{org.pk}/archive/", {"reason": "已注销"})
    org.refresh_from_db()
    assert org.is_archived and org.archive_reason == "已注销"
    page(client, f"/organizations/{org.pk}/")  # clears the message naming it
    assert "旌阳区新的社会阶层人士联谊会" not in page(client, "/organizations/")
    assert "旌阳区新的社会阶层人士联谊会" in page(client, "/organizations/", archived="on")


# --- figures, designations, checks ----------------------------------------------------------------


def test_figures_are_one_row_per_year(cast: Cast) -> None:
    client = login(cast.jingyang)
    org = cast.records.organization
    url = f"/organizations/{org.pk}/figures/new/"
    assert client.post(url, {"year": 2023, "revenue": "2000.5", "employees": 30}).status_code == 302
    assert client.post(url, {"year": 2022, "revenue": "999", "tax": "12.3"}).status_code == 302
    figures = {f.year: f for f in EnterpriseFigure.objects.filter(organization=org)}
    assert set(figures) == {2022, 2023}
    assert figures[2022].revenue == Decimal("999") and figures[2022].tax == Decimal("12.3")
    response = client.post(
        f"/figures/{figures[2023].pk}/edit/",
        {
            "year": 1999,
            "revenue": "2100",
            "employees": 31,
            "expected_version": figures[2023].version,
        },
    )
    assert response.status_code == 302
    figures[2023].refresh_from_db()
    assert (figures[2023].year, figures[2023].revenue) == (2023, Decimal("2100"))


def test_a_negative_figure_is_refused(cast: Cast) -> None:
    response = login(cast.jingyang).post(
        f"/organizations/{cast.records.organization.pk}/figures/new/",
        {"year": 2023, "revenue": "-5"},
    )
    assert response.status_code == 200
    assert not EnterpriseFigure.objects.filter(year=2023).exists()


def test_a_designation_is_added_and_revoked(cast: Cast) -> None:
    client = login(cast.jingyang)
    org = cast.records.organization
    response = client.post(
        f"/organizations/{org.pk}/designations/new/",
        {
            "kind": code("designation_kind", "民族团结进步示范单位").pk,
            "batch": "第二批",
            "designated_on": "2023-05-01",
            "issuer": "市民宗局",
        },
    )
    assert response.status_code == 302
    designation = Designation.objects.get(organization=org, batch="第二批")
    response = client.post(
        f"/designations/{designation.pk}/edit/",
        {
            "kind": designation.kind_id,
            "batch": "第二批",
            "designated_on": "2023-05-01",
            "revoked_on": "2023-01-01",
            "expected_version": designation.version,
        },
    )
    assert "撤销日期不能早于命名日期" in response.content.decode()
    response = client.post(
        f"/designations/{designation.pk}/edit/",
        {
            "kind": designation.kind_id,
            "batch": "第二批",
            "designated_on": "2023-05-01",
            "revoked_on": "2024-12-31",
            "expected_version": designation.version,
        },
    )
    assert response.status_code == 302
    designation.refresh_from_db()
    assert designation.revoked_on == dt.date(2024, 12, 31)
    assert "2024-12-31 撤销" in page(client, f"/organizations/{org.pk}/")


def test_the_standard_check_is_one_row_per_year(cast: Cast) -> None:
    client = login(cast.jingyang)
    org = cast.records.organization
    response = client.post(
        f"/organizations/{org.pk}/checks/new/",
        {
            "year": 2022,
            "has_charter": "on",
            "has_council": "on",
            "has_venue": "on",
        },
    )
    assert response.status_code == 302
    check = StandardCheck.objects.get(organization=org, year=2022)
    assert check.items_met == 3 and check.pk == cast.records.standard_check.pk
    client.post(
        f"/checks/{check.pk}/edit/",
        {
            "year": 2022,
            "has_charter": "on",
            "has_activities": "on",
            "notes": "已整改",
            "expected_version": check.version,
        },
    )
    check.refresh_from_db()
    assert check.items_met == 2 and check.notes == "已整改"


# --- read-only ------------------------------------------------------------------------------------


def test_a_leader_reads_but_every_write_is_403(cast: Cast) -> None:
    client = login(cast.leader)
    r = cast.records
    o = r.organization.pk
    text = page(client, f"/organizations/{o}/")
    assert "旌阳区新的社会阶层人士联谊会" in text and "编辑" not in text
    before = AuditEvent.objects.count()
    for method, url, data in [
        ("get", "/organizations/new/", {}),
        ("post", "/organizations/new/", org_form(cast.jingyang_region)),
        ("get", f"/organizations/{o}/edit/", {}),
        ("post", f"/organizations/{o}/archive/", {"reason": "x"}),
        ("post", f"/organizations/{o}/figures/new/", {"year": 2023}),
        ("get", f"/figures/{r.figure.pk}/edit/", {}),
        ("post", f"/organizations/{o}/designations/new/", {}),
        ("get", f"/designations/{r.designation.pk}/edit/", {}),
        ("post", f"/organizations/{o}/checks/new/", {"year": 2023}),
        ("post", f"/checks/{r.standard_check.pk}/edit/", {"year": 2022}),
    ]:
        assert getattr(client, method)(url, data).status_code == 403, (method, url)
    assert AuditEvent.objects.count() == before
