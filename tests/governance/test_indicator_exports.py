"""A round's ranking out as .xlsx and .docx: the list as published (50强: fifty rows), what was
evaluated and how, Chinese fonts in the document, and an audit row for every export."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from tongxin.core.models import AuditAction, AuditEvent
from tongxin.governance import exports_indicators as exports
from tongxin.governance import services_rounds as rounds
from tongxin.governance.models import EvaluationRound
from tongxin.registry import services as registry

from ..conftest import Cast
from .indicator_records import computed_round, enterprise, revenue_set, weighted_set


@pytest.fixture
def fifty(cast: Cast) -> EvaluationRound:
    """A published 50强 of 旌阳 from 53 enterprises."""
    for n in range(53):
        enterprise(cast.jingyang_region, f"旌阳企业{n:02d}有限公司", str(1000 + 10 * n))
    indicator_set = revenue_set(
        cast.jingyang, cast.jingyang_region, name="旌阳非公企业50强", list_size=50
    )
    evaluation = computed_round(cast.jingyang, indicator_set)
    return rounds.round_publish(actor=cast.jingyang, evaluation=evaluation)


def _sheet_rows(response: object) -> list[list[object]]:
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_xlsx_holds_the_published_list_of_fifty(cast: Cast, fifty: EvaluationRound) -> None:
    rows = _sheet_rows(exports.xlsx_response(cast.leader, fifty))
    head, data = rows[2], rows[3:]
    assert head == ["名次", "企业名称", "所属区域", "营业收入（万元）", "营业收入得分", "总分"]
    assert len(data) == 50
    assert data[0][:4] == ["1", "旌阳企业52有限公司", "旌阳区", "1520"]
    assert data[-1][:2] == ["50", "旌阳企业03有限公司"]
    assert "考评年度：2022年；考评范围：旌阳区；榜单名额：50" in rows[1][0]
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.actor, event.object_type) == (cast.leader, "governance.evaluationround")
    assert "2022年旌阳非公企业50强" in event.detail and "50个" in event.detail


def test_everyone_adds_those_not_listed(cast: Cast, fifty: EvaluationRound) -> None:
    rows = _sheet_rows(exports.xlsx_response(cast.jingyang, fifty, everyone=True))
    assert rows[2][-1] == "上榜" and len(rows[3:]) == 53
    assert [r[-1] for r in rows[-3:]] == ["否", "否", "否"]


def test_the_export_does_not_move_after_publishing(cast: Cast, fifty: EvaluationRound) -> None:
    before = _sheet_rows(exports.xlsx_response(cast.jingyang, fifty))[2:]
    last = fifty.results.get(rank=53).organization
    registry.figure_save(actor=None, organization=last, year=2022, revenue=Decimal("999999"))
    assert _sheet_rows(exports.xlsx_response(cast.jingyang, fifty))[2:] == before


def test_the_docx_states_the_method_and_lists_the_ranking(
    cast: Cast, fifty: EvaluationRound
) -> None:
    doc = Document(io.BytesIO(exports.ranking_docx(cast.jingyang, fifty)))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "2022年旌阳非公企业50强"
    assert "按营业收入排序，参照全国民营企业500强的做法。" in texts
    # Ranked by one value, the method says so plainly, and no score out of 100 distracts.
    assert any(t.startswith("按营业收入（万元）由高到低排名。统计口径：") for t in texts)
    assert "并列规则：总分相同者并列，名次跳过（如1、2、2、4）。" in texts
    assert any("本名单为发布时保存的结果" in t for t in texts)
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "名次",
        "企业名称",
        "所属区域",
        "营业收入（万元）",
    ]
    assert len(table.rows) == 51
    assert [c.text for c in table.rows[1].cells][:4] == [
        "1",
        "旌阳企业52有限公司",
        "旌阳区",
        "1,520",
    ]
    # Signed by the publisher's unit, with the date in Chinese.
    assert cast.jingyang.unit.name in texts
    fonts = doc.element.body.xpath(".//w:rFonts")
    assert fonts and all(f.get(qn("w:eastAsia")) in ("宋体", "黑体") for f in fonts)


def test_a_weighted_docx_shows_each_score_and_the_stars(cast: Cast) -> None:
    orgs = [enterprise(cast.jingyang_region, f"旌阳星{n}公司", str(n * 100)) for n in (1, 2)]
    indicator_set = weighted_set(cast.jingyang, cast.jingyang_region)
    evaluation = rounds.round_create(actor=cast.jingyang, indicator_set=indicator_set, year=2022)
    social = indicator_set.indicators.get(name="社会责任")
    for org, value in zip(orgs, ("40", "100"), strict=True):
        rounds.value_enter(
            actor=cast.jingyang,
            evaluation=evaluation,
            indicator=social,
            subject=org,
            value=value,
            evidence="表",
        )
    evaluation = rounds.round_compute(actor=cast.jingyang, evaluation=evaluation)
    doc = Document(io.BytesIO(exports.ranking_docx(cast.jingyang, evaluation)))
    assert doc.paragraphs[0].text == "2022年旌阳非公企业综合评价（未发布，仅供审核）"
    assert "星级：5星≥90分，4星≥80分，3星≥60分。" in [p.text for p in doc.paragraphs]
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows == [
        ["名次", "企业名称", "所属区域", "营业收入（60分）", "社会责任（40分）", "总分", "星级"],
        ["1", "旌阳星2公司", "旌阳区", "60.00", "40.00", "100.00", "★★★★★"],
        ["2", "旌阳星1公司", "旌阳区", "30.00", "16.00", "46.00", "未达星级"],
    ]


def test_a_draft_round_has_nothing_to_export(cast: Cast) -> None:
    indicator_set = revenue_set(cast.jingyang, cast.jingyang_region)
    evaluation = rounds.round_create(actor=cast.jingyang, indicator_set=indicator_set, year=2022)
    with pytest.raises(ValidationError, match=exports.NOTHING_TO_EXPORT):
        exports.docx_response(cast.jingyang, evaluation)
    with pytest.raises(ValidationError, match=exports.NOTHING_TO_EXPORT):
        exports.xlsx_response(cast.jingyang, evaluation)
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_docx_download_is_audited(cast: Cast, fifty: EvaluationRound) -> None:
    response = exports.docx_response(cast.leader, fifty)
    assert response["Content-Type"] == exports.DOCX
    assert ".docx" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.changes["格式"] == [None, "docx"] and event.actor == cast.leader
