"""Text normalization, pinyin search keys with surname readings, multi-value cells and dates."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tongxin.core.text import (
    DATE_IMPOSSIBLE,
    DATE_OUT_OF_RANGE,
    DATE_UNRECOGNIZED,
    EXCEL_EPOCH,
    clean,
    is_latin_query,
    name_search_keys,
    normalize_query,
    parse_date,
    pinyin_full,
    pinyin_initials,
    pinyin_text,
    split_multi,
    t2s,
    to_halfwidth,
)

# No example database: it would write a .hypothesis directory into the shared tree.
properties = settings(
    database=None, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)


def test_full_width_letters_digits_and_the_ideographic_space_become_half_width() -> None:
    assert to_halfwidth("ＡＢＣ１２３！　（Ｘ）") == "ABC123! (X)"


def test_chinese_punctuation_outside_the_full_width_block_is_kept() -> None:
    assert to_halfwidth("、。《》") == "、。《》"


@properties
@given(st.text())
def test_to_halfwidth_is_idempotent(s: str) -> None:
    once = to_halfwidth(s)
    assert to_halfwidth(once) == once


def test_clean_collapses_every_kind_of_whitespace() -> None:
    assert clean("\u3000 张\t\t三 \xa0\n 李四\u200b ") == "张 三 李四"


def test_clean_turns_none_into_an_empty_string() -> None:
    assert clean(None) == ""


@properties
@given(st.text())
def test_clean_never_leaves_outer_or_double_whitespace(s: str) -> None:
    cleaned = clean(s)
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    assert all(ch == " " or not ch.isspace() for ch in cleaned)


def test_traditional_characters_become_simplified() -> None:
    assert t2s("陳") == "陈"
    assert t2s("歐陽脩") == "欧阳修"


def test_zr_finds_zeng_rong() -> None:
    assert pinyin_initials("曾蓉") == "zr"
    assert pinyin_full("曾蓉") == "zengrong"


def test_shan_xiong_xin_reads_his_surname_shan() -> None:
    assert pinyin_full("单雄信") == "shanxiongxin"
    assert pinyin_initials("单雄信") == "sxx"
    assert pinyin_full("单") == "shan"


@pytest.mark.parametrize(
    ("name", "full"),
    [
        ("解缙", "xiejin"),
        ("仇英", "qiuying"),
        ("区永", "ouyong"),
        ("朴树", "piaoshu"),
        ("查良镛", "zhaliangyong"),
        ("盖叫天", "gejiaotian"),
        ("乐毅", "yueyi"),
        ("翟志刚", "zhaizhigang"),
        ("种师道", "chongshidao"),
        ("万俟卨", "moqixie"),
        ("单于光", "chanyuguang"),
        ("澹台灭明", "tantaimieming"),
        ("令狐冲", "linghuchong"),
        ("长孙无忌", "zhangsunwuji"),
    ],
)
def test_polyphonic_surnames_take_their_surname_reading(name: str, full: str) -> None:
    assert pinyin_full(name) == full


def test_compound_surnames_stay_one_surname() -> None:
    assert pinyin_full("尉迟恭") == "yuchigong"
    assert pinyin_initials("尉迟恭") == "ycg"
    assert pinyin_full("欧阳修") == "ouyangxiu"
    assert pinyin_initials("欧阳修") == "oyx"
    assert pinyin_initials("诸葛亮") == "zgl"


def test_a_two_character_name_is_a_surname_and_a_given_name_not_a_compound_surname() -> None:
    assert pinyin_full("单于") == "shanyu"


def test_traditional_names_get_the_same_keys_as_simplified_ones() -> None:
    assert pinyin_full("單雄信") == "shanxiongxin"
    assert pinyin_initials("尉遲恭") == "ycg"


def test_punctuation_and_spaces_in_names_are_dropped() -> None:
    assert pinyin_full("买买提·艾力") == "maimaitiaili"
    assert pinyin_initials("买买提•艾力") == "mmtal"
    assert pinyin_initials(" 曾　蓉 ") == "zr"


def test_latin_letters_are_lowercased_and_digits_kept() -> None:
    assert pinyin_full("Ａnna李") == "annali"
    assert pinyin_text("TCL集团3号") == ("tcljituan3hao", "tcljt3h")


def test_organization_names_are_read_without_the_surname_rule() -> None:
    assert pinyin_text("单位曾经") == ("danweicengjing", "dwcj")


def test_name_search_keys_holds_the_simplified_name_and_both_pinyin_keys() -> None:
    assert name_search_keys(" 陳　蓉 ") == {
        "name_simplified": "陈 蓉",
        "name_pinyin": "chenrong",
        "name_initials": "cr",
    }


def test_queries_are_cleaned_simplified_and_lowercased() -> None:
    assert normalize_query("　陳ＺＲ  ") == "陈zr"


def test_a_query_of_letters_only_is_searched_as_pinyin() -> None:
    assert is_latin_query(" ＺＲ ")
    assert not is_latin_query("zr1")
    assert not is_latin_query("曾r")
    assert not is_latin_query("  ")


def test_split_multi_splits_on_chinese_and_ascii_separators() -> None:
    assert split_multi("张三、李四，王五 ; 赵六／钱七,孙八;周九/吴十") == [
        "张三",
        "李四",
        "王五",
        "赵六",
        "钱七",
        "孙八",
        "周九",
        "吴十",
    ]


def test_split_multi_keeps_order_and_drops_empties_and_duplicates() -> None:
    assert split_multi("李四、、张三 ,李四，") == ["李四", "张三"]
    assert split_multi("") == []


def test_split_multi_keeps_spaces_inside_a_value_and_splits_lines() -> None:
    assert split_multi("John Smith、李四\n王五") == ["John Smith", "李四", "王五"]


@pytest.mark.parametrize(
    "value",
    [
        "1990-05-01",
        "1990/5/1",
        "1990.5.1",
        "1990年5月1日",
        "19900501",
        " １９９０－０５－０１ ",
        "1990-05-01 00:00:00",
        32994,
        32994.75,
        "32994",
        datetime.date(1990, 5, 1),
        datetime.datetime(1990, 5, 1, 8, 30),
    ],
)
def test_parse_date_reads_the_usual_spellings(value: object) -> None:
    assert parse_date(value) == datetime.date(1990, 5, 1)


@pytest.mark.parametrize("value", ["1990.05", "1990-05", "1990年5月", "199005"])
def test_a_month_alone_means_its_first_day(value: str) -> None:
    assert parse_date(value) == datetime.date(1990, 5, 1)


def test_an_unreadable_date_says_which_format_to_use() -> None:
    with pytest.raises(ValueError, match=r"请写成 1990-05-01、1990\.05 或 1990年5月") as caught:
        parse_date("abc")
    assert str(caught.value) == DATE_UNRECOGNIZED.format(value="abc")


@pytest.mark.parametrize("value", [True, None, "", "1990-5-1-1", "5/1/1990x"])
def test_other_values_are_not_dates(value: object) -> None:
    with pytest.raises(ValueError, match="无法识别的日期"):
        parse_date(value)


def test_an_impossible_date_is_refused() -> None:
    with pytest.raises(ValueError) as caught:
        parse_date("1990-02-30")
    assert str(caught.value) == DATE_IMPOSSIBLE.format(value="1990-02-30")


@pytest.mark.parametrize("value", ["1899-12-31", "2101-01-01", "1", datetime.date(1850, 1, 1)])
def test_years_outside_1900_to_2100_are_refused(value: object) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(value)
    assert str(caught.value) == DATE_OUT_OF_RANGE.format(value=value)


_DATES = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))


@properties
@given(_DATES)
def test_parse_date_round_trips_isoformat(day: datetime.date) -> None:
    assert parse_date(day.isoformat()) == day


@properties
@given(_DATES)
def test_parse_date_round_trips_excel_serials(day: datetime.date) -> None:
    serial = (day - EXCEL_EPOCH).days
    assert parse_date(serial) == day
    assert parse_date(str(serial)) == day
    assert parse_date(serial + 0.5) == day
