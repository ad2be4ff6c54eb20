"""Importing rosters: a messy roster imports as a department expects, broken files are refused
with a clear sentence, and nothing is ever written in part."""

from __future__ import annotations

import datetime as dt
import os
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tongxin.core import ids, text
from tongxin.core.ids import make_id_number
from tongxin.core.models import AuditAction, AuditEvent
from tongxin.registry import (
    import_kinds,
    import_persons,
    import_readers,
    import_rows,
    importing,
    services,
)
from tongxin.registry.models import CodeItem, ImportJob, ImportStatus, Person

from ..conftest import Cast, login
from .rosters import (
    HEADER,
    Messy,
    csv_bytes,
    messy_roster,
    patch_sheet,
    upload,
    with_cached_values,
    xls_bytes,
    xlsx_bytes,
)

ID_A = make_id_number("510603", dt.date(1985, 3, 14), 21, "M")
ID_B = make_id_number("510603", dt.date(1992, 11, 2), 22, "F")


def _start(cast: Cast, name: str, data: bytes, **kwargs: Any) -> ImportJob:
    return importing.start(actor=cast.jingyang, upload=upload(name, data), **kwargs)


def _refusal(cast: Cast, name: str, data: bytes) -> str:
    persons, jobs = Person.objects.count(), ImportJob.objects.count()
    with pytest.raises(ValidationError) as caught:
        _start(cast, name, data)
    assert Person.objects.count() == persons, "a refused file wrote people"
    assert ImportJob.objects.count() == jobs, "a refused file left a job behind"
    return "".join(caught.value.messages)


def _code(kind: str, name: str) -> CodeItem:
    return CodeItem.objects.get(kind=kind, name=name)


# --- the messy roster -----------------------------------------------------------------------------


def _with_existing(cast: Cast, m: Messy) -> dict[int, Person]:
    """Register a few of the roster's people beforehand: three by ID number, one by name and
    birth date only. Their rows become duplicates instead of new records."""
    existing = {}
    rows = sorted(m.good)
    for number in rows[2:5]:
        expected = m.good.pop(number)
        existing[number] = services.person_create(
            actor=None, name=expected["name"], region=cast.jingyang_region,
            id_number=expected["id_number"], employer="旧单位",
        )  # fmt: skip
        m.duplicates.add(number)
    number = rows[6]
    expected = m.good.pop(number)
    existing[number] = services.person_create(
        actor=None, name=text.t2s(expected["name"]), region=cast.jingyang_region,
        birth_date=expected["birth_date"], employer="旧单位",
    )  # fmt: skip
    m.duplicates.add(number)
    return existing


def _check_report(job: ImportJob, m: Messy) -> None:
    report = job.report
    assert job.rows_total == m.data_rows
    assert job.rows_error == len(m.errors)
    assert job.rows_ok == m.data_rows - len(m.errors)
    found: dict[int, list[str]] = {}
    for e in report["errors"]:
        found.setdefault(e["row"], []).append(e["message"])
        assert e["column"], e
    assert set(found) == set(m.errors), sorted(set(found) ^ set(m.errors))
    for row, message in m.errors.items():
        assert message in found[row], (row, found[row])
    assert {d["row"] for d in report["duplicates"]} == m.duplicates
    assert all(d["person_id"] for d in report["duplicates"])
    warned = {w["row"] for w in report["warnings"]}
    assert m.warnings <= warned
    assert not (m.blank & (set(found) | warned)), "blank rows must be skipped silently"


def _check_people(cast: Cast, m: Messy, before: int) -> None:
    assert Person.objects.count() == before + len(m.good)
    for number, expected in m.good.items():
        person = Person.objects.filter(id_number_index__in=_indexes(expected["id_number"])).get()
        assert person.name == expected["name"], number
        assert person.region == cast.jingyang_region
        assert person.birth_date == expected["birth_date"], number
        assert person.gender == expected["gender"], number
        assert person.phone == expected["phone"], number
        assert person.employer == expected["employer"], number
        assert person.ethnicity.name == expected["ethnicity"], number
        assert person.political_status.name == expected["political_status"], number
        assert {c.name for c in person.categories.all()} == expected["categories"], number


def _indexes(number: str) -> list[str]:
    from tongxin.core import crypto

    return crypto.blind_indexes(number, purpose="id_number")


