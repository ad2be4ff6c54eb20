"""A column of raw values on the ranking shows one number of decimals, so its figures line up."""

from __future__ import annotations

from decimal import Decimal as D

from tongxin.governance.indicator_words import column_places, number_text


def test_a_column_takes_the_decimals_of_its_most_precise_value() -> None:
    values = [D("195332.0000"), D("535520.0300"), D("12.5")]
    places = column_places(values)
    assert [number_text(v, places) for v in values] == ["195,332.00", "535,520.03", "12.50"]


def test_a_column_of_whole_numbers_shows_no_decimals() -> None:
    values = [D("12000.0000"), D(70)]
    assert [number_text(v, column_places(values)) for v in values] == ["12,000", "70"]
    assert column_places([]) == 0
