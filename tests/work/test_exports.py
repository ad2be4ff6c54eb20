"""Every work list exports as .xlsx and CSV, with its filters, in scope, audited."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tongxin.core.models import AuditAction, AuditEvent
from tongxin.work import exports
from tongxin.work import services_activities as activities

from ..conftest import Cast, login
from ..work_records import activity_type

# (list, a 旌阳 record's text that the export must hold)
LISTS = [
    ("activities", "旌阳区民营企业家面对面恳谈会"),
    ("outputs", "旌阳区新阶人士调研报告"),
    ("trainings", "旌阳区新阶人士培训班"),
    ("secondments", "旌阳区某街道办事处"),
    ("dual-reports", "旌阳走访报告"),
    ("visits", "旌阳区委统战部走访组"),
    ("cases", "旌阳企业用地手续诉求"),
]


def _csv(response: object) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(body)))


def _xlsx(response: object) -> list[list[object]]:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    return [list(row) for row in book.active.iter_rows(values_only=True)]


@pytest.mark.parametrize(("name", "marker"), LISTS)
def test_each_list_exports_its_records_with_exporter_filter_and_header(
    cast: Cast, name: str, marker: str
) -> None:
    response = login(cast.jingyang).get(f"/{name}/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0][0].startswith("导出人：旌阳人员（t_jingyang）")
    assert rows[1][0].startswith("筛选条件：")
    assert rows[2] == [c.label for c in exports.LISTS[name].columns(cast.jingyang)]
    assert any(marker in cell for row in rows[3:] for cell in row)
    xlsx = login(cast.jingyang).get(f"/{name}/export.xlsx")
    assert xlsx.status_code == 200
    assert any(marker in str(cell) for row in _xlsx(xlsx)[3:] for cell in row)


def test_an_export_holds_what_the_filtered_list_shows_and_says_the_filter(cast: Cast) -> None:
    activities.activity_create(
        actor=cast.jingyang,
        type=activity_type("宣讲"),
        title="旌阳区政策宣讲会",
        date=dt.date(2023, 3, 1),
        region=cast.jingyang_region,
    )
    type_ = activity_type("宣讲")
    rows = _csv(login(cast.jingyang).get("/activities/export.csv", {"type": type_.pk}))
    assert "活动类型：宣讲" in rows[1][0] and "共 1 场" in rows[1][0]
    assert [r[2] for r in rows[3:]] == ["旌阳区政策宣讲会"]


def test_every_export_writes_one_audit_row_with_the_count(cast: Cast) -> None:
    before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    login(cast.jingyang).get("/activities/export.xlsx")
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("id")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == before + 1
    assert event.object_type == "work.activity" and event.actor == cast.jingyang
    assert event.changes["数量"] == [None, 1] and event.changes["格式"] == [None, "xlsx"]


def test_a_cell_that_looks_like_a_formula_stays_text(cast: Cast) -> None:
    activities.activity_create(
        actor=cast.jingyang,
        type=activity_type("宣讲"),
        title='=HYPERLINK("http://x","旌阳")',
        date=dt.date(2023, 3, 1),
        region=cast.jingyang_region,
    )
    rows = _csv(login(cast.jingyang).get("/activities/export.csv"))
    assert '\'=HYPERLINK("http://x","旌阳")' in [r[2] for r in rows[3:]]


@pytest.mark.parametrize(("name", "marker"), LISTS)
def test_another_district_exports_none_of_jingyangs_records(
    cast: Cast, name: str, marker: str
) -> None:
    for who in (cast.luojiang, cast.outsider):
        rows = _csv(login(who).get(f"/{name}/export.csv"))
        assert not any(marker in cell for row in rows for cell in row)
        assert rows[3:] == []


def test_roles_without_the_list_cannot_export_it(cast: Cast) -> None:
    assert login(cast.auditor).get("/activities/export.csv").status_code == 403
    assert login(cast.liaison).get("/trainings/export.xlsx").status_code == 403
    assert login(cast.leader).get("/trainings/export.xlsx").status_code == 200


def test_a_liaison_exports_only_their_units_cases(cast: Cast) -> None:
    rows = _csv(login(cast.liaison).get("/cases/export.csv"))
    assert rows[3:] == []  # no case of 旌阳 is assigned to 市委网信办