ENCODINGS = {
    "xlsx": lambda rows: ("名册.xlsx", xlsx_bytes(rows)),
    "xls": lambda rows: ("名册.xls", xls_bytes(rows)),
    "csv-utf8-bom": lambda rows: ("名册.csv", csv_bytes(rows, "utf-8-sig")),
    "csv-utf8": lambda rows: ("名册.csv", csv_bytes(rows, "utf-8")),
    "csv-gbk": lambda rows: ("名册.csv", csv_bytes(rows, "gbk")),
}


@pytest.mark.parametrize(
    ("kind", "size"),
    [("xlsx", 300), ("xls", 40), ("csv-utf8-bom", 60), ("csv-utf8", 40), ("csv-gbk", 60)],
)
def test_a_messy_roster_imports_as_a_department_expects(cast: Cast, kind: str, size: int) -> None:
    m = messy_roster(size, existing_id=cast.records.person.id_number,
                     serial_as_number=kind in ("xlsx", "xls"))  # fmt: skip
    existing = _with_existing(cast, m)
    name, data = ENCODINGS[kind](m.rows)
    job = _start(cast, name, data, region=cast.jingyang_region)
    _check_report(job, m)
    before = Person.objects.count()

    result = importing.commit(actor=cast.jingyang, job=job, on_duplicate="skip")

    assert result == {"created": len(m.good), "updated": 0, "skipped": len(m.duplicates)}
    _check_people(cast, m, before)
    for person in existing.values():
        person.refresh_from_db()
        assert person.employer == "旧单位"
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED
    assert job.result == result


def test_updating_duplicates_fills_in_what_the_file_says(cast: Cast) -> None:
    m = messy_roster(30, existing_id=cast.records.person.id_number)
    existing = _with_existing(cast, m)
    job = _start(cast, "名册.csv", csv_bytes(m.rows), region=cast.jingyang_region)
    old_categories = {c.name for c in cast.records.person.categories.all()}

    result = importing.commit(actor=cast.jingyang, job=job, on_duplicate="update")

    assert result["updated"] == len(m.duplicates) and result["skipped"] == 0
    for person in existing.values():
        person.refresh_from_db()
        assert person.employer != "旧单位"
    by_name = existing[sorted(existing)[-1]]
    assert by_name.id_number, "a record matched by name and birth date gains the file's ID"
    cast.records.person.refresh_from_db()
    assert old_categories <= {c.name for c in cast.records.person.categories.all()}
    assert cast.records.person.name == "旌阳测试人员", "the file never renames a record"


def test_a_commit_that_fails_half_way_writes_nothing(cast: Cast, monkeypatch: Any) -> None:
    m = messy_roster(40, existing_id=cast.records.person.id_number)
    job = _start(cast, "名册.xlsx", xlsx_bytes(m.rows), region=cast.jingyang_region)
    real = services.person_bulk_create
    calls = {"n": 0}

    def flaky(**kwargs: Any) -> list[Person]:
        calls["n"] += 1
        if calls["n"] == 2:  # the first batch is already in when the second fails
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(import_persons.PersonWriter, "BATCH", 5)
    monkeypatch.setattr(services, "person_bulk_create", flaky)
    persons, events = Person.objects.count(), AuditEvent.objects.count()
    with pytest.raises(importing.CommitFailed) as caught:
        importing.commit(actor=cast.jingyang, job=job)
    assert caught.value.messages == [
        importing.COMMIT_FAILED.format(reason=importing.COMMIT_CRASHED)
    ]
    assert Person.objects.count() == persons
    assert AuditEvent.objects.count() == events
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED
    assert job.report["commit_error"] == caught.value.messages[0]

    monkeypatch.setattr(services, "person_bulk_create", real)
    result = importing.commit(actor=cast.jingyang, job=job)
    assert result["created"] == len(m.good)


def test_a_row_the_service_refuses_at_commit_undoes_the_whole_import(
    cast: Cast, monkeypatch: Any
) -> None:
    rows = [["姓名", "所属区域"], ["甲", "旌阳区"], ["乙", "旌阳区"], ["丙", "旌阳区"]]
    job = _start(cast, "名册.csv", csv_bytes(rows))
    real = Person.full_clean

    def refuse_third(self: Person, *args: Any, **kwargs: Any) -> None:
        if self.name == "丙":
            raise ValidationError({"name": "模拟的拒绝"})
        real(self, *args, **kwargs)

    monkeypatch.setattr(Person, "full_clean", refuse_third)
    before = Person.objects.count()
    with pytest.raises(importing.CommitFailed) as caught:
        importing.commit(actor=cast.jingyang, job=job)
    assert "第4行无法写入（模拟的拒绝）" in caught.value.messages[0]
    assert Person.objects.count() == before


