"""A round's ranking out as .xlsx (through core/tabular.py, the one export engine) and as .docx
(a document to print and sign: title, what was evaluated and how, the ranked table with stars).

Both read the stored results (selectors_indicators.round_ranking), so a published round exports
the same list whenever it is exported. When the set has a list size (50强), the list is exported;
``everyone=True`` adds the subjects evaluated but not listed. Every export writes its audit row
first (tabular.record)."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.http import content_disposition_header
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.run import Run

from tongxin.core import tabular
from tongxin.core.models import User

from . import indicator_sources, indicator_subjects, scoring
from .models_indicators import (
    Indicator,
    SubjectType,
)
from .models_rounds import (
    EvaluationRound,
    RoundState,
)
from .selectors_indicators import Ranking, RankingRow, round_ranking

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NOTHING_TO_EXPORT = "该考评轮次尚未计算，没有可导出的结果。请先计算。"
DRAFT_MARK = "（未发布，仅供审核）"
BODY_FONT = "宋体"
TITLE_FONT = "黑体"
NAME_LABELS = {
    SubjectType.ENTERPRISE: "企业名称",
    SubjectType.REGION: "区县",
    SubjectType.UNIT: "单位",
}


def plain(value: Decimal | None) -> str:
    return "无数据" if value is None else scoring.plain(value)


def figure(value: Decimal | None) -> str:
    """A raw value as a table shows it: whole numbers as they are, others to two places, large
    ones with thousands separators (580,540.11)."""
    if value is None:
        return "无数据"
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1)):,f}"
    return f"{scoring.cents(value):,f}"


def unit_of(indicator: Indicator) -> str:
    if indicator.is_entered:
        return indicator.unit_label
    return indicator_sources.get(indicator.metric).unit


def indicator_heading(indicator: Indicator) -> str:
    unit = unit_of(indicator)
    return f"{indicator.name}（{unit}）" if unit else indicator.name


def _ranking(evaluation: EvaluationRound, everyone: bool) -> Ranking:
    if evaluation.state == RoundState.DRAFT:
        raise ValidationError(NOTHING_TO_EXPORT)
    return round_ranking(evaluation, listed_only=not everyone)


def _title(evaluation: EvaluationRound) -> str:
    return evaluation.title + ("" if evaluation.is_published else DRAFT_MARK)


def describe(evaluation: EvaluationRound) -> str:
    """The round in words (the export's "筛选条件" and the document's subtitle)."""
    indicator_set = evaluation.set
    parts = [
        f"考评年度：{evaluation.year}年",
        f"考评范围：{evaluation.scope_region.name}",
    ]
    if indicator_set.list_size:
        parts.append(f"榜单名额：{indicator_set.list_size}")
    return "；".join(parts)


# --- .xlsx ----------------------------------------------------------------------------------------


def ranking_table(
    user: User, evaluation: EvaluationRound, *, everyone: bool = False
) -> tabular.Table:
    ranking = _ranking(evaluation, everyone)
    indicator_set = evaluation.set
    name_label = NAME_LABELS.get(SubjectType(indicator_set.subject_type), "名称")
    columns = [
        tabular.Column("名次", lambda row: row.result.rank, 8),
        tabular.Column(name_label, lambda row: row.result.subject_name, 36),
        tabular.Column("所属区域", lambda row: row.result.subject_region, 12),
    ]
    for index, indicator in enumerate(ranking.indicators):
        columns += [
            tabular.Column(indicator_heading(indicator), _raw_value(index), 16),
            tabular.Column(f"{indicator.name}得分", _score(index), 12),
        ]
    columns.append(tabular.Column("总分", lambda row: row.result.total, 10))
    if ranking.has_stars:
        columns.append(tabular.Column("星级", lambda row: row.result.star_text, 10))
    if everyone and indicator_set.list_size:
        columns.append(tabular.Column("上榜", lambda row: row.result.in_list, 8))
    rule = indicator_subjects.get(indicator_set.eligibility).label
    return tabular.Table(
        title=_title(evaluation),
        object_type="governance.evaluationround",
        columns=columns,
        rows=lambda: ranking.rows,
        count=len(ranking.rows),
        description=describe(evaluation),
        unit="个",
        notes=[f"参评范围：{rule}", f"并列规则：{indicator_set.get_tie_rule_display()}"],
        count_label="对象数",
        audit_changes={"考评轮次": f"{evaluation.title}（{evaluation.pk}）"},
    )


def _raw(index: int) -> Callable[[RankingRow], str]:
    def get(row: RankingRow) -> str:
        score = row.scores[index]
        return figure(score.raw_value) if score is not None else ""

    return get


def _raw_value(index: int) -> Callable[[RankingRow], Decimal | str | None]:
    """The raw value for a spreadsheet: the number itself, for sums and sorting."""

    def get(row: RankingRow) -> Decimal | str | None:
        score = row.scores[index]
        if score is None:
            return None
        if score.raw_value is None:
            return "无数据"
        return Decimal(scoring.plain(score.raw_value))  # 1520.0000 stored, 1520 shown

    return get


def _score(index: int) -> Callable[[RankingRow], Decimal | None]:
    def get(row: RankingRow) -> Decimal | None:
        score = row.scores[index]
        return score.score if score is not None else None

    return get


def _score_text(index: int) -> Callable[[RankingRow], str]:
    def get(row: RankingRow) -> str:
        score = row.scores[index]
        return str(score.score) if score is not None else ""

    return get


def xlsx_response(
    user: User, evaluation: EvaluationRound, *, everyone: bool = False
) -> HttpResponseBase:
    return tabular.response(user, ranking_table(user, evaluation, everyone=everyone), "xlsx")


# --- .docx ----------------------------------------------------------------------------------------


def _fonts(run: Run, name: str = BODY_FONT, size: float = 10.5, bold: bool = False) -> Run:
    """Chinese text needs its font named for East Asian characters (w:eastAsia), or Word falls
    back to whatever its theme says."""
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    return run


def _paragraph(
    doc: Any,
    text: str,
    *,
    size: float = 10.5,
    bold: bool = False,
    font: str = BODY_FONT,
    center: bool = False,
    after: float = 4,
) -> Any:
    paragraph = doc.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(after)
    _fonts(paragraph.add_run(text), font, size, bold)
    return paragraph


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _cell(
    cell: _Cell, text: str, *, bold: bool = False, center: bool = True, size: float = 9
) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.space_after = Pt(0)
    _fonts(paragraph.add_run(text), BODY_FONT, size, bold)


def _how(ranking: Ranking) -> list[str]:
    """The set's method in sentences: each indicator, the tie rule, the stars."""
    indicator_set = ranking.round.set
    lines = []
    if _by_one_value(ranking):
        indicator = ranking.indicators[0]
        order = "由高到低" if indicator.direction == "higher" else "由低到高"
        lines.append(
            f"按{indicator_heading(indicator)}{order}排名。"
            f"统计口径：{indicator_sources.get(indicator.metric).rule}"
        )
        lines.append(f"并列规则：{indicator_set.get_tie_rule_display()}。")
        return lines
    for n, indicator in enumerate(ranking.indicators, start=1):
        if not indicator.is_entered:
            source = f"统计口径：{indicator_sources.get(indicator.metric).rule}"
        elif indicator.description:
            source = f"录入（附佐证）：{indicator.description}"
        else:
            source = "逐一录入，附佐证材料。"
        lines.append(
            f"{n}. {indicator_heading(indicator)}，满分{plain(indicator.weight)}分，"
            f"{indicator.get_rule_display()}，{indicator.get_direction_display()}。{source}"
        )
    lines.append(f"并列规则：{indicator_set.get_tie_rule_display()}。")
    if indicator_set.star_cutoffs:
        stars = "，".join(f"{s}星≥{plain(least)}分" for s, least in indicator_set.cutoffs)
        lines.append(f"星级：{stars}。")
    return lines


