"""Numbers of the indicator pages as people write them (scoring.plain): 100.00 → 100, 12.50 →
12.5, None → —."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from tongxin.governance import indicator_words, scoring

register = template.Library()


@register.filter
def plain(value: Decimal | int | None) -> str:
    return "—" if value is None or value == "" else scoring.plain(value)


@register.filter
def signed(value: Decimal | int | None) -> str:
    """A change with its sign: +3, −2.5, 0."""
    if value is None:
        return ""
    text = scoring.plain(abs(Decimal(value)))
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else "0")


@register.filter
def count_of(comparison: Any, status: str) -> int:
    """How many rows of a year-on-year comparison have ``status`` (stayed, new, dropped)."""
    return int(comparison.count(status))


@register.filter
def absolute(value: Decimal | int) -> Decimal:
    return abs(Decimal(value))


@register.filter
def grouped(value: Decimal | int | None) -> str:
    """A raw value with thousands separators: 698843.07 → 698,843.07."""
    return "—" if value is None else indicator_words.number_text(value)