def test_a_committed_job_cannot_be_committed_twice(cast: Cast) -> None:
    job = _start(cast, "名册.csv", csv_bytes([["姓名", "区县"], ["甲", "旌阳区"]]))
    assert importing.commit(actor=cast.jingyang, job=job)["created"] == 1
    before = Person.objects.count()
    with pytest.raises(importing.AlreadyCommitted):
        importing.commit(actor=cast.jingyang, job=job)
    assert Person.objects.count() == before


def test_the_import_is_audited_in_one_summary_row(cast: Cast) -> None:
    job = _start(cast, "名册.csv", csv_bytes([["姓名", "区县"], ["甲", "旌阳区"], ["", "旌阳区"]]))
    importing.commit(actor=cast.jingyang, job=job)
    summary = AuditEvent.objects.get(object_type="registry.importjob", object_id=str(job.pk))
    assert summary.action == AuditAction.CREATE
    assert summary.actor == cast.jingyang
    assert summary.detail == importing.SUMMARY.format(
        name="名册.csv", created=1, updated=0, skipped=0, errors=1, unit="人"
    )


def test_a_roster_of_only_bad_rows_has_nothing_to_import(cast: Cast) -> None:
    job = _start(cast, "名册.csv", csv_bytes([["姓名", "区县"], ["甲", "火星区"]]))
    assert job.rows_ok == 0 and job.rows_error == 1
    with pytest.raises(ValidationError) as caught:
        importing.commit(actor=cast.jingyang, job=job)
    assert caught.value.messages == [importing.NOTHING_TO_IMPORT]


# --- columns, values, scope -----------------------------------------------------------------------


def test_headers_are_found_by_alias_and_a_title_row_above_is_allowed(cast: Cast) -> None:
    rows = [
        ["德阳市旌阳区统战对象名册"],
        ["*姓名", "证件号码", "手机", "所属区县", "文化程度", "宗教", "职称", "代表人士级别"],
        ["甲", ID_A.lower(), "13800001111", "510603", "本科", "佛教", "工程师", "市"],
    ]
    job = _start(cast, "名册.xlsx", xlsx_bytes(rows, merges=["A1:H1"]))
    assert job.report["header_row"] == 2 and not job.report["errors"]
    importing.commit(actor=cast.jingyang, job=job)
    person = Person.objects.get(name="甲")
    assert person.id_number == ID_A
    assert (person.education.name, person.religion.name) == ("大学本科", "佛教")
    assert person.representative_level.name == "市级" and person.is_representative


def test_unknown_columns_can_be_mapped_by_hand(cast: Cast) -> None:
    rows = [["姓名", "现工作单位及职务", "区县"], ["甲", "德阳某公司", "旌阳区"]]
    job = _start(cast, "名册.csv", csv_bytes(rows))
    assert job.report["unmapped"] == ["现工作单位及职务"]
    importing.remap(actor=cast.jingyang, job=job, column_map={"现工作单位及职务": "employer"})
    job.refresh_from_db()
    assert job.column_map == {"现工作单位及职务": "employer"}
    importing.commit(actor=cast.jingyang, job=job)
    assert Person.objects.get(name="甲").employer == "德阳某公司"


def test_a_field_mapped_to_two_columns_is_refused(cast: Cast) -> None:
    job = _start(
        cast, "名册.csv", csv_bytes([["姓名", "甲列", "乙列", "区县"], ["甲", "1", "2", "旌阳区"]])
    )
    with pytest.raises(ValidationError) as caught:
        importing.remap(actor=cast.jingyang, job=job,
                        column_map={"甲列": "employer", "乙列": "employer"})  # fmt: skip
    assert caught.value.messages == [
        importing.COLUMN_MAP_TWICE.format(label="工作单位", first="甲列", second="乙列")
    ]


def test_a_conflicting_gender_or_birth_date_is_a_warning_and_the_id_wins(cast: Cast) -> None:
    rows = [
        ["姓名", "性别", "出生日期", "身份证号", "区县"],
        ["甲", "女", "1980-01-01", ID_A, "旌阳区"],
    ]
    job = _start(cast, "名册.csv", csv_bytes(rows))
    messages = {w["message"] for w in job.report["warnings"]}
    assert import_rows.GENDER_CONFLICT.format(value="女", gender="男") in messages
    assert import_rows.BIRTH_CONFLICT.format(value="1980-01-01", date="1985-03-14") in messages
    assert job.rows_ok == 1
    importing.commit(actor=cast.jingyang, job=job)
    person = Person.objects.get(name="甲")
    assert (person.gender, person.birth_date) == ("M", dt.date(1985, 3, 14))


