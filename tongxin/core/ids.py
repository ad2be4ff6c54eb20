"""Chinese resident ID numbers and phone numbers: checking, normalizing, building and masking."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumValidationError

from .text import to_halfwidth

ID_LENGTH = "身份证号应为18位（最后一位可为X）。"
ID_CHECKSUM = "身份证号校验位不正确，请核对最后一位。"
ID_BIRTH_DATE = "身份证号第7至14位的出生日期“{value}”不存在，请核对。"
ID_BIRTH_FUTURE = "身份证号中的出生日期“{value}”晚于今天，请核对。"
ID_BIRTH_TOO_EARLY = "身份证号中的出生日期“{value}”早于1900年，请核对。"
ID_PROVINCE = "身份证号前两位“{value}”不是有效的省级区划代码，请核对。"
ID_AREA_NOT_YET = "区划代码 {code} 在出生年份尚未启用，请核实（身份证号以签发地为准，可正常保存）。"
ID_AREA_RETIRED = "区划代码 {code} 在出生年份已撤销，请核实（身份证号以签发地为准，可正常保存）。"
ID_AREA_UNKNOWN = "区划代码 {code} 不在行政区划表中，请核实（身份证号以签发地为准，可正常保存）。"
ID_CONVERTED = "已将15位旧身份证号转换为18位。"
PHONE_INVALID = "手机号码应为11位（如 13812345678），固定电话应带区号（如 0838-2345678）。"

PROVINCE_CODES = frozenset(
    (*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55)),
) | frozenset((*range(61, 66), 71, 81, 82, 83, 91))
# ISO 7064 MOD 11-2 weights are 2^(17-i) mod 11 for the 17 leading digits.
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK_CHARS = "10X98765432"

# [0-9], not \d: str.isdigit and \d also accept digits like "²" and "٣".
_DIGITS = re.compile(r"[0-9]+")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_AREA = re.compile(r"0[0-9]{2,3}")
_LOCAL = re.compile(r"[0-9]{7,8}")
_EXTENSION = re.compile(r"[0-9]{1,6}")
_COUNTRY_PREFIX = re.compile(r"^(\+86|0086)[\s-]*")


@dataclass(frozen=True)
class IdCheck:
    number: str
    birth_date: datetime.date | None
    gender: str
    errors: list[str]
    warnings: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class PhoneCheck:
    number: str
    errors: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors


def _check_digit(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def _clean_id(raw: str) -> str:
    return "".join(to_halfwidth(raw or "").split()).upper()


def check_id_number(raw: str) -> IdCheck:
    number = _clean_id(raw)
    warnings: list[str] = []
    if len(number) == 15 and _DIGITS.fullmatch(number):
        first17 = number[:6] + "19" + number[6:]
        number = first17 + _check_digit(first17)
        warnings.append(ID_CONVERTED)
    if len(number) != 18 or not _DIGITS.fullmatch(number[:17]) or number[17] not in "0123456789X":
        return IdCheck(number, None, "", [ID_LENGTH], warnings)

    errors: list[str] = []
    if number[17] != _check_digit(number[:17]):
        errors.append(ID_CHECKSUM)
    birth_date = _birth_date(number[6:14], errors)
    if int(number[:2]) not in PROVINCE_CODES:
        errors.append(ID_PROVINCE.format(value=number[:2]))
    elif birth_date is not None:
        warnings.extend(_area_warnings(number, birth_date))
    gender = "M" if int(number[16]) % 2 else "F"
    return IdCheck(number, birth_date, gender, errors, warnings)


def _birth_date(digits: str, errors: list[str]) -> datetime.date | None:
    try:
        born = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        errors.append(ID_BIRTH_DATE.format(value=digits))
        return None
    if born > datetime.date.today():
        errors.append(ID_BIRTH_FUTURE.format(value=born.isoformat()))
        return None
    if born.year < 1900:
        errors.append(ID_BIRTH_TOO_EARLY.format(value=born.isoformat()))
        return None
    return born


_AREA_VERDICTS: dict[tuple[str, int], tuple[str, ...]] = {}


def _area_warnings(number: str, birth_date: datetime.date) -> list[str]:
    # stdnum's verdict depends only on the area code and the birth year; a roster repeats both
    # thousands of times, and the lookup dominated the cost of checking an ID.
    key = (number[:6], birth_date.year)
    if key not in _AREA_VERDICTS:
        _AREA_VERDICTS[key] = tuple(_area_verdict(number, birth_date))
    return list(_AREA_VERDICTS[key])


def _area_verdict(number: str, birth_date: datetime.date) -> list[str]:
    # The code is where the card was issued, which may be a district created after the birth
    # (510603 旌阳区 dates from 1996): stdnum's verdict is a hint to check, never a refusal.
    code = number[:6]
    found = {k: v for _, props in numdb.get("cn/loc").info(code) for k, v in props.items()}
    counties = found.get("county", "")
    if not counties:
        # Checked before asking stdnum, which fails with KeyError on a code it lacks.
        return [ID_AREA_UNKNOWN.format(code=code)]
    try:
        ric.get_birth_place(number)
    except StdnumValidationError:
        pass
    else:
        return []
    starts = [int(start) for start in re.findall(r"\[(\d{4})-", counties)]
    if starts and all(birth_date.year < start for start in starts):
        return [ID_AREA_NOT_YET.format(code=code)]
    return [ID_AREA_RETIRED.format(code=code)]


def make_id_number(area_code: str, birth: datetime.date, sequence: int, gender: str) -> str:
    if not (len(area_code) == 6 and _DIGITS.fullmatch(area_code)):
        raise ValueError(f"area_code must be 6 digits, got {area_code!r}")
    if not 0 <= sequence <= 99:
        raise ValueError(f"sequence must be 0-99, got {sequence}")
    if gender not in ("M", "F"):
        raise ValueError(f"gender must be 'M' or 'F', got {gender!r}")
    # Spread the gender digit with the sequence so that demo numbers are not all ...1X / ...2X.
    gender_digit = (sequence % 5) * 2 + (1 if gender == "M" else 0)
    first17 = f"{area_code}{birth:%Y%m%d}{sequence:02d}{gender_digit}"
    return first17 + _check_digit(first17)


def check_phone(raw: str) -> PhoneCheck:
    text = " ".join(to_halfwidth(raw or "").split())
    text = re.sub(r"^\(([0-9]{3,4})\)\s*", r"\1-", text)
    had_country_code = bool(_COUNTRY_PREFIX.match(text))
    text = _COUNTRY_PREFIX.sub("", text)
    main, _, extension = text.partition("转")
    extension = extension.strip(" -")
    groups = re.split(r"[\s-]+", main.strip(" -"))
    if not all(_DIGITS.fullmatch(group) for group in groups) or (
        extension and not _DIGITS.fullmatch(extension)
    ):
        return PhoneCheck(text, [PHONE_INVALID])

    digits = "".join(groups)
    if not extension:
        if _MOBILE.fullmatch(digits):
            return PhoneCheck(digits, [])
        if digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
            return PhoneCheck(digits[2:], [])
    if had_country_code and not digits.startswith("0"):
        # Callers from abroad drop the trunk 0: +86 838 2345678.
        groups[0] = "0" + groups[0]
    landline = _landline(groups, extension)
    if landline is None:
        return PhoneCheck(text, [PHONE_INVALID])
    return PhoneCheck(landline, [])


def _landline(groups: list[str], extension: str) -> str | None:
    candidates = [(groups[0], "".join(groups[1:]), extension)]
    if not extension and len(groups) >= 3:
        candidates.append((groups[0], groups[1], "".join(groups[2:])))
    candidates.append((*_split_area("".join(groups)), extension))
    if not extension and len(groups) >= 2:
        candidates.append((*_split_area("".join(groups[:-1])), groups[-1]))
    for area, local, ext in candidates:
        if (
            _AREA.fullmatch(area)
            and _LOCAL.fullmatch(local)
            and (not ext or _EXTENSION.fullmatch(ext))
        ):
            return f"{area}-{local}-{ext}" if ext else f"{area}-{local}"
    return None


def _split_area(digits: str) -> tuple[str, str]:
    # Beijing (010) and the 02X big cities have 3-digit area codes; every other one has 4.
    size = 3 if digits[:2] in ("01", "02") else 4
    return digits[:size], digits[size:]


def _mask_middle(n: str, keep_start: int, keep_end: int) -> str:
    # Too short to reveal anything and still hide most of it.
    if len(n) <= keep_start + keep_end + 2:
        return "*" * len(n)
    return n[:keep_start] + "*" * (len(n) - keep_start - keep_end) + n[len(n) - keep_end :]


def mask_id_number(n: str) -> str:
    n = (n or "").strip()
    if len(n) == 18:
        return n[:6] + "*" * 8 + n[-4:]
    return _mask_middle(n, 3, 2)


def mask_phone(n: str) -> str:
    n = (n or "").strip()
    if _MOBILE.fullmatch(n):
        return n[:3] + "****" + n[-4:]
    parts = n.split("-")
    if len(parts) in (2, 3) and _AREA.fullmatch(parts[0]) and _LOCAL.fullmatch(parts[1]):
        masked = [parts[0], "*" * (len(parts[1]) - 3) + parts[1][-3:]]
        # An extension alone identifies no one, yet nothing is gained by showing it.
        masked += ["*" * len(part) for part in parts[2:]]
        return "-".join(masked)
    return _mask_middle(n, 3, 2)
