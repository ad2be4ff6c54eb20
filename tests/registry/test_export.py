"""Exporting a filtered person list: .xlsx and CSV open in a spreadsheet with masked values, no
live formulas, the exporter and time on top, and one audit row."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpResponse
from openpyxl import load_workbook

from tongxin.core.ids import make_id_number, mask_id_number, mask_phone
from tongxin.core.models import AuditAction, AuditEvent
from tongxin.registry import exporting, services
from tongxin.registry.models import CodeItem, Person

from ..conftest import Cast, login

ID = make_id_number("510603", dt.date(1988, 8, 8), 31, "M")
NASTY = {
    "employer": '=HYPERLINK("http://evil","点我")',
    "position": "+cmd|' /C calc'!A0",
    "title": "-2+3",
    "notes": "@SUM(1,2)",
    "political_performance": "\t=1+1",
}


def _body(response: HttpResponse) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content


def _sheet(response: HttpResponse) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(_body(response)))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def _csv(response: HttpResponse) -> list[list[str]]:
    body = _body(response)
    assert body.startswith("\ufeff".encode()), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def nasty(cast: Cast) -> Person:
    category = CodeItem.objects.get(kind="category", name="新的社会阶层人士")
    return services.person_create(
        actor=None, name="=1+2", region=cast.jingyang_region, id_number=ID,
        phone="13911112222", categories=[category], **NASTY,
    )  # fmt: skip


def _rows_by_name(rows: list[list[Any]]) -> dict[str, list[Any]]:
    return {row[0]: row for row in rows[3:]}


def test_an_xlsx_export_opens_with_masked_values_and_no_live_formulas(
    cast: Cast, nasty: Person
) -> None:
    cols = "id_number,phone,employer,position,title,notes,political_performance"
    response = login(cast.jingyang).get("/persons/export.xlsx", {"columns": cols})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(_body(response)))
    rows = [list(row) for row in book.active.iter_rows(values_only=True)]
    assert rows[0][0].startswith("导出人：旌阳人员（t_jingyang）") and "导出时间：" in rows[0][0]
    assert rows[1][0].startswith("筛选条件：全部；共 2 人；" + exporting.MASKED_NOTE)
    assert rows[2] == ["姓名", "公民身份号码", "手机号码", "工作单位", "职务", "职称", "备注",
                       "主要政治表现"]  # fmt: skip
    row = _rows_by_name(rows)["'=1+2"]
    assert row[1] == mask_id_number(ID) and row[2] == mask_phone("13911112222")
    assert row[3:] == ["'" + NASTY[k] for k in ("employer", "position", "title", "notes",
                                                  "political_performance")]  # fmt: skip
    assert all(cell.data_type != "f" for r in book.active.iter_rows() for cell in r)
    assert ID not in str(rows) and "13911112222" not in str(rows)


def test_a_csv_export_has_a_bom_masked_values_and_neutralized_cells(
    cast: Cast, nasty: Person
) -> None:
    response = login(cast.jingyang).get(
        "/persons/export.csv", {"columns": ["id_number", "phone", "employer"]}
    )
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv(response)
    assert rows[0][0].startswith("导出人：") and rows[2] == ["姓名", "公民身份号码", "手机号码",
                                                            "工作单位"]  # fmt: skip
    row = _rows_by_name(rows)["'=1+2"]
    assert row == ["'=1+2", mask_id_number(ID), mask_phone("13911112222"), "'" + NASTY["employer"]]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_every_export_is_audited_with_its_filter_and_count(
    cast: Cast, nasty: Person, fmt: str
) -> None:
    before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    response = login(cast.jingyang).get(f"/persons/export.{fmt}", {"q": "测试"})
    rows = _sheet(response) if fmt == "xlsx" else _csv(response)
    assert [r[0] for r in rows[3:]] == ["旌阳测试人员"]
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT)
    assert events.count() == before + 1
    event = events.latest("at")
    assert event.actor == cast.jingyang and event.object_type == "registry.person"
    assert event.changes["人数"] == [None, 1] and event.changes["格式"] == [None, fmt]
    assert "关键词“测试”" in event.detail and "已脱敏" in event.detail


def test_an_unmasked_export_needs_the_reveal_permission_and_says_so(
    cast: Cast, nasty: Person
) -> None:
    client = login(cast.jingyang)
    assert client.get("/persons/export.xlsx", {"unmasked": "1"}).status_code == 403
    cast.jingyang.can_reveal = True
    cast.jingyang.save(update_fields=["can_reveal"])
    response = client.get("/persons/export.csv", {"unmasked": "1", "columns": "id_number,phone"})
    rows = _csv(response)
    assert _rows_by_name(rows)["'=1+2"] == ["'=1+2", ID, "13911112222"]
    assert exporting.UNMASKED_NOTE in rows[1][0]
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("at")
    assert "未脱敏" in event.detail and event.changes["脱敏"] == [None, "否"]


def test_beliefs_are_exported_only_to_roles_whose_line_needs_them(cast: Cast) -> None:
    cols = {"columns": "ethnicity,religion,employer"}
    rows = _sheet(login(cast.jingyang).get("/persons/export.xlsx", cols))
    assert rows[2] == ["姓名", "民族", "宗教信仰", "工作单位"]
    assert _rows_by_name(rows)["旌阳测试人员"][1:3] == ["回族", "伊斯兰教"]
    rows = _sheet(login(cast.city_staff).get("/persons/export.xlsx", cols))
    assert rows[2] == ["姓名", "工作单位"]
    assert "伊斯兰教" not in str(rows)


def test_the_person_lists_columns_and_filters_carry_into_the_export(cast: Cast) -> None:
    services.person_create(actor=None, name="另一人", region=cast.jingyang_region)
    category = CodeItem.objects.get(kind="category", name="新的社会阶层人士")
    response = login(cast.jingyang).get(
        "/persons/export.csv", {"cols": ["employer", "representative"], "category": category.pk}
    )
    rows = _csv(response)
    assert rows[2] == ["姓名", "工作单位", "是否代表人士", "代表人士级别"]
    assert [r[0] for r in rows[3:]] == ["旌阳测试人员"]
    assert "人员类别：新的社会阶层人士" in rows[1][0]


def test_the_default_columns_are_sensible(cast: Cast) -> None:
    rows = _sheet(login(cast.jingyang).get("/persons/export.xlsx"))
    assert rows[2] == [exporting.COLUMNS[c][0] for c in ("name", *exporting.DEFAULT_COLUMNS[1:])]


def test_another_district_exports_none_of_jingyangs_people(cast: Cast) -> None:
    for fmt in ("xlsx", "csv"):
        response = login(cast.luojiang).get(f"/persons/export.{fmt}")
        assert response.status_code == 200
        rows = _sheet(response) if fmt == "xlsx" else _csv(response)
        assert len(rows) == 3 and "旌阳" not in str(rows[1:])
    response = login(cast.luojiang).get("/persons/export.xlsx", {"region": "510603"})
    assert "旌阳测试人员" not in str(_sheet(response))


@pytest.mark.parametrize("who", ["liaison", "auditor", "outsider"])
def test_roles_outside_the_registry_cannot_export(cast: Cast, who: str) -> None:
    response = login(getattr(cast, who)).get("/persons/export.xlsx")
    if who == "outsider":  # a district user of another city: an empty list, never Deyang's
        assert "旌阳" not in str(_sheet(response))
    else:
        assert response.status_code == 403


def test_a_large_export_streams_in_few_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    for i in range(60):
        services.person_create(actor=None, name=f"人{i}", region=cast.jingyang_region)
    client = login(cast.jingyang)
    with django_assert_max_num_queries(20):
        rows = _csv(client.get("/persons/export.csv", {"cols": "categories,tags"}))
    assert len(rows) == 3 + 61


def test_neutralize_covers_every_formula_start() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert exporting.neutralize(start + "x") == "'" + start + "x"
    assert exporting.neutralize("张三") == "张三"
    assert exporting.neutralize("") == ""


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_libreoffice_opens_the_export_with_masked_values_and_no_live_formulas(
    cast: Cast, nasty: Person, tmp_path: Path, fmt: str
) -> None:
    cols = "id_number,phone,employer,title,notes"
    response = login(cast.jingyang).get(f"/persons/export.{fmt}", {"columns": cols})
    source = tmp_path / f"export.{fmt}"
    source.write_bytes(_body(response))
    out = tmp_path / "out"
    command = [
        shutil.which("soffice") or "soffice",
        f"-env:UserInstallation=file://{tmp_path}/profile",
        "--headless",
        *(["--infilter=CSV:44,34,76,1"] if fmt == "csv" else []),
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76",
        "--outdir",
        str(out),
        str(source),
    ]
    # LibreOffice recalculates on load: a live formula would show its result, not its text.
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)  # noqa: S603
    if "could not be loaded" in done.stderr + done.stdout:
        pytest.skip("LibreOffice Calc is not installed")
    rows = list(csv.reader(io.StringIO((out / f"{source.stem}.csv").read_text("utf-8-sig"))))
    assert rows[0][0].startswith("导出人：")
    row = next(r for r in rows if r and r[0].endswith("=1+2"))
    assert row[1:3] == [mask_id_number(ID), mask_phone("13911112222")]
    assert row[3].endswith(NASTY["employer"])
    assert row[4].endswith("-2+3") and row[5].endswith("@SUM(1,2)")
    assert "3" not in (row[0], row[4], row[5]), "a formula was calculated"
