"""The annual summary as a .docx in the 公文 format of GB/T 9704-2012.

- A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm: a 156 × 225 mm text block;
- 22 lines of 28 characters: a line grid (w:docGrid) with every line exactly one pitch
  (225 mm / 22 = 28.95 pt), and 3号 characters set 0.25 pt closer, so that 28 fill the 156 mm
  line (16 pt × 28 is 448 pt, the line 442 pt). A character grid (linesAndChars) would do the
  same in Word, but LibreOffice gives each character that does not fit its cell two cells,
  setting 14 to the line;
- title in 2号 (22 pt) 方正小标宋简体, centred, a blank line below it;
- body in 3号 (16 pt) 仿宋_GB2312, justified, first lines indented two characters; section
  headings in 3号 黑体, an item's run-in heading in 3号 楷体_GB2312;
- page numbers in 4号 (14 pt) 半角宋体 “— 1 —”, one character in from the outer edge: right on odd
  pages, left on even ones.

Chinese fonts are named in w:eastAsia (Word otherwise takes the theme's font for CJK text), and
the font table names a common fallback (w:altName) for machines without the 方正/GB2312 fonts."""

from __future__ import annotations

import io
import math
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, Twips
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run
from lxml import etree

from tongxin.core import audit
from tongxin.core.models import AuditAction, User

from .summary import Piece, Summary
from .summary_template import HEADING, Place

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
LEAD_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
LATIN_FONT = "Times New Roman"  # digits and Latin letters of the body, as 公文 templates set them
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", LEAD_FONT: "楷体", HEADING_FONT: "SimHei"}

TITLE_SIZE = 22.0  # 2号
BODY_SIZE = 16.0  # 3号
PAGE_SIZE = 14.0  # 4号
LINES, CHARACTERS = 22, 28
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
# The page number's top sits 7 mm below the text block (GB/T 9704 7.5): its line's bottom is
# 35 − 7 − 14 pt ≈ 23 mm above the page's edge.
FOOTER_DISTANCE = Mm(23)
DASH = "—"


def line_pitch() -> Twips:
    """One grid line in twips: the text block's height over 22 lines (579 ≈ 28.95 pt)."""
    return Twips(int(Emu(PAGE_HEIGHT - TOP - BOTTOM).pt * 20 / LINES))


def condense() -> int:
    """How much closer (in twentieths of a point, negative) 3号 characters are set so that 28
    fit the line: −5, i.e. 15.75 pt each, 441 pt of the 442 pt line."""
    pitch = Emu(PAGE_WIDTH - LEFT - RIGHT).pt / CHARACTERS
    return math.floor((pitch - BODY_SIZE) * 20)


def _fonts(run: Run, east_asian: str, size: float, *, bold: bool = False) -> Run:
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    latin = LATIN_FONT if east_asian == BODY_FONT else east_asian
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    return run


# The order the OOXML schema gives the children of w:pPr and w:rPr (Word refuses a document whose
# properties are out of order): only the ones this module sets, and their neighbours.
ORDER = {
    "w:pPr": [
        "w:pStyle",
        "w:keepNext",
        "w:keepLines",
        "w:pageBreakBefore",
        "w:framePr",
        "w:widowControl",
        "w:numPr",
        "w:suppressLineNumbers",
        "w:pBdr",
        "w:shd",
        "w:tabs",
        "w:suppressAutoHyphens",
        "w:kinsoku",
        "w:wordWrap",
        "w:overflowPunct",
        "w:topLinePunct",
        "w:autoSpaceDE",
        "w:autoSpaceDN",
        "w:bidi",
        "w:adjustRightInd",
        "w:snapToGrid",
        "w:spacing",
        "w:ind",
        "w:contextualSpacing",
        "w:mirrorIndents",
        "w:suppressOverlap",
        "w:jc",
        "w:textDirection",
        "w:textAlignment",
        "w:textboxTightWrap",
        "w:outlineLvl",
        "w:divId",
        "w:cnfStyle",
        "w:rPr",
        "w:sectPr",
        "w:pPrChange",
    ],
    "w:rPr": [
        "w:rStyle",
        "w:rFonts",
        "w:b",
        "w:bCs",
        "w:i",
        "w:iCs",
        "w:caps",
        "w:smallCaps",
        "w:strike",
        "w:dstrike",
        "w:outline",
        "w:shadow",
        "w:emboss",
        "w:imprint",
        "w:noProof",
        "w:snapToGrid",
        "w:vanish",
        "w:webHidden",
        "w:color",
        "w:spacing",
        "w:w",
        "w:kern",
        "w:position",
        "w:sz",
        "w:szCs",
        "w:highlight",
        "w:u",
        "w:effect",
        "w:bdr",
        "w:shd",
        "w:fitText",
        "w:vertAlign",
        "w:rtl",
        "w:cs",
        "w:em",
        "w:lang",
        "w:eastAsianLayout",
        "w:specVanish",
        "w:oMath",
    ],
}


def _set(parent: Any, tag: str, **attributes: str) -> None:
    """Set (or add, in schema order) the child ``tag`` of a w:pPr, w:rPr or w:sectPr."""
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        order = next((o for name, o in ORDER.items() if parent.tag == qn(name)), [])
        later = {qn(t) for t in order[order.index(tag) + 1 :]} if tag in order else set()
        successor = next((c for c in parent if c.tag in later), None)
        if successor is not None:
            successor.addprevious(child)
        else:
            parent.append(child)
    for name, value in attributes.items():
        child.set(qn(f"w:{name}"), value)


