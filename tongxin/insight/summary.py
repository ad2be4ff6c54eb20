"""The annual summary (综述): seed 003's shape, every number a metric, phrased the way Chinese
official writing states numbers.

``phrase`` is the one place numbers become words:
- exact: ``7件``; 万元 sums with two decimals (``623800.00万元``);
- ``余`` (where the wording asks for it): counts of 20 or more rounded down to their leading digit
  with 余 (73 → 70余件, 220 → 200余人, 19 → 19件), in 万 from ten thousand on;
- ``亿元``: a 万元 sum in 亿元 with two decimals (623800.00万元 → 62.38亿元);
- ``数``: the number alone (“50强”, “第4批”);
- ``每季度``: 4 → “每季度召开一次”, any other count → “全年召开3次”.

The wording is a template of blocks (summary_template.BLOCKS) whose placeholders name metric keys
and the words of the place; a saved version (SummaryDraft) overrides the wording of some blocks.
``draft_summary`` measures every key through ``metrics.measure_many`` for the user, so a district
user's summary counts only their district and every figure links to the records it counts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from tongxin.core.models import Region, User

from . import metrics
from .summary_template import BLOCKS, BY_KEY, HEADING, ITEM, PLACE_WORDS, TITLE, Place

EXACT, ROUGHLY, YI, BARE, QUARTERLY = "", "余", "亿元", "数", "每季度"
STYLES = {
    EXACT: "原数，带单位：7件",
    ROUGHLY: "20及以上向下取整加“余”：73→70余件，220→200余人",
    YI: "万元换算为亿元，保留两位小数：623800.00万元→62.38亿元",
    BARE: "只写数字，不带单位：50（强）、4（批）",
    QUARTERLY: "4次写作“每季度召开一次”，其他写作“全年召开N次”",
}
ROUGH_FROM = 20
CENT = Decimal("0.01")
WAN = 10_000
YI_WAN = 10**8

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)(?::([^{}:]*))?\}")
# A number typed with a counting unit outside a placeholder: “5场”, “70余件”, “62.38亿元”.
TYPED_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*余?\s*(?:场次|亿元|万元|件|场|家|个|次|篇|名|人|套|项)")

UNBALANCED = "第{n}段：花括号须成对使用。数字请写成占位符，例如 {{party_consultations}}。"
UNKNOWN_KEY = "第{n}段：“{{{key}}}”不是已登记的统计指标或地名变量，请从右侧的占位符列表中选择。"
UNKNOWN_STYLE = "第{n}段：“{{{key}:{style}}}”的写法“{style}”不存在，可用：{styles}。"
YI_NEEDS_WAN = "第{n}段：“{{{key}:亿元}}”只能用于以万元计的金额指标。"
TYPED = (
    "第{n}段：“{figure}”是手工输入的数字。综述中的数字须由统计指标生成，"
    "请改用占位符（例如 {{hmt_cases_resolved:余}}），可用占位符见右侧列表。"
)
TITLE_WITH_FIGURE = "标题中不能放统计数字，只能使用地名变量（如 {year}、{place}）。"
TITLE_UNBALANCED = "标题：花括号须成对使用，地名变量写作 {place}、{year}。"
PLACE_WITH_STYLE = "第{n}段：地名变量“{{{key}}}”不能带写法，请去掉冒号及其后的文字。"


# --- numbers into words ---------------------------------------------------------------------------


def _plain_decimal(value: Decimal) -> str:
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):f}"


def _leading(count: int) -> int:
    """``count`` rounded down to its leading digit: 73 → 70, 220 → 200, 4321 → 4000."""
    magnitude = 10 ** (len(str(count)) - 1)
    return count // magnitude * magnitude


def _with_wan(count: int) -> str:
    if count >= YI_WAN:
        return f"{count // YI_WAN}亿"
    if count >= WAN:
        return f"{count // WAN}万"
    return str(count)


def phrase(value: int | Decimal, unit: str, style: str = EXACT) -> str:
    """``value`` (counted in ``unit``) as the summary states it, in ``style`` (STYLES)."""
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}")
    if style == YI:
        if unit != "万元":
            raise ValueError("亿元 is for sums in 万元")
        return f"{_plain_decimal(Decimal(value) / WAN)}亿元"
    if isinstance(value, Decimal) and value != value.to_integral_value():
        # A sum with cents has no rounded form: stated exactly, two decimals.
        return _plain_decimal(value) + ("" if style == BARE else unit)
    count = int(value)
    if style == BARE:
        return str(count)
    if style == QUARTERLY:
        return "每季度召开一次" if count == 4 else f"全年召开{count}{unit}"
    if isinstance(value, Decimal):
        return _plain_decimal(value) + unit
    if style == ROUGHLY and count >= ROUGH_FROM:
        return f"{_with_wan(_leading(count))}余{unit}"
    return f"{count}{unit}"


# --- placeholders ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    key: str
    style: str


def slots(text: str) -> list[Slot]:
    return [Slot(m.group(1), m.group(2) or EXACT) for m in PLACEHOLDER.finditer(text)]


def metric_keys(texts: Iterable[str]) -> list[str]:
    """The metric keys ``texts`` name, in order of first use."""
    seen: dict[str, None] = {}
    for text in texts:
        for slot in slots(text):
            if slot.key not in PLACE_WORDS:
                seen.setdefault(slot.key, None)
    return list(seen)


def check_wording(texts: Mapping[str, str], *, title: str = "") -> dict[str, list[str]]:
    """What is wrong with edited wording, as Chinese sentences by block key ("title" for the
    title); empty when nothing is. ``texts`` maps block keys to their text; the sentences number
    the paragraphs in the order of the template."""
    known = {m.key: m for m in metrics.all_metrics()}
    errors: dict[str, list[str]] = {}
    rest = PLACEHOLDER.sub("", title)
    if "{" in rest or "}" in rest:
        errors.setdefault("title", []).append(TITLE_UNBALANCED)
    if any(slot.key not in PLACE_WORDS or slot.style for slot in slots(title)):
        errors.setdefault("title", []).append(TITLE_WITH_FIGURE)
    order = {key: n for n, key in enumerate(BY_KEY, start=1)}
    for key, text in sorted(texts.items(), key=lambda item: order.get(item[0], 0)):
        found = _check_block(order.get(key, 0), text, known)
        if found:
            errors[key] = found
    return errors


def _check_block(n: int, text: str, known: Mapping[str, metrics.Metric]) -> list[str]:
    errors = []
    rest = PLACEHOLDER.sub("", text)
    if "{" in rest or "}" in rest:
        errors.append(UNBALANCED.format(n=n))
    for slot in slots(text):
        metric = known.get(slot.key)
        if slot.key in PLACE_WORDS and slot.style == EXACT:
            continue
        if metric is None and slot.key in PLACE_WORDS:
            errors.append(PLACE_WITH_STYLE.format(n=n, key=slot.key))
        elif metric is None:
            errors.append(UNKNOWN_KEY.format(n=n, key=slot.key))
        elif slot.style not in STYLES:
            styles = "、".join(s for s in STYLES if s) + "（或不写）"
            errors.append(UNKNOWN_STYLE.format(n=n, key=slot.key, style=slot.style, styles=styles))
        elif slot.style == YI and metric.unit != "万元":
            errors.append(YI_NEEDS_WAN.format(n=n, key=slot.key))
    errors.extend(TYPED.format(n=n, figure=typed.group(0)) for typed in TYPED_FIGURE.finditer(rest))
    return errors


# --- the drafted summary --------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A number as the summary states it, with what it counts."""

    key: str
    label: str
    value: int | Decimal
    unit: str
    style: str
    phrase: str
    definition: str
    records_url: str


