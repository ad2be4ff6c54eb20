"""统计报表: people by district × category, organizations by district × type, work by district ×
month, with totals equal to their metrics, on screen and as .xlsx (audited)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.conftest import Cast, login
from tongxin.core.models import AuditAction, AuditEvent
from tongxin.insight import metrics, tables
from tongxin.insight.metrics import Period
from tongxin.registry import services as registry
from tongxin.registry.models import CodeItem, CodeKind
from tongxin.work import services_activities as activities

from .helpers import activity_type


def _category(name: str) -> CodeItem:
    return CodeItem.objects.get(kind=CodeKind.CATEGORY, name=name)


def _row(table: tables.CrossTable, label: str) -> tables.CrossRow:
    return next(r for r in table.rows if r.label == label)


def test_people_by_district_and_category(cast: Cast) -> None:
    registry.person_create(
        actor=None,
        name="罗江两类人员",
        region=cast.luojiang_region,
        categories=[_category("民主党派成员"), _category("党外知识分子")],
    )
    table = tables.people(cast.leader, cast.city, Period.year(2022))
    columns = table.columns
    jingyang, luojiang = _row(table, "旌阳区"), _row(table, "罗江区")
    assert jingyang.total == 1
    assert jingyang.cells[columns.index("新的社会阶层人士")] == 1
    assert luojiang.total == 1  # one person, counted once in the total …
    assert luojiang.cells[columns.index("民主党派成员")] == 1  # … and once in each category
    assert luojiang.cells[columns.index("党外知识分子")] == 1
    assert table.totals.total == metrics.measure("persons_total", user=cast.leader).value == 2
    assert table.rows[-1].label == "德阳市本级"
    assert table.rows[-2].label == "德阳经开区"  # functional areas after the districts


def test_a_district_sees_one_row_of_its_own(cast: Cast) -> None:
    table = tables.people(cast.luojiang, cast.luojiang_region, Period.year(2022))
    assert [r.label for r in table.rows] == ["罗江区"]
    assert table.totals.total == 0


def test_organizations_by_district_and_type(cast: Cast) -> None:
    table = tables.organizations(cast.leader, cast.city, Period.year(2022))
    jingyang = _row(table, "旌阳区")
    # The cast's 新联会 and its enterprise.
    assert jingyang.cells[table.columns.index("联谊组织")] == 1
    assert jingyang.cells[table.columns.index("企业")] == 1
    assert table.totals.total == metrics.measure("organizations_total", user=cast.leader).value


def test_work_by_district_and_month(cast: Cast) -> None:
    activities.activity_create(
        actor=cast.admin,
        type=activity_type("座谈会"),
        title="市级座谈会",
        date=dt.date(2022, 6, 20),
        region=cast.city,
    )
    table = tables.work(cast.leader, cast.city, Period.year(2022))
    assert table.columns[5] == "6月"
    assert _row(table, "旌阳区").cells[5] == 1
    assert _row(table, "德阳市本级").cells[5] == 1
    assert table.totals.cells[5] == 2 and table.totals.total == 2
    assert (
        table.totals.total == metrics.measure("activities_held", user=cast.leader, year=2022).value
    )
    # A month's cell is a figure of its own: it opens its records.
    june = _row(table, "旌阳区").cell_urls[5]
    assert june == "/metrics/activities_held/records/?year=2022&month=6&region=510603"
    assert login(cast.leader).get(june).context["page"].paginator.count == 1


@pytest.mark.parametrize("page", ["people", "organizations", "work"])
def test_the_pages_and_their_excel(cast: Cast, page: str) -> None:
    client = login(cast.leader)
    response = client.get(f"/tables/{page}/", {"year": 2022})
    assert response.status_code == 200
    assert "合计" in response.content.decode()
    download = client.get(f"/tables/{page}/", {"year": 2022, "format": "xlsx"})
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[2][0] == "区域" and rows[2][-1] == "合计"
    assert rows[-1][0] == "合计"
    assert "旌阳区" in [r[0] for r in rows]
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="insight.table").get()
    assert event.actor == cast.leader
    assert client.get(f"/tables/{page}/", {"format": "pdf"}).status_code == 404


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_see_no_jingyang(cast: Cast, who: str) -> None:
    client = login(getattr(cast, who))
    for page in ("people", "organizations", "work"):
        response = client.get(f"/tables/{page}/", {"year": 2022})
        assert response.status_code == 200
        assert "旌阳" not in response.content.decode()
        assert client.get(f"/tables/{page}/", {"region": "510603"}).status_code == 404


def test_liaisons_and_auditors_have_no_tables(cast: Cast) -> None:
    for who in (cast.liaison, cast.auditor):
        assert login(who).get("/tables/people/").status_code == 403
    assert Client().get("/tables/people/").status_code == 302


@pytest.mark.parametrize("page", ["people", "organizations", "work"])
def test_a_table_runs_a_fixed_number_of_queries(
    cast: Cast, page: str, django_assert_max_num_queries: Any
) -> None:
    client = login(cast.leader)
    client.get(f"/tables/{page}/")
    with django_assert_max_num_queries(14):
        assert client.get(f"/tables/{page}/", {"year": 2022}).status_code == 200