def _by_one_value(ranking: Ranking) -> bool:
    """A list ranked by one computed value (50强 by revenue): the value is the ranking, and a
    score out of 100 would only distract."""
    indicators = ranking.indicators
    return (
        len(indicators) == 1
        and not indicators[0].is_entered
        and indicators[0].rule == scoring.RANK
        and not ranking.has_stars
    )


def _columns(ranking: Ranking) -> list[tuple[str, Callable[[RankingRow], str]]]:
    name_label = NAME_LABELS.get(SubjectType(ranking.round.set.subject_type), "名称")
    columns: list[tuple[str, Callable[[RankingRow], str]]] = [
        ("名次", lambda row: str(row.result.rank)),
        (name_label, lambda row: row.result.subject_name),
        ("所属区域", lambda row: row.result.subject_region),
    ]
    if len(ranking.indicators) == 1:
        # One indicator (50强 by revenue): its value is what readers look for.
        columns.append((indicator_heading(ranking.indicators[0]), _raw(0)))
    else:
        for index, indicator in enumerate(ranking.indicators):
            columns.append((f"{indicator.name}（{plain(indicator.weight)}分）", _score_text(index)))
    if not _by_one_value(ranking):
        columns.append(("总分", lambda row: str(row.result.total)))
    if ranking.has_stars:
        columns.append(("星级", lambda row: row.result.star_text))
    return columns


