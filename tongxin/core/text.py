"""Chinese text normalization, search keys and lenient date parsing for imported cells."""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from typing import Any

import opencc
from pypinyin import Style, lazy_pinyin

DATE_UNRECOGNIZED = "无法识别的日期“{value}”：请写成 1990-05-01、1990.05 或 1990年5月。"
DATE_IMPOSSIBLE = "日期“{value}”不存在，请核对年、月、日。"
DATE_OUT_OF_RANGE = "日期“{value}”的年份应在 1900 至 2100 年之间，请核对。"

MIN_YEAR = 1900
MAX_YEAR = 2100
# Excel stores dates as days since 1899-12-30 (the epoch absorbs its fictitious 1900-02-29).
EXCEL_EPOCH = datetime.date(1899, 12, 30)
EXCEL_MAX_SERIAL = 80000

# pypinyin gives these their everyday sound (曾 ceng, 单 dan); as surnames they read differently.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "曾": ("zeng",),
    "单": ("shan",),
    "解": ("xie",),
    "仇": ("qiu",),
    "区": ("ou",),
    "朴": ("piao",),
    "查": ("zha",),
    "盖": ("ge",),
    "华": ("hua",),
    "任": ("ren",),
    "纪": ("ji",),
    "缪": ("miao",),
    "乐": ("yue",),
    "覃": ("qin",),
    "翟": ("zhai",),
    "尉": ("yu",),
    "员": ("yun",),
    "秘": ("bi",),
    "繁": ("po",),
    "隗": ("wei",),
    "种": ("chong",),
    "召": ("shao",),
    "佴": ("nai",),
    "柏": ("bai",),
    "薄": ("bo",),
    "卜": ("bu",),
    "谌": ("chen",),
    "宿": ("su",),
}

# Listed even where pypinyin already reads them right, so that the given name after them is read
# on its own and never glued into a phrase with the surname's second character.
COMPOUND_SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "长孙": ("zhang", "sun"),
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "单于": ("chan", "yu"),
    "澹台": ("tan", "tai"),
    "令狐": ("ling", "hu"),
    "欧阳": ("ou", "yang"),
    "司马": ("si", "ma"),
    "诸葛": ("zhu", "ge"),
    "上官": ("shang", "guan"),
    "东方": ("dong", "fang"),
    "皇甫": ("huang", "fu"),
    "公孙": ("gong", "sun"),
    "慕容": ("mu", "rong"),
    "司徒": ("si", "tu"),
    "夏侯": ("xia", "hou"),
    "宇文": ("yu", "wen"),
    "独孤": ("du", "gu"),
    "南宫": ("nan", "gong"),
    "西门": ("xi", "men"),
    "呼延": ("hu", "yan"),
    "端木": ("duan", "mu"),
    "轩辕": ("xuan", "yuan"),
}

_HANZI = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(f"[{_HANZI}]+|[a-z0-9]+")
_HANZI_RUN = re.compile(f"[{_HANZI}]+")
# Pasted from web pages and Word: invisible, yet they break equality and search.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# Control characters (NUL above all: PostgreSQL refuses it in text) carry nothing a reader needs.
_ZERO_WIDTH.update(dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]))
SEPARATORS = re.compile(r"\s*[、,;/\n]\s*")
# re.ASCII: a Unicode \d also matches digits like "٣" that no spreadsheet means as a date.
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", re.ASCII)
_DATE_PATTERNS = (
    re.compile(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?", re.ASCII),
    re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})[日号])?", re.ASCII),
    re.compile(r"(\d{4})(\d{2})(\d{2})?", re.ASCII),
)

Token = tuple[str, bool]  # (pinyin syllable or ASCII run, whether it was read from a hanzi)


# The ideographic space and the full-width forms of ASCII (！ to ～) as their half-width selves.
# One str.translate: cleaning every cell of a 100,000-row roster char by char in Python was a
# tenth of the import's time.
_HALFWIDTH: dict[int, str] = {
    0x3000: " ",
    **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)},
}


def to_halfwidth(s: str) -> str:
    return s.translate(_HALFWIDTH)


def clean(s: str | None) -> str:
    """Names, codes and numbers as typed anywhere: full-width letters and digits made half-width,
    whitespace collapsed. Not for prose: it would turn Chinese punctuation (，（）：) half-width."""
    if s is None:
        return ""
    return " ".join(to_halfwidth(s).translate(_ZERO_WIDTH).split())


def line(s: str | None) -> str:
    """A title or a short text on one line: whitespace collapsed, invisible characters dropped,
    Chinese punctuation kept as written."""
    if s is None:
        return ""
    return " ".join(s.translate(_ZERO_WIDTH).replace("\u3000", " ").split())


def prose(s: str | None) -> str:
    """A text of several lines (minutes, a resolution, a report): line breaks and punctuation
    kept, invisible characters and trailing spaces dropped, blank lines at the ends trimmed."""
    if s is None:
        return ""
    lines = s.replace("\r\n", "\n").replace("\r", "\n").translate(_ZERO_WIDTH).split("\n")
    return "\n".join(ln.rstrip() for ln in lines).strip("\n").strip()