def test_a_month_only_birth_date_agrees_with_the_id(cast: Cast) -> None:
    rows = [["姓名", "出生日期", "身份证号", "区县"], ["甲", "1985.03", ID_A, "旌阳区"],
            ["乙", 1992.11, ID_B, "旌阳区"]]  # fmt: skip
    job = _start(cast, "名册.xlsx", xlsx_bytes(rows))
    assert not [w for w in job.report["warnings"] if w["column"] == "出生日期"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (32874, dt.date(1990, 1, 1)),
        ("1990.05", dt.date(1990, 5, 1)),
        ("1990年5月", dt.date(1990, 5, 1)),
        ("1990-05-01", dt.date(1990, 5, 1)),
        (dt.datetime(1990, 5, 3), dt.date(1990, 5, 3)),
        (1990.05, dt.date(1990, 5, 1)),
        ("１９９０／５／６", dt.date(1990, 5, 6)),
        (19900507, dt.date(1990, 5, 7)),
    ],
)
def test_birth_dates_without_an_id_are_read_in_every_usual_form(
    cast: Cast, cell: Any, expected: dt.date
) -> None:
    job = _start(
        cast, "名册.xlsx", xlsx_bytes([["姓名", "出生日期", "区县"], ["甲", cell, "旌阳区"]])
    )
    assert not job.report["errors"]
    importing.commit(actor=cast.jingyang, job=job)
    assert Person.objects.get(name="甲").birth_date == expected


def test_a_birth_year_alone_is_an_error(cast: Cast) -> None:
    job = _start(
        cast, "名册.csv", csv_bytes([["姓名", "出生日期", "区县"], ["甲", "1990", "旌阳区"]])
    )
    assert job.report["errors"][0]["message"] == import_rows.BIRTH_YEAR_ONLY.format(value="1990")


def test_an_id_number_excel_stored_as_a_number_is_an_error(cast: Cast) -> None:
    rows = [["姓名", "身份证号", "区县"], ["甲", float(ID_A[:17] + "0"), "旌阳区"]]
    job = _start(cast, "名册.xlsx", xlsx_bytes(rows))
    assert job.report["errors"] == [
        {"row": 2, "column": "身份证号", "message": import_rows.ID_AS_NUMBER}
    ]


def test_the_default_region_fills_empty_region_cells(cast: Cast) -> None:
    rows = [["姓名", "所属区域"], ["甲", ""], ["乙", "旌阳区"]]
    job = _start(cast, "名册.csv", csv_bytes(rows), region=cast.jingyang_region)
    assert job.rows_ok == 2
    job = _start(cast, "名册.csv", csv_bytes(rows))
    assert job.report["errors"] == [
        {"row": 2, "column": "所属区域", "message": import_rows.REGION_REQUIRED}
    ]


