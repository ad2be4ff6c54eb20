"""Resident ID numbers (checksum and date are errors, area code a warning) and phone numbers."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tongxin.core.ids import (
    ID_AREA_NOT_YET,
    ID_AREA_UNKNOWN,
    ID_BIRTH_DATE,
    ID_BIRTH_FUTURE,
    ID_BIRTH_TOO_EARLY,
    ID_CHECKSUM,
    ID_CONVERTED,
    ID_LENGTH,
    ID_PROVINCE,
    PHONE_INVALID,
    PROVINCE_CODES,
    check_id_number,
    check_phone,
    make_id_number,
    mask_id_number,
    mask_phone,
)

# No example database: it would write a .hypothesis directory into the shared tree.
properties = settings(
    database=None, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)

BORN_1990 = datetime.date(1990, 1, 1)


def _with_check_digit(first17: str) -> str:
    # Independent of the module: the textbook ISO 7064 MOD 11-2 formula.
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    return first17 + "10X98765432"[total % 11]


def to_full_width(digits: str) -> str:
    return "".join(chr(ord(d) + 0xFEE0) for d in digits)


def test_a_valid_number_is_accepted_with_birth_date_and_gender() -> None:
    check = check_id_number("360426199101010071")
    assert check.ok
    assert check.errors == []
    assert check.warnings == []
    assert check.birth_date == datetime.date(1991, 1, 1)
    assert check.gender == "M"


def test_an_area_code_newer_than_the_birth_year_is_only_a_warning() -> None:
    number = make_id_number("510603", BORN_1990, 12, "F")
    check = check_id_number(number)
    assert check.ok
    assert check.warnings == [ID_AREA_NOT_YET.format(code="510603")]
    assert check.birth_date == BORN_1990
    assert check.gender == "F"


def test_a_current_area_code_gives_no_warning() -> None:
    check = check_id_number(make_id_number("510603", datetime.date(2001, 3, 4), 7, "M"))
    assert check.ok
    assert check.warnings == []


def test_an_area_code_missing_from_the_table_is_only_a_warning() -> None:
    check = check_id_number(make_id_number("519999", BORN_1990, 1, "M"))
    assert check.ok
    assert check.warnings == [ID_AREA_UNKNOWN.format(code="519999")]


def test_an_invalid_province_code_is_an_error() -> None:
    check = check_id_number(make_id_number("990101", BORN_1990, 1, "M"))
    assert check.errors == [ID_PROVINCE.format(value="99")]


def test_a_wrong_check_digit_is_an_error() -> None:
    number = make_id_number("510603", datetime.date(2001, 3, 4), 7, "M")
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    assert check_id_number(wrong).errors == [ID_CHECKSUM]


def test_spaces_full_width_digits_and_a_lowercase_x_are_cleaned() -> None:
    number = _with_check_digit("11010119800101007")
    assert number.endswith("X")
    spaced = " " + to_full_width(number[:6]) + " " + number[6:17] + " x\u3000"
    check = check_id_number(spaced)
    assert check.number == number
    assert check.ok


@pytest.mark.parametrize(
    "raw", ["", "abc", "51060319900101123", "5106031990010112345", "51060319900101123Y"]
)
def test_wrong_length_or_characters_ask_for_eighteen_digits(raw: str) -> None:
    check = check_id_number(raw)
    assert check.errors == [ID_LENGTH]
    assert check.birth_date is None
    assert check.gender == ""


def test_an_impossible_birth_date_is_an_error() -> None:
    check = check_id_number(_with_check_digit("51060319900230123"))
    assert check.errors == [ID_BIRTH_DATE.format(value="19900230")]
    assert check.birth_date is None


def test_a_birth_date_in_the_future_is_an_error() -> None:
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    check = check_id_number(make_id_number("510603", tomorrow, 1, "M"))
    assert check.errors == [ID_BIRTH_FUTURE.format(value=tomorrow.isoformat())]


def test_a_birth_date_before_1900_is_an_error() -> None:
    check = check_id_number(make_id_number("110101", datetime.date(1899, 12, 31), 1, "M"))
    assert check.errors == [ID_BIRTH_TOO_EARLY.format(value="1899-12-31")]


def test_a_fifteen_digit_number_is_converted_with_a_warning() -> None:
    check = check_id_number("510603900101123")
    assert check.ok
    assert check.number == _with_check_digit("51060319900101123")
    assert check.warnings[0] == ID_CONVERTED
    assert check.birth_date == BORN_1990
    assert check.gender == "M"


def test_a_fifteen_digit_number_with_an_impossible_date_is_still_an_error() -> None:
    check = check_id_number("510603900230123")
    assert check.errors == [ID_BIRTH_DATE.format(value="19900230")]


def test_make_id_number_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError):
        make_id_number("5106", BORN_1990, 1, "M")
    with pytest.raises(ValueError):
        make_id_number("510603", BORN_1990, 100, "M")
    with pytest.raises(ValueError):
        make_id_number("510603", BORN_1990, 1, "")


_AREAS = st.builds(
    lambda province, rest: f"{province}{rest:04d}",
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.integers(0, 9999),
)
_BIRTHS = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date.today())
_GENDERS = st.sampled_from(["M", "F"])


@properties
@given(_AREAS, _BIRTHS, st.integers(0, 99), _GENDERS)
def test_made_numbers_pass_the_check_and_round_trip(
    area: str, birth: datetime.date, sequence: int, gender: str
) -> None:
    number = make_id_number(area, birth, sequence, gender)
    check = check_id_number(number)
    assert check.errors == []
    assert check.number == number
    assert check.birth_date == birth
    assert check.gender == gender


@properties
@given(_AREAS, _BIRTHS, st.integers(0, 99), _GENDERS, st.integers(0, 17), st.data())
def test_changing_any_one_character_is_caught(
    area: str,
    birth: datetime.date,
    sequence: int,
    gender: str,
    position: int,
    data: st.DataObject,
) -> None:
    number = make_id_number(area, birth, sequence, gender)
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in alphabet if c != number[position]]))
    mutated = number[:position] + replacement + number[position + 1 :]
    assert not check_id_number(mutated).ok


def test_mask_id_number_keeps_the_area_code_and_the_last_four() -> None:
    assert mask_id_number("51060319900101123X") == "510603********123X"
    assert mask_id_number("510603900101123") == "510**********23"
    assert mask_id_number("") == ""


@properties
@given(_AREAS, _BIRTHS, st.integers(0, 99), _GENDERS)
def test_a_masked_id_shows_ten_characters_at_most(
    area: str, birth: datetime.date, sequence: int, gender: str
) -> None:
    masked = mask_id_number(make_id_number(area, birth, sequence, gender))
    assert len(masked) == 18
    assert len(masked.replace("*", "")) == 10


@properties
@given(st.text(alphabet="0123456789X", max_size=30))
def test_a_masked_id_of_another_length_shows_five_characters_at_most(raw: str) -> None:
    masked = mask_id_number(raw)
    assert len(masked) == len(raw)
    assert len(masked.replace("*", "")) <= (10 if len(raw) == 18 else 5)


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "１３８ １２３４ ５６７８",
        "+86 138-1234-5678",
        "0086 13812345678",
        "8613812345678",
        "138-1234-5678",
    ],
)
def test_mobiles_are_normalized_to_eleven_digits(raw: str) -> None:
    assert check_phone(raw) == check_phone("13812345678")
    assert check_phone(raw).number == "13812345678"
    assert check_phone(raw).ok


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("0838-2345678", "0838-2345678"),
        ("08382345678", "0838-2345678"),
        ("0838 2345678", "0838-2345678"),
        ("（0838）2345678", "0838-2345678"),
        ("010-12345678", "010-12345678"),
        ("02812345678", "028-12345678"),
        ("+86 838 2345678", "0838-2345678"),
        ("0838-2345678-123", "0838-2345678-123"),
        ("0838-2345678转123", "0838-2345678-123"),
        ("0838 2345678 转 123", "0838-2345678-123"),
    ],
)
def test_landlines_are_normalized_with_area_code_and_extension(raw: str, number: str) -> None:
    check = check_phone(raw)
    assert check.ok
    assert check.number == number


@pytest.mark.parametrize(
    "raw", ["", "2345678", "12345678901", "1381234567", "138123456789", "0838-12345", "电话"]
)
def test_other_numbers_say_how_to_write_a_phone_number(raw: str) -> None:
    assert check_phone(raw).errors == [PHONE_INVALID]


def test_mask_phone_keeps_the_mobile_prefix_and_last_four() -> None:
    assert mask_phone("13812345678") == "138****5678"


def test_mask_phone_keeps_the_area_code_and_last_three_of_a_landline() -> None:
    assert mask_phone("0838-2345678") == "0838-****678"
    assert mask_phone("010-12345678") == "010-*****678"
    assert mask_phone("0838-2345678-123") == "0838-****678-***"
    assert mask_phone("") == ""


@properties
@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_a_masked_mobile_shows_seven_digits(mobile: str) -> None:
    masked = mask_phone(mobile)
    assert masked == mobile[:3] + "****" + mobile[-4:]


@properties
@given(st.from_regex(r"0[0-9]{2,3}-[0-9]{7,8}(-[0-9]{1,6})?", fullmatch=True))
def test_a_masked_landline_shows_its_area_code_and_three_digits(landline: str) -> None:
    area = landline.split("-")[0]
    masked = mask_phone(landline)
    assert masked.startswith(area + "-")
    assert len(masked.replace("*", "").replace("-", "")) == len(area) + 3


@properties
@given(st.text(max_size=20))
def test_a_masked_phone_never_shows_more_than_seven_characters(raw: str) -> None:
    masked = mask_phone(raw.strip())
    assert len(masked.replace("*", "").replace("-", "")) <= 7
