"""Working-day deadlines: holidays skipped, make-up Saturdays counted, unknown years refused."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from tongxin.core import workdays
from tongxin.core.models import CalendarDay, CalendarYear

D = dt.date


def test_five_working_days_skip_the_national_day_holiday(db: None) -> None:
    # 2024-09-27 (Fri): 29 Sep (Sun) is a make-up working day, 1-7 Oct are off, 12 Oct (Sat) works.
    assert workdays.add_working_days(D(2024, 9, 27), 1) == D(2024, 9, 29)
    assert workdays.add_working_days(D(2024, 9, 27), 3) == D(2024, 10, 8)
    assert workdays.add_working_days(D(2024, 9, 27), 5) == D(2024, 10, 10)


def test_spring_festival_make_up_saturday_counts(db: None) -> None:
    assert workdays.is_workday(D(2024, 2, 4))  # Sunday, 调休上班
    assert not workdays.is_workday(D(2024, 2, 12))  # Monday, 春节


def test_a_year_nobody_has_entered_is_refused_not_guessed(db: None) -> None:
    with pytest.raises(workdays.UnknownYear) as err:
        workdays.add_working_days(D(2099, 6, 1), 5)
    assert "2099年的法定节假日和调休安排尚未录入" in str(err.value)
    with pytest.raises(ValidationError) as verr:
        workdays.deadline_after(5, D(2099, 6, 1))
    assert "请系统管理员录入该年安排" in verr.value.messages[0]


def test_an_entered_year_counts_its_holidays_and_make_up_days(db: None) -> None:
    out = StringIO()
    call_command(
        "holidays",
        "2099",
        "--holiday",
        "2099-01-01..2099-01-03:元旦",
        "--workday",
        "2099-01-04:元旦调休",
        stdout=out,
    )
    assert "放假 3 天，调休上班 1 天" in out.getvalue()
    assert CalendarYear.objects.filter(year=2099).exists()
    # 2098-12-31 (Wed): 1-3 Jan off, Sun 4 Jan works, Mon 5 Jan.
    assert workdays.add_working_days(D(2098, 12, 31), 1) == D(2099, 1, 4)
    assert workdays.add_working_days(D(2098, 12, 31), 2) == D(2099, 1, 5)
    call_command("holidays", "2099", "--holiday", "2099-01-01:元旦", stdout=StringIO())
    assert CalendarDay.objects.filter(date__year=2099).count() == 1  # re-entered, replaced


def test_the_command_explains_a_bad_date() -> None:
    with pytest.raises(CommandError) as err:
        call_command("holidays", "2099", "--holiday", "99-1-1")
    assert "格式有误" in str(err.value)
