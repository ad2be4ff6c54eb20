"""The annual summary's .docx in the 公文 format of GB/T 9704-2012, read back with python-docx."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt

from tongxin.core.models import AuditAction, AuditEvent
from tongxin.insight.summary_docx import DOCX

from ..conftest import Cast, bearer, login

URL = "/summaries/annual/export.docx?year=2022&region=510603"


@pytest.fixture
def document(cast: Cast) -> Any:
    response = login(cast.jingyang).get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert "2022%E5%B9%B4" in response["Content-Disposition"]  # “2022年…”, percent-encoded
    return Document(io.BytesIO(response.content))


def _east_asian(run: Any) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def _near(length: Any, mm: float) -> bool:
    return abs(length.mm - mm) < 0.1


def test_the_page_is_a4_with_the_standard_margins(document: Any) -> None:
    section = document.sections[0]
    assert _near(section.page_width, 210) and _near(section.page_height, 297)
    assert _near(section.top_margin, 37) and _near(section.bottom_margin, 35)
    assert _near(section.left_margin, 28) and _near(section.right_margin, 26)


def test_twenty_two_lines_of_twenty_eight_characters(document: Any) -> None:
    section = document.sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    pitch = int(grid.get(qn("w:linePitch")))  # twips
    text_height = Emu(section.page_height - section.top_margin - section.bottom_margin).pt
    assert pitch == 579 and int(text_height * 20 // pitch) == 22
    normal = document.styles["Normal"]
    condensed = int(normal.element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    text_width = Emu(section.page_width - section.left_margin - section.right_margin).pt
    assert int(text_width // (16 + condensed)) == 28
    body = [p for p in document.paragraphs if p.text and p.paragraph_format.first_line_indent]
    for paragraph in body:
        fmt = paragraph.paragraph_format
        assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert fmt.line_spacing == Pt(pitch / 20)


def test_the_title_is_in_2hao_xiaobiaosong_centred_over_two_lines(document: Any) -> None:
    title = document.paragraphs[:2]
    assert [p.text for p in title] == [
        "凝心聚力谱新篇 奋楫笃行启新程",
        "——2022年旌阳区统战工作综述",
    ]
    for paragraph in title:
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.runs[0]
        assert run.font.size == Pt(22) and _east_asian(run) == "方正小标宋简体"
    assert document.paragraphs[2].text == ""  # a blank line below the title


def test_the_body_is_3hao_fangsong_indented_two_characters(document: Any) -> None:
    opening = document.paragraphs[3]
    assert opening.text == "回眸2022年，这一年极不平凡、极不寻常。"
    assert opening.paragraph_format.first_line_indent == Pt(32)
    ind = opening._p.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    run = opening.runs[0]
    assert run.font.size == Pt(16) and _east_asian(run) == "仿宋_GB2312"
    heading = next(p for p in document.paragraphs if p.text.startswith("强化引领"))
    assert _east_asian(heading.runs[0]) == "黑体" and heading.runs[0].font.size == Pt(16)
    item = next(p for p in document.paragraphs if p.text.startswith("切实排忧纾困。"))
    assert item.runs[0].text == "切实排忧纾困。" and _east_asian(item.runs[0]) == "楷体_GB2312"
    assert _east_asian(item.runs[1]) == "仿宋_GB2312"


def test_page_numbers_are_4hao_songti_dashes_on_the_outer_side(document: Any) -> None:
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == side
        xml = paragraph._p.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert paragraph.text == "— 1 —"  # the field's cached number between the dashes
        for run in paragraph.runs:
            assert run.font.size == Pt(14) and _east_asian(run) == "宋体"
    # The number sits 7 mm below the text block: its line ends about 23 mm above the page edge.
    assert Mm(20) < section.footer_distance < section.bottom_margin - Mm(7)


def test_the_download_is_audited(cast: Cast) -> None:
    login(cast.jingyang).get(URL)
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="insight.summarydraft")
    assert event.actor == cast.jingyang
    assert "2022年旌阳区统战工作综述" in event.detail


def test_the_api_answers_the_same_document(cast: Cast) -> None:
    response = login(cast.jingyang).get(
        "/api/v1/summaries/annual?year=2022&format=docx", **bearer(cast.jingyang)
    )
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert texts[1] == "——2022年旌阳区统战工作综述"