def _set_widths(table: Any, section: Any, columns: list[Any]) -> None:
    """Fixed widths (Word and LibreOffice both honour the grid): the name takes what the narrow
    columns leave."""
    narrow = {"名次": Cm(1.3), "所属区域": Cm(2.2), "星级": Cm(2.0)}
    # A value column with its unit in the heading ("营业收入（万元）") needs room for both.
    others = [
        narrow.get(heading, Cm(3.4) if "（" in heading and len(columns) <= 5 else Cm(2.1))
        for heading, _ in columns
    ]
    available = section.page_width - section.left_margin - section.right_margin
    others[1] = max(Cm(4), available - sum(w for i, w in enumerate(others) if i != 1))
    table.autofit = False
    for column, width in zip(table.columns, others, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def ranking_docx(user: User, evaluation: EvaluationRound, *, everyone: bool = False) -> bytes:
    ranking = _ranking(evaluation, everyone)
    indicator_set = evaluation.set
    columns = _columns(ranking)
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    section = doc.sections[0]
    if len(columns) > 7:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2.2)

    _paragraph(doc, _title(evaluation), size=18, font=TITLE_FONT, center=True, after=6)
    _paragraph(doc, describe(evaluation), size=10, center=True, after=10)
    if indicator_set.description:
        _paragraph(doc, indicator_set.description)
    rule = indicator_subjects.get(indicator_set.eligibility).label
    _paragraph(doc, f"参评范围：{rule}。", after=2)
    _paragraph(doc, "计分办法：", bold=True, after=2)
    for line in _how(ranking):
        _paragraph(doc, line, size=10, after=2)

    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, (heading, _) in zip(table.rows[0].cells, columns, strict=True):
        _cell(cell, heading, bold=True)
        _shade(cell, "D9E2F3")
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the heading row repeats on every page
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for row in ranking.rows:
        cells = table.add_row().cells
        for index, (cell, (_, get)) in enumerate(zip(cells, columns, strict=True)):
            _cell(cell, get(row), center=index != 1)
    _set_widths(table, section, columns)

    published = evaluation.published_at
    if published is not None:
        # The signature block of a published list: who issued it, and when (Chinese dates).
        day = timezone.localtime(published)
        issuer = evaluation.published_by.unit if evaluation.published_by else None
        for n, line in enumerate(
            [issuer.name if issuer else "", f"{day.year}年{day.month}月{day.day}日"]
        ):
            if line:
                paragraph = _paragraph(doc, line, size=12, after=0)
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                paragraph.paragraph_format.space_before = Pt(18 if n == 0 else 0)
    now = timezone.localtime(timezone.now())
    who = user.name or user.username
    foot = [f"导出人：{who}　导出时间：{now:%Y-%m-%d %H:%M}"]
    if published is not None:
        foot.append("本名单为发布时保存的结果，不随此后记录的变化而变化。")
    else:
        foot.append("本名单尚未发布，仅供审核，重新计算后可能变化。")
    for n, line in enumerate(foot):
        paragraph = _paragraph(doc, line, size=9, after=0)
        paragraph.paragraph_format.space_before = Pt(12 if n == 0 else 0)
        for run in paragraph.runs:
            run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_response(
    user: User, evaluation: EvaluationRound, *, everyone: bool = False
) -> HttpResponseBase:
    """The document as a download, audited first."""
    table = ranking_table(user, evaluation, everyone=everyone)
    tabular.record(user, table, "docx")
    response = HttpResponse(ranking_docx(user, evaluation, everyone=everyone), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, table.filename("docx"))
    return response