@functools.cache
def _t2s_converter() -> Any:
    # Loading the dictionaries takes a while; pay it only when text is first converted.
    return opencc.OpenCC("t2s")


def t2s(s: str) -> str:
    return str(_t2s_converter().convert(s)) if s else ""


def _ascii_fold(s: str) -> str:
    # Keeps Latin letters in names like "José" searchable as plain ASCII.
    decomposed = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in decomposed if ch.isascii() or not unicodedata.combining(ch))


@functools.lru_cache(maxsize=65536)
def _run_pinyin(run: str) -> tuple[str, ...]:
    """The syllables of a run of Chinese characters. Whole runs go to pypinyin so that it can use
    its phrase readings; given names repeat a lot, and an import of 100,000 people asks for the
    same few thousand runs again and again."""
    syllables = lazy_pinyin(run, style=Style.NORMAL, errors="ignore")
    return tuple(syllable for syllable in syllables if syllable.isascii())


def _tokens(text: str) -> list[Token]:
    tokens: list[Token] = []
    for run in _RUN.findall(text):
        if _HANZI_RUN.fullmatch(run):
            tokens.extend((syllable, True) for syllable in _run_pinyin(run))
        else:
            tokens.append((run, False))
    return tokens


def _prepare(s: str) -> str:
    return _ascii_fold(t2s(clean(s))).lower()


def _name_tokens(name: str) -> list[Token]:
    text = _prepare(name)
    if not text:
        return []
    # A separator before the surname (" 曾蓉") must not hide it from the surname rule.
    first = _RUN.search(text)
    text = text[first.start() :] if first else text
    # Only when a given name follows: "单于" alone is far likelier 单 Shan plus 于 than the title.
    hanzi = _HANZI_RUN.match(text)
    if text[:2] in COMPOUND_SURNAME_READINGS and hanzi and len(hanzi.group()) > 2:
        surname = COMPOUND_SURNAME_READINGS[text[:2]]
        rest = text[2:]
    elif text[0] in SURNAME_READINGS:
        surname = SURNAME_READINGS[text[0]]
        rest = text[1:]
    else:
        return _tokens(text)
    return [(syllable, True) for syllable in surname] + _tokens(rest)


def _full(tokens: list[Token]) -> str:
    return "".join(token for token, _ in tokens)


def _initials(tokens: list[Token]) -> str:
    # Latin letters and digits stay whole: "TCL集团" is searched as "tcljt", not "tjt".
    return "".join(token[0] if from_hanzi else token for token, from_hanzi in tokens)


def pinyin_full(name: str) -> str:
    return _full(_name_tokens(name))


def pinyin_initials(name: str) -> str:
    return _initials(_name_tokens(name))


def pinyin_text(s: str) -> tuple[str, str]:
    tokens = _tokens(_prepare(s))
    return _full(tokens), _initials(tokens)


def name_search_keys(name: str) -> dict[str, str]:
    tokens = _name_tokens(name)
    return {
        "name_simplified": t2s(clean(name)),
        "name_pinyin": _full(tokens),
        "name_initials": _initials(tokens),
    }


def normalize_query(q: str) -> str:
    return t2s(clean(q)).lower()


def is_latin_query(q: str) -> bool:
    normalized = normalize_query(q)
    return bool(normalized) and normalized.isascii() and normalized.isalpha()


def split_multi(s: str | None) -> list[str]:
    if not s:
        return []
    # Cells typed with Alt+Enter hold one value a line; clean() would merge the lines.
    lines = [clean(line) for line in s.splitlines()]
    parts = SEPARATORS.split("\n".join(lines))
    return list(dict.fromkeys(part.strip() for part in parts if part.strip()))


def parse_date(value: object) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return _checked_year(value.date(), value)
    if isinstance(value, datetime.date):
        return _checked_year(value, value)
    if isinstance(value, bool):
        raise ValueError(DATE_UNRECOGNIZED.format(value=value))
    if isinstance(value, int | float):
        return _from_excel_serial(value, value)
    if not isinstance(value, str):
        raise ValueError(DATE_UNRECOGNIZED.format(value=value))
    text = clean(value)
    if text.isascii() and text.isdigit() and len(text) <= 5:
        return _from_excel_serial(int(text), text)
    compact = _TIME_SUFFIX.sub("", text).replace(" ", "")
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(compact)
        if match:
            year, month, day = match.groups()
            return _make_date(int(year), int(month), int(day or 1), text)
    raise ValueError(DATE_UNRECOGNIZED.format(value=text))


def _from_excel_serial(serial: float, shown: object) -> datetime.date:
    if not 1 <= serial <= EXCEL_MAX_SERIAL:
        raise ValueError(DATE_UNRECOGNIZED.format(value=shown))
    # A fractional part is the time of day, which a date does not keep.
    return _checked_year(EXCEL_EPOCH + datetime.timedelta(days=int(serial)), shown)


def _make_date(year: int, month: int, day: int, shown: object) -> datetime.date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(DATE_OUT_OF_RANGE.format(value=shown))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(DATE_IMPOSSIBLE.format(value=shown)) from None


def _checked_year(day: datetime.date, shown: object) -> datetime.date:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(DATE_OUT_OF_RANGE.format(value=shown))
    return day
