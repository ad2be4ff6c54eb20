"""python manage.py case_deadlines — the daily deadline reminders of cases, for a scheduler.

Every open case due within three days or overdue gets one 到期提醒 or 逾期提醒 on its timeline a
day; running it again the same day writes nothing new. Example crontab line:
``30 7 * * * cd /srv/tongxin && .venv/bin/python manage.py case_deadlines``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tongxin.core import audit
from tongxin.work import services
from tongxin.work.models import DUE_SOON_DAYS


class Command(BaseCommand):
    help = (
        f"为逾期和{DUE_SOON_DAYS}天内到期的在办诉求写入当天的到期提醒（每件每天一条，可重复运行）。"
    )

    def handle(self, *args: Any, **opts: Any) -> None:
        with audit.acting_as(None, via="命令行 case_deadlines"):
            run = services.case_deadline_reminders()
        written = run.overdue + run.due_soon
        self.stdout.write(
            f"{run.on:%Y-%m-%d} 诉求到期提醒：新写入 {written} 条"
            f"（逾期 {run.overdue} 件，{DUE_SOON_DAYS}天内到期 {run.due_soon} 件）；"
            f"今天已提醒过的 {run.already} 件未重复写入。"
        )
