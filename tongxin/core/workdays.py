"""Working days of mainland China, for deadlines such as "5个工作日内办结".

A day's status comes from, in order: what an admin entered (CalendarDay), the ``chinesecalendar``
package (holidays and the make-up working Saturdays of each year it knows), and, for a year an
admin has marked as entered (CalendarYear), the plain week. A year nobody knows yet is refused
with a message saying so: a deadline is never a guess."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar
from django.db import transaction
from django.utils import timezone

from .models import CalendarDay, CalendarYear, User

UNKNOWN_YEAR = (
    "{year}年的法定节假日和调休安排尚未录入，无法按工作日计算时限。"
    "请系统管理员录入该年安排（python manage.py holidays {year} …），或直接选择截止日期。"
)
MAX_WORKING_DAYS = 366


class UnknownYear(ValueError):
    def __init__(self, year: int) -> None:
        super().__init__(UNKNOWN_YEAR.format(year=year))
        self.year = year


@lru_cache(maxsize=64)
def _package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _entered(start: dt.date, end: dt.date) -> tuple[dict[dt.date, bool], set[int]]:
    days = dict(
        CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "is_workday")
    )
    years = set(
        CalendarYear.objects.filter(year__range=(start.year, end.year)).values_list(
            "year", flat=True
        )
    )
    return days, years


def _is_workday(day: dt.date, entered: dict[dt.date, bool], years: set[int]) -> bool:
    if day in entered:
        return entered[day]
    if _package_knows(day.year):
        return bool(chinese_calendar.is_workday(day))
    if day.year in years:
        return day.weekday() < 5
    raise UnknownYear(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    if not 1 <= days <= MAX_WORKING_DAYS:
        raise ValueError(f"工作日天数应在1到{MAX_WORKING_DAYS}之间。")
    horizon = start + dt.timedelta(days=days * 2 + 30)  # holidays never double a span
    entered, years = _entered(start, horizon)
    day, left = start, days
    while left:
        day += dt.timedelta(days=1)
        if _is_workday(day, entered, years):
            left -= 1
    return day


def is_workday(day: dt.date) -> bool:
    entered, years = _entered(day, day)
    return _is_workday(day, entered, years)


@transaction.atomic
def enter_year(
    *, actor: User | None, year: int, holidays: dict[dt.date, str], workdays: dict[dt.date, str]
) -> CalendarYear:
    """An admin enters a year's schedule as announced: the days off and the make-up working days.
    Entered days replace what was entered for that year before."""
    from . import access

    if actor is not None:
        access.require_role(actor, "admin")
    for day in [*holidays, *workdays]:
        if day.year != year:
            raise ValueError(f"{day} 不在{year}年内。")
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=d, is_workday=False, name=n) for d, n in sorted(holidays.items())]
        + [CalendarDay(date=d, is_workday=True, name=n) for d, n in sorted(workdays.items())]
    )
    entry, _ = CalendarYear.objects.update_or_create(year=year, defaults={"entered_by": actor})
    return entry


def deadline_after(days: int, start: dt.date | None = None) -> dt.date:
    """A deadline of ``days`` working days from ``start`` (today), for forms and the API: an
    unknown year or a bad count is a ValidationError on the deadline, in words."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    try:
        return add_working_days(start or timezone.localdate(), days)
    except ValueError as exc:
        raise ValidationError({"deadline": str(exc)}) from None


def start_of_day(day: dt.date) -> dt.datetime:
    """Local midnight of ``day``: "reminded today" means an event at or after it."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def deadline_reminder(deadline: dt.date, days: int, overdue_advice: str) -> tuple[bool, str]:
    """The daily reminder of a case or a task ``days`` before its ``deadline`` (negative: past
    it): whether it is overdue, and the sentence on the timeline."""
    when = f"{deadline:%Y-%m-%d}"
    if days < 0:
        return True, f"已逾期{-days}天（办理时限 {when}），{overdue_advice}"
    soon = "今天到期" if days == 0 else f"还有{days}天到期"
    return False, f"{soon}（办理时限 {when}），请按时办结。"