@dataclass(frozen=True)
class Piece:
    text: str
    figure: Figure | None = None


@dataclass(frozen=True)
class Paragraph:
    key: str
    kind: str
    pieces: tuple[Piece, ...]

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)

    @property
    def lead(self) -> tuple[tuple[Piece, ...], tuple[Piece, ...]]:
        """An item's run-in heading (its first sentence) and the rest."""
        if self.kind != ITEM:
            return (), self.pieces
        head: list[Piece] = []
        for n, piece in enumerate(self.pieces):
            if piece.figure is None and "。" in piece.text:
                before, after = piece.text.split("。", 1)
                head.append(Piece(before + "。"))
                rest = ([Piece(after)] if after else []) + list(self.pieces[n + 1 :])
                return tuple(head), tuple(rest)
            head.append(piece)
        return (), self.pieces


@dataclass(frozen=True)
class Summary:
    year: int
    region: Region
    title: str
    paragraphs: tuple[Paragraph, ...]
    version: Any = None  # the SummaryDraft whose wording this is; None: the default wording

    @property
    def figures(self) -> list[Figure]:
        """Each number stated, once per key and style, in the order the text states them."""
        seen: dict[tuple[str, str], Figure] = {}
        for paragraph in self.paragraphs:
            for piece in paragraph.pieces:
                if piece.figure is not None:
                    seen.setdefault((piece.figure.key, piece.figure.style), piece.figure)
        return list(seen.values())

    @property
    def text(self) -> str:
        return "\n\n".join([self.title, *(p.text for p in self.paragraphs)])

    @property
    def html(self) -> SafeString:
        """The summary as HTML, each number a link to the records it counts."""
        main, dash, subtitle = self.title.partition("——")
        title = format_html("{}<br>{}", main, dash + subtitle) if dash else self.title
        parts = [format_html('<h1 class="summary-title">{}</h1>', title)]
        for paragraph in self.paragraphs:
            if paragraph.kind == HEADING:
                parts.append(format_html('<h2 class="summary-heading">{}</h2>', paragraph.text))
                continue
            lead, rest = paragraph.lead
            body = ""
            if lead:
                body += format_html('<strong class="summary-lead">{}</strong>', _html(lead))
            body += _html(rest)
            parts.append(format_html('<p class="summary-p">{}</p>', mark_safe(body)))
        return mark_safe("\n".join(parts))


