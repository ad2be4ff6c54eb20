"""How the annual summary states numbers (summary.phrase), checked as properties over every count
and sum, and the wording checks that keep typed numbers out of the summary."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongxin.insight import summary
from tongxin.insight.summary import BARE, EXACT, QUARTERLY, ROUGHLY, YI, phrase

UNITS = st.sampled_from(["件", "场", "家", "个", "次", "篇", "名", "人", "套", "场次", "个板块"])
COUNTS = st.integers(min_value=0, max_value=10**10)
ROUGH = re.compile(r"^(\d+)(万|亿)?余(.+)$")


def _rough_value(text: str) -> tuple[int, str]:
    match = ROUGH.match(text)
    assert match, text
    scale = {"万": 10**4, "亿": 10**8, None: 1}[match.group(2)]
    return int(match.group(1)) * scale, match.group(3)


@pytest.mark.parametrize(
    ("count", "unit", "expected"),
    [
        (73, "件", "70余件"),
        (79, "件", "70余件"),
        (80, "件", "80余件"),
        (19, "件", "19件"),
        (20, "件", "20余件"),
        (220, "人", "200余人"),
        (412, "个", "400余个"),
        (826, "场次", "800余场次"),
        (43, "个板块", "40余个板块"),
        (0, "件", "0件"),
        (12_345, "人", "1万余人"),
        (250_000, "人", "20万余人"),
    ],
)
def test_counts_of_twenty_or_more_are_rounded_down_with_yu(
    count: int, unit: str, expected: str
) -> None:
    assert phrase(count, unit, ROUGHLY) == expected


@given(count=st.integers(min_value=0, max_value=19), unit=UNITS)
def test_counts_below_twenty_are_stated_exactly_even_where_yu_is_asked(
    count: int, unit: str
) -> None:
    assert phrase(count, unit, ROUGHLY) == f"{count}{unit}"


@given(count=st.integers(min_value=20, max_value=10**10), unit=UNITS)
def test_a_rounded_count_is_its_leading_digit_never_more_than_the_count(
    count: int, unit: str
) -> None:
    stated, stated_unit = _rough_value(phrase(count, unit, ROUGHLY))
    assert stated_unit == unit
    magnitude = 10 ** (len(str(count)) - 1)
    assert stated <= count < stated + magnitude  # rounded down, by less than one leading unit
    assert str(stated).rstrip("0") == str(count)[0]  # one significant digit: 70, 200, 4000


@given(a=st.integers(min_value=20, max_value=10**9), b=st.integers(min_value=20, max_value=10**9))
def test_rounding_keeps_the_order_of_counts(a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert (
        _rough_value(phrase(low, "件", ROUGHLY))[0] <= _rough_value(phrase(high, "件", ROUGHLY))[0]
    )


@given(count=COUNTS, unit=UNITS)
def test_without_a_style_a_count_is_stated_exactly_with_its_unit(count: int, unit: str) -> None:
    assert phrase(count, unit) == f"{count}{unit}"
    assert phrase(count, unit, BARE) == str(count)


@pytest.mark.parametrize(
    ("wan", "expected"),
    [
        ("623800.00", "62.38亿元"),
        ("5000", "0.50亿元"),
        ("0", "0.00亿元"),
        ("12345.67", "1.23亿元"),
        ("12350.00", "1.24亿元"),  # half up, as money is rounded
    ],
)
def test_wan_yuan_sums_are_stated_in_yi_yuan_with_two_decimals(wan: str, expected: str) -> None:
    assert phrase(Decimal(wan), "万元", YI) == expected


@given(wan=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_yi_yuan_is_the_wan_yuan_sum_over_ten_thousand_to_the_cent(wan: Decimal) -> None:
    text = phrase(wan, "万元", YI)
    assert re.fullmatch(r"\d+\.\d{2}亿元", text), text
    expected = (wan / 10_000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert Decimal(text.removesuffix("亿元")) == expected


@given(wan=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_a_wan_yuan_sum_without_a_style_keeps_its_two_decimals(wan: Decimal) -> None:
    assert phrase(wan, "万元") == f"{wan.quantize(Decimal('0.01'))}万元"


@given(count=COUNTS)
def test_quarterly_meetings_read_once_a_quarter_only_when_there_were_four(count: int) -> None:
    text = phrase(count, "次", QUARTERLY)
    assert (text == "每季度召开一次") == (count == 4)
    if count != 4:
        assert text == f"全年召开{count}次"


def test_yi_yuan_is_only_for_sums_in_wan_yuan_and_unknown_styles_are_refused() -> None:
    with pytest.raises(ValueError, match="万元"):
        phrase(7, "件", YI)
    with pytest.raises(ValueError, match="style"):
        phrase(7, "件", "大约")
    assert EXACT == ""


# --- the wording checks ---------------------------------------------------------------------------


def _errors(text: str, key: str = "centre_5") -> list[str]:
    return summary.check_wording({key: text}).get(key, [])


def test_placeholders_of_registered_metrics_and_place_words_pass() -> None:
    assert _errors("协调解决困难问题{hmt_cases_resolved:余}，授信签约{hmt_credit:亿元}。") == []
    assert _errors("{year}年，{department}召开政党协商会议{party_consultations}。") == []
    # Digits that are no figure (a name, an anniversary, a year) are words like any other.
    assert _errors("统一战线政策100周年，入围四川省民营企业100强，第二十届“海科会”。") == []


@pytest.mark.parametrize("typed", ["5场", "70余件", "62.38亿元", "49名", "800余场次", "12 个"])
def test_a_number_typed_with_its_unit_is_refused_with_the_placeholder_to_use(typed: str) -> None:
    errors = _errors(f"协调解决困难问题{typed}。")
    assert errors == [summary.TYPED.format(n=17, figure=typed)]
    assert "占位符" in errors[0]


def test_unknown_placeholders_styles_and_braces_are_refused_in_chinese() -> None:
    assert _errors("{no_such_metric}") == [summary.UNKNOWN_KEY.format(n=17, key="no_such_metric")]
    assert _errors("{trainees:大约}")[0].startswith("第17段：“{trainees:大约}”的写法“大约”不存在")
    assert _errors("{trainees:亿元}") == [summary.YI_NEEDS_WAN.format(n=17, key="trainees")]
    assert _errors("{place:余}") == [summary.PLACE_WITH_STYLE.format(n=17, key="place")]
    assert _errors("召开会议{party_consultations") == [summary.UNBALANCED.format(n=17)]


def test_the_title_takes_place_words_but_no_figures() -> None:
    assert summary.check_wording({}, title="{year}年{place}统战工作综述") == {}
    errors = summary.check_wording({}, title="{year}年共{party_consultations}")
    assert errors == {"title": [summary.TITLE_WITH_FIGURE]}
