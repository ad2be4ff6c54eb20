"""python manage.py holidays 2027 --holiday 2027-01-01:元旦 --workday 2027-02-07:春节调休 …

Enter a year's public holidays and make-up working days as the State Council announced them,
for the years the chinesecalendar package does not know yet. Ranges: 2027-02-10..2027-02-16:春节."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongxin.core import workdays


def _days(specs: list[str]) -> dict[dt.date, str]:
    found: dict[dt.date, str] = {}
    for spec in specs:
        when, _, name = spec.partition(":")
        first, _, last = when.partition("..")
        try:
            start = dt.date.fromisoformat(first)
            end = dt.date.fromisoformat(last) if last else start
        except ValueError:
            raise CommandError(
                f"“{spec}”格式有误，应为 2027-01-01:元旦 或 2027-02-10..2027-02-16:春节。"
            ) from None
        day = start
        while day <= end:
            found[day] = name or "节假日"
            day += dt.timedelta(days=1)
    return found


class Command(BaseCommand):
    help = "录入某年的法定节假日和调休上班日（chinesecalendar 尚不知道的年份）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--holiday", action="append", default=[], help="放假日，可用范围")
        parser.add_argument("--workday", action="append", default=[], help="调休上班日")

    def handle(self, *args: Any, **opts: Any) -> None:
        holidays, extra = _days(opts["holiday"]), _days(opts["workday"])
        try:
            workdays.enter_year(actor=None, year=opts["year"], holidays=holidays, workdays=extra)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"已录入{opts['year']}年安排：放假 {len(holidays)} 天，调休上班 {len(extra)} 天。"
        )