def _html(pieces: Iterable[Piece]) -> SafeString:
    out = []
    for piece in pieces:
        figure = piece.figure
        if figure is None:
            out.append(escape(piece.text))
        else:
            out.append(
                format_html(
                    '<a class="{}" href="{}" data-metric="{}" title="{}：{}{}。{}">{}</a>',
                    "summary-figure" if figure.value else "summary-figure is-zero",
                    figure.records_url,
                    figure.key,
                    figure.label,
                    phrase(figure.value, figure.unit),
                    "（按“余”的写法取整）" if figure.style == ROUGHLY else "",
                    figure.definition,
                    figure.phrase,
                )
            )
    return mark_safe("".join(out))


def wording(region: Region, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every block's text for ``region``: the default wording with a version's overrides."""
    city = Place(region).is_city
    overrides = overrides or {}
    return {block.key: overrides.get(block.key, block.default(city=city)) for block in BLOCKS}


def render(
    text: str, words: Mapping[str, str], values: Mapping[str, metrics.MetricValue]
) -> tuple[Piece, ...]:
    pieces: list[Piece] = []
    at = 0
    for match in PLACEHOLDER.finditer(text):
        if match.start() > at:
            pieces.append(Piece(text[at : match.start()]))
        key, style = match.group(1), match.group(2) or EXACT
        if key in words and style == EXACT:
            pieces.append(Piece(words[key]))
        else:
            value = values[key]
            figure = Figure(
                key=key,
                label=value.label,
                value=value.value,
                unit=value.unit,
                style=style,
                phrase=phrase(value.value, value.unit, style),
                definition=value.definition,
                records_url=value.records_url,
            )
            pieces.append(Piece(figure.phrase, figure))
        at = match.end()
    if at < len(text):
        pieces.append(Piece(text[at:]))
    return _merged(pieces)


def _merged(pieces: list[Piece]) -> tuple[Piece, ...]:
    """Adjacent plain pieces joined, so a run-in heading is found in one piece."""
    out: list[Piece] = []
    for piece in pieces:
        if out and piece.figure is None and out[-1].figure is None:
            out[-1] = Piece(out[-1].text + piece.text)
        else:
            out.append(piece)
    return tuple(out)


def draft_summary(
    user: User,
    *,
    year: int,
    region: Region | str | None = None,
    title: str = "",
    overrides: Mapping[str, str] | None = None,
    version: Any = None,
) -> Summary:
    """The summary of ``year`` for ``region`` (the user's own if None) as ``user`` may see it:
    PermissionDenied for a role without figures, Http404 for a region outside their scope."""
    metrics.require_metrics(user)
    place = metrics.resolve_region(user, region)
    texts = wording(place, overrides)
    words = Place(place).words(year)
    values = metrics.measure_many(
        metric_keys([title or TITLE, *texts.values()]), user=user, year=year, region=place
    )
    paragraphs = tuple(
        Paragraph(key=block.key, kind=block.kind, pieces=render(texts[block.key], words, values))
        for block in BLOCKS
        if texts[block.key]  # emptied in a version: the paragraph is dropped
    )
    heading = "".join(piece.text for piece in render(title or TITLE, words, values))
    return Summary(year=year, region=place, title=heading, paragraphs=paragraphs, version=version)