def _grid_paragraph(
    paragraph: DocxParagraph, *, indent: bool = True, on_grid: bool = True
) -> DocxParagraph:
    """A paragraph on the grid: exact line pitch, no space around it, two-character indent."""
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line_pitch()
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = False
    ppr = paragraph._p.get_or_add_pPr()
    if indent:
        fmt.first_line_indent = Pt(BODY_SIZE * 2)
        _set(ppr, "w:ind", firstLineChars="200")
    if not on_grid:
        # The title's 22 pt lines keep their own pitch.
        _set(ppr, "w:snapToGrid", val="0")
    # No extra space between Chinese and digits: the grid spaces every character alike.
    _set(ppr, "w:autoSpaceDE", val="0")
    _set(ppr, "w:autoSpaceDN", val="0")
    return paragraph


def _page_setup(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.footer_distance = FOOTER_DISTANCE
    section.header_distance = Mm(15)
    _set(
        section._sectPr,
        "w:docGrid",
        type="lines",
        linePitch=str(line_pitch().twips),
    )
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    rpr = normal.element.get_or_add_rPr()
    _set(rpr, "w:lang", val="en-US", eastAsia="zh-CN")
    # 28 characters of 16 pt, set 0.25 pt closer, fill the 442 pt line.
    _set(rpr, "w:spacing", val=str(condense()))
    _fallback_fonts(doc)


def _fallback_fonts(doc: DocumentObject) -> None:
    """Name each Chinese font in the font table with the common font to use where it is missing."""
    part = next(
        (rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable")),
        None,
    )
    if part is None:
        return
    root = etree.fromstring(part.blob)
    for name, alternative in FALLBACKS.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (
            ("w:altName", alternative),
            ("w:charset", "86"),  # GB2312
            ("w:family", "modern" if name == HEADING_FONT else "roman"),
        ):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    # A plain package part: python-docx keeps its bytes as they were read.
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number(paragraph: DocxParagraph, *, odd: bool) -> None:
    """“— 1 —” in 4号 宋体, one character in from the outer edge."""
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    if odd:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt.right_indent = Pt(PAGE_SIZE)
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        fmt.left_indent = Pt(PAGE_SIZE)
    _fonts(paragraph.add_run(f"{DASH} "), PAGE_FONT, PAGE_SIZE)
    for kind, text in (
        ("begin", ""),
        ("instr", " PAGE "),
        ("separate", ""),
        ("text", "1"),
        ("end", ""),
    ):
        run = _fonts(paragraph.add_run(), PAGE_FONT, PAGE_SIZE)
        if kind == "instr":
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = text
            run._r.append(code)
        elif kind == "text":
            run.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    _fonts(paragraph.add_run(f" {DASH}"), PAGE_FONT, PAGE_SIZE)


def _page_numbers(doc: DocumentObject) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)


def _title(doc: DocumentObject, title: str) -> None:
    """A long title breaks before its “——” subtitle, each line centred."""
    main, dash, rest = title.partition("——")
    for line in [main, dash + rest] if dash else [title]:
        paragraph = _grid_paragraph(doc.add_paragraph(), indent=False, on_grid=False)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(paragraph.add_run(line.strip()), TITLE_FONT, TITLE_SIZE)
    _grid_paragraph(doc.add_paragraph(), indent=False)  # the blank line below the title


def _runs(paragraph: DocxParagraph, pieces: tuple[Piece, ...], font: str) -> None:
    text = "".join(piece.text for piece in pieces)
    if text:
        _fonts(paragraph.add_run(text), font, BODY_SIZE)


def summary_docx(summary: Summary) -> bytes:
    doc = Document()
    _page_setup(doc)
    _page_numbers(doc)
    # The default template's one empty paragraph would be a blank first line.
    body = doc.element.body
    for empty in list(body.iterchildren(qn("w:p"))):
        body.remove(empty)
    _title(doc, summary.title)
    for block in summary.paragraphs:
        paragraph = _grid_paragraph(doc.add_paragraph())
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if block.kind == HEADING:
            _runs(paragraph, block.pieces, HEADING_FONT)
            continue
        lead, rest = block.lead
        _runs(paragraph, lead, LEAD_FONT)
        _runs(paragraph, rest, BODY_FONT)
    properties = doc.core_properties
    properties.title = summary.title
    properties.author = Place(summary.region).words(summary.year)["department"]
    properties.comments = (
        "本文数字由同心统战工作平台按统计口径从业务记录计算，"
        f"生成于{timezone.localtime(timezone.now()):%Y-%m-%d %H:%M}。"
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def filename(summary: Summary) -> str:
    return f"{summary.year}年{summary.region.name}统战工作综述.docx"


def docx_response(user: User, summary: Summary) -> HttpResponse:
    """The document as a download; the export is audited first."""
    version = f"第{summary.version.version}版" if summary.version else "默认措辞"
    audit.record(
        AuditAction.EXPORT,
        actor=user,
        object_type="insight.summarydraft",
        object_id=str(summary.version.pk) if summary.version else "",
        object_repr=f"{summary.year}年{summary.region.name}统战工作综述",
        detail=f"导出{summary.year}年{summary.region.name}统战工作综述（docx，{version}）",
        changes={
            "格式": [None, "docx"],
            "区划": [None, summary.region.code],
            "年度": [None, summary.year],
            "数字": [None, {f.key: f.phrase for f in summary.figures}],
        },
    )
    response = HttpResponse(summary_docx(summary), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, filename(summary))
    return response