def test_a_default_region_outside_the_scope_is_refused(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        _start(cast, "名册.csv", csv_bytes([["姓名"], ["甲"]]), region=cast.luojiang_region)


def test_city_staff_import_only_people_of_their_lines(cast: Cast) -> None:
    rows = [
        ["姓名", "区县", "人员类别"],
        ["甲", "旌阳区", "新的社会阶层人士"],
        ["乙", "旌阳区", "宗教界人士"],
        ["丙", "旌阳区", ""],
    ]
    job = importing.start(actor=cast.city_staff, upload=upload("名册.csv", csv_bytes(rows)))
    message = import_rows.CATEGORY_OUT_OF_LINE.format(lines="新阶")
    assert [(e["row"], e["message"]) for e in job.report["errors"]] == [(3, message), (4, message)]
    assert importing.commit(actor=cast.city_staff, job=job)["created"] == 1


def test_an_id_registered_outside_the_scope_is_an_error_not_a_duplicate(cast: Cast) -> None:
    services.person_create(actor=None, name="罗江某人", region=cast.luojiang_region, id_number=ID_A)
    job = _start(
        cast, "名册.csv", csv_bytes([["姓名", "身份证号", "区县"], ["甲", ID_A, "旌阳区"]])
    )
    assert job.report["errors"][0]["message"] == import_persons.DUPLICATE_HIDDEN
    assert not job.report["duplicates"]
    assert "罗江" not in str(job.report)


def test_a_repeat_without_id_numbers_names_the_first_row(cast: Cast) -> None:
    rows = [["姓名", "出生日期", "区县"], ["甲", "1990-01-02", "旌阳区"], ["乙", "", "旌阳区"],
            ["甲", "1990.01.02", "旌阳区"]]  # fmt: skip
    job = _start(cast, "名册.csv", csv_bytes(rows))
    assert job.report["errors"] == [
        {"row": 4, "column": "姓名", "message": import_rows.REPEAT_NAME.format(row=2)}
    ]


def test_the_template_example_row_is_never_imported(cast: Cast) -> None:
    from tongxin.registry.import_template import template_bytes

    job = _start(cast, "模板.xlsx", template_bytes(import_persons.PERSONS, ["旌阳区"]))
    assert job.rows_total == 1 and job.rows_error == 1
    assert job.report["errors"][0]["message"] == import_rows.EXAMPLE_ROW


def test_the_template_has_the_headers_an_example_and_instructions(cast: Cast) -> None:
    from openpyxl import load_workbook

    response = login(cast.jingyang).get("/persons/import/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(__import__("io").BytesIO(response.content))
    assert book.sheetnames == ["名册", "填写说明", "代码表"]
    headers = [c.value for c in book["名册"][1]]
    assert headers[:6] == ["姓名", "性别", "民族", "出生日期", "公民身份号码", "手机号码"]
    assert "人员类别" in headers and "备注" in headers
    assert book["名册"]["A2"].value == "张三"
    assert book["名册"].cell(row=2, column=headers.index("所属区域") + 1).value == "旌阳区"
    assert [c.value for c in book["代码表"]["A"] if c.value] == ["所属区域", "旌阳区"]
    assert "导入说明" in book["填写说明"]["A1"].value


def test_the_report_keeps_the_first_thousand_of_each_list_and_counts_the_rest(
    cast: Cast, monkeypatch: Any
) -> None:
    monkeypatch.setattr(importing, "MAX_REPORTED", 5)
    rows = [["姓名", "区县"], *[[f"人{i}", "火星区"] for i in range(12)]]
    job = _start(cast, "名册.csv", csv_bytes(rows))
    assert len(job.report["errors"]) == 5
    assert job.report["errors_total"] == 12 and job.report["errors_more"] == 7


# --- broken files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["名册.docx", "名册.pdf", "名册.txt", "名册"])
def test_a_file_of_the_wrong_type_is_refused(cast: Cast, name: str) -> None:
    assert _refusal(cast, name, b"whatever") == import_readers.FILE_TYPE


@pytest.mark.parametrize("name", ["名册.xlsx", "名册.csv"])
def test_an_empty_file_is_refused(cast: Cast, name: str) -> None:
    assert _refusal(cast, name, b"") == import_readers.FILE_EMPTY


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv-utf8-bom", "csv-gbk"])
def test_a_header_only_file_is_refused(cast: Cast, kind: str) -> None:
    name, data = ENCODINGS[kind]([HEADER, [None] * len(HEADER)])
    assert _refusal(cast, name, data) == import_persons.NO_ROWS


def test_a_file_without_a_name_column_is_refused(cast: Cast) -> None:
    data = csv_bytes([["编号", "单位"], ["1", "某公司"]])
    assert _refusal(cast, "名册.csv", data) == importing.HEADER_MISSING.format(label="姓名")


def test_merged_cells_are_refused(cast: Cast) -> None:
    data = xlsx_bytes([["姓名", "区县"], ["甲", "旌阳区"], ["乙", None]], merges=["B2:B3"])
    assert _refusal(cast, "名册.xlsx", data) == importing.MERGED_CELLS.format(ranges="B2:B3")


def test_merged_cells_in_an_xls_are_refused(cast: Cast) -> None:
    data = xls_bytes([["姓名", "区县"], ["甲", "旌阳区"], ["乙", ""]], merges=[(1, 2, 1, 1)])
    assert _refusal(cast, "名册.xls", data) == importing.MERGED_CELLS.format(ranges="B2:B3")


def test_formulas_without_values_are_errors_and_nothing_is_written(cast: Cast) -> None:
    rows = [["姓名", "区县"], ['="张"&"三"', "旌阳区"], ['=CONCAT("李","四")', "旌阳区"]]
    job = _start(cast, "名册.xlsx", xlsx_bytes(rows))
    assert job.report["errors"] == [
        {"row": 2, "column": "姓名", "message": import_kinds.CELL_UNCALCULATED},
        {"row": 3, "column": "姓名", "message": import_kinds.CELL_UNCALCULATED},
    ]
    before = Person.objects.count()
    with pytest.raises(ValidationError):
        importing.commit(actor=cast.jingyang, job=job)
    assert Person.objects.count() == before


def test_formulas_with_values_saved_by_excel_import_their_values(cast: Cast) -> None:
    rows = [["姓名", "区县"], ['="张"&"三"', "旌阳区"]]
    data = with_cached_values(xlsx_bytes(rows), {"A2": "张三"})
    job = _start(cast, "名册.xlsx", data)
    assert not job.report["errors"]
    importing.commit(actor=cast.jingyang, job=job)
    assert Person.objects.filter(name="张三").exists()


def test_error_values_in_cells_are_reported(cast: Cast) -> None:
    rows = [["姓名", "区县", "工作单位"], ["甲", "旌阳区", "=1/0"]]
    data = patch_sheet(
        xlsx_bytes(rows),
        (r'<c r="C2"><f>1/0</f><v\s*(?:/>|>\s*</v>)', '<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v>'),
    )
    job = _start(cast, "名册.xlsx", data)
    assert job.report["errors"] == [
        {"row": 2, "column": "工作单位", "message": import_kinds.CELL_ERROR.format(value="#DIV/0!")}
    ]


@pytest.mark.parametrize("name", ["名册.csv", "名册.xlsx", "名册.xls"])
def test_ten_megabytes_of_junk_are_refused_quickly(cast: Cast, name: str) -> None:
    junk = os.urandom(10 * 1024 * 1024)
    started = time.monotonic()
    assert _refusal(cast, name, junk) == import_readers.FILE_UNREADABLE
    assert time.monotonic() - started < 3


def test_ten_megabytes_of_text_junk_are_refused_quickly(cast: Cast) -> None:
    junk = ("乱码" * 40 + "\n").encode() * (10 * 1024 * 1024 // 241)
    started = time.monotonic()
    assert _refusal(cast, "名册.csv", junk) == importing.HEADER_MISSING.format(label="姓名")
    assert time.monotonic() - started < 3


def test_a_file_over_the_size_limit_is_refused_before_reading(cast: Cast) -> None:
    data = b"a" * (import_readers.MAX_UPLOAD_BYTES + 1)
    assert _refusal(cast, "名册.csv", data) == import_readers.FILE_TOO_LARGE


def test_a_web_page_saved_as_xls_is_refused_with_advice(cast: Cast) -> None:
    data = "<html><body><table><tr><td>姓名</td></tr></table></body></html>".encode()
    assert _refusal(cast, "名册.xls", data) == import_readers.FILE_HTML


def test_a_zip_that_is_not_a_workbook_is_refused(cast: Cast) -> None:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    assert _refusal(cast, "名册.xlsx", out.getvalue()) == import_readers.FILE_UNREADABLE


def test_a_csv_broken_half_way_names_the_row(cast: Cast) -> None:
    # Past the sample the encoding is told from, so the break is met while reading rows.
    good = csv_bytes([["姓名", "区县"], *[[f"人{i}", "旌阳区"] for i in range(9000)]], "utf-8")
    broken = good + b"\xff\xfe\xfd,\xc3\n"
    message = _refusal(cast, "名册.csv", broken)
    assert message == import_readers.CSV_ENCODING_AT.format(row=9002)


def test_gbk_and_utf8_with_bom_read_the_same(cast: Cast) -> None:
    rows = [["姓名", "区县", "工作单位"], ["陳小明", "旌陽區", "德陽某公司"]]
    for encoding in ("gbk", "gb18030", "utf-8-sig", "utf-8", "utf-16"):
        job = _start(cast, "名册.csv", csv_bytes(rows, encoding))
        assert job.rows_ok == 1, (encoding, job.report)


def test_a_tab_separated_file_is_read(cast: Cast) -> None:
    data = "姓名\t区县\n甲\t旌阳区\n".encode("utf-16")
    assert _start(cast, "名册.csv", data).rows_ok == 1


# --- streaming ------------------------------------------------------------------------------------


def test_a_large_file_records_its_progress_while_it_is_checked(
    cast: Cast, monkeypatch: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(importing, "PROGRESS_EVERY", 500)
    rows = [["姓名", "区县"], *[[f"人{i}", "旌阳区"] for i in range(2000)]]
    with CaptureQueriesContext(connection) as queries:
        job = _start(cast, "名册.csv", csv_bytes(rows))
    progress = [
        q["sql"] for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and "rows_total" in q["sql"]
    ]  # fmt: skip
    assert len(progress) >= 4
    assert job.rows_total == 2000 and job.rows_ok == 2000


def test_duplicates_are_looked_up_in_as_many_queries_for_many_rows_as_for_few(
    cast: Cast,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    birth = dt.date(1990, 1, 2)
    for name in ("人1", "人3"):  # already on record by name and birth date
        services.person_create(actor=None, name=name, region=cast.jingyang_region, birth_date=birth)

    def person_reads(rows: int) -> tuple[int, int]:
        data = [
            ["姓名", "区县", "出生日期"],
            *[[f"人{i}", "旌阳区", "1990-01-02"] for i in range(rows)],
        ]
        with CaptureQueriesContext(connection) as queries:
            job = _start(cast, "名册.csv", csv_bytes(data))
        reads = [q for q in queries.captured_queries if '"registry_person"' in q["sql"]]
        return len(reads), len(job.report["duplicates"])

    assert person_reads(5) == person_reads(300) == (person_reads(5)[0], 2)


def test_reading_does_not_hold_the_rows(cast: Cast) -> None:
    import tracemalloc

    from tongxin.registry.import_readers import open_sheet

    data = csv_bytes([["姓名", "区县"], *[[f"人{i}" * 5, "旌阳区"] for i in range(50_000)]])
    import io

    tracemalloc.start()
    with open_sheet(io.BytesIO(data), "名册.csv") as sheet:
        count = sum(1 for _ in sheet.rows)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 50_001
    assert peak < 8 * 1024 * 1024, peak


def test_a_fifteen_digit_id_is_converted_with_a_warning(cast: Cast) -> None:
    old = "510603850314211"  # 1985-03-14, sequence 211
    job = _start(cast, "名册.csv", csv_bytes([["姓名", "身份证号", "区县"], ["甲", old, "旌阳区"]]))
    assert ids.ID_CONVERTED in {w["message"] for w in job.report["warnings"]}


# --- pages ----------------------------------------------------------------------------------------


def test_the_import_page_uploads_and_shows_the_preview(cast: Cast) -> None:
    client = login(cast.jingyang)
    data = csv_bytes([["姓名", "区县", "籍贯"], ["甲", "旌阳区", "绵竹"], ["乙", "火星区", ""]])
    response = client.post(
        "/persons/import/", {"file": upload("名册.csv", data), "region": cast.jingyang_region.code}
    )
    job = ImportJob.objects.get(original_name="名册.csv")
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "第3行" in page and "火星区" in page and "籍贯" in page
    response = client.post(f"/imports/{job.pk}/commit/", {"on_duplicate": "skip"})
    assert response.status_code == 302
    assert (
        Person.objects.filter(name="甲").exists() and not Person.objects.filter(name="乙").exists()
    )
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "新增 1 人" in page


def test_the_import_page_shows_a_broken_file_error_and_keeps_nothing(cast: Cast) -> None:
    client = login(cast.jingyang)
    response = client.post("/persons/import/", {"file": upload("名册.xlsx", b"not a zip")})
    assert response.status_code == 200
    assert import_readers.FILE_UNREADABLE in response.content.decode()
    assert not ImportJob.objects.filter(original_name="名册.xlsx").exists()


def test_hand_mapping_through_the_preview_page(cast: Cast) -> None:
    client = login(cast.jingyang)
    data = csv_bytes([["姓名", "区县", "现单位"], ["甲", "旌阳区", "某公司"]])
    client.post("/persons/import/", {"file": upload("名册.csv", data)})
    job = ImportJob.objects.get(original_name="名册.csv")
    columns = {c["header"]: c["index"] for c in job.report["columns"]}
    client.post(f"/imports/{job.pk}/", {f"map-{columns['现单位']}": "employer",
                                        f"map-{columns['姓名']}": "name",
                                        f"map-{columns['区县']}": "region"})  # fmt: skip
    client.post(f"/imports/{job.pk}/commit/")
    assert Person.objects.get(name="甲").employer == "某公司"


def test_committing_twice_through_the_page_says_so(cast: Cast) -> None:
    client = login(cast.jingyang)
    client.post(
        "/persons/import/",
        {"file": upload("名册.csv", csv_bytes([["姓名", "区县"], ["甲", "旌阳区"]]))},
    )
    job = ImportJob.objects.get(original_name="名册.csv")
    client.post(f"/imports/{job.pk}/commit/")
    response = client.post(f"/imports/{job.pk}/commit/", follow=True)
    assert importing.ALREADY_COMMITTED in response.content.decode()
    assert Person.objects.filter(name="甲").count() == 1


def test_the_import_page_lists_only_my_jobs_in_few_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    for i in range(5):
        _start(cast, f"名册{i}.csv", csv_bytes([["姓名", "区县"], [f"甲{i}", "旌阳区"]]))
    client = login(cast.jingyang)
    with django_assert_max_num_queries(12):
        page = client.get("/persons/import/").content.decode()
    assert "名册4.csv" in page and "旌阳名册.csv" in page
    assert "名册4.csv" not in login(cast.luojiang).get("/persons/import/").content.decode()


@pytest.mark.parametrize("who", ["leader", "liaison", "auditor"])
def test_roles_that_cannot_edit_the_registry_cannot_import(cast: Cast, who: str) -> None:
    client = login(getattr(cast, who))
    assert client.get("/persons/import/").status_code == 403
    assert client.get(f"/imports/{cast.records.job.pk}/").status_code == 403
    assert client.post(f"/imports/{cast.records.job.pk}/commit/").status_code == 403


def test_another_district_cannot_open_or_commit_my_job(cast: Cast) -> None:
    client = login(cast.luojiang)
    job = cast.records.job
    assert client.get(f"/imports/{job.pk}/").status_code == 404
    assert client.post(f"/imports/{job.pk}/commit/").status_code == 404
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED


def test_anonymous_visitors_are_sent_to_log_in(cast: Cast) -> None:
    assert Client().get("/persons/import/").status_code == 302


def test_a_running_import_reports_its_progress_to_another_request(cast: Cast) -> None:
    from tongxin.registry import progress

    token = progress.new_token()
    client = login(cast.jingyang)
    assert "正在读取文件" in client.get("/imports/progress/", {"token": token}).content.decode()
    many = importing.PROGRESS_EVERY
    rows = [["姓名", "所属区域"], *[[f"人{i}", "旌阳区"] for i in range(many)]]
    importing.start(
        actor=cast.jingyang,
        upload=SimpleUploadedFile("大名册.csv", csv_bytes(rows)),
        progress_token=token,
    )
    text = client.get("/imports/progress/", {"token": token}).content.decode()
    assert f"正在检查：已处理 {many} 行" in text
    assert login(cast.leader).get("/imports/progress/", {"token": token}).status_code == 403


def test_nul_characters_never_reach_the_database(cast: Cast) -> None:
    # PostgreSQL refuses NUL in text and jsonb: a file carrying them is refused with a reason…
    data = "姓名,所属区域\n张\x00三,旌阳区\n".encode()
    with pytest.raises(ValidationError, match="无法读取该文件"):
        importing.start(actor=cast.jingyang, upload=SimpleUploadedFile("坏字符.csv", data))
    # …and what does reach a report or a field is cleaned first.
    assert importing.json_safe({"a\x00": ["b\x00c", 1]}) == {"a": ["bc", 1]}
    assert text.clean("张\x00三") == "张三"


def test_a_category_whose_name_holds_a_separator_is_read_whole(cast: Cast) -> None:
    """华侨、归侨及侨眷 is one category although 、 also separates categories in a cell; it is
    read whole whatever separator the cell used, beside other categories."""
    qiao = _code("category", "华侨、归侨及侨眷")
    party = _code("category", "民主党派成员")
    rows = [
        ["姓名", "所属区域", "人员类别"],
        ["侨甲", "旌阳区", "华侨、归侨及侨眷"],
        ["侨乙", "旌阳区", "民主党派成员，华侨，归侨及侨眷"],
        ["侨丙", "旌阳区", "华侨、归侨、侨眷"],
    ]
    job = _start(cast, "侨界名册.csv", csv_bytes(rows))
    assert job.report["errors"] == []
    assert job.rows_ok == 3
    importing.commit(actor=cast.jingyang, job=job)
    categories = {
        p.name: set(p.categories.all()) for p in Person.objects.filter(name__startswith="侨")
    }
    assert categories == {"侨甲": {qiao}, "侨乙": {party, qiao}, "侨丙": {qiao}}
