"""python manage.py task_deadlines — the daily deadline reminders of 督办事项, for a scheduler.

Every open task due within three days or overdue gets one 到期提醒 or 逾期提醒 on its timeline a
day; running it again the same day writes nothing new. Example crontab line:
``5 7 * * * cd /srv/tongxin && .venv/bin/python manage.py task_deadlines``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tongxin.core import audit
from tongxin.governance import services_tasks as services
from tongxin.work.models import DUE_SOON_DAYS


class Command(BaseCommand):
    help = (
        f"为逾期和{DUE_SOON_DAYS}天内到期的在办督办事项写入当天的到期提醒"
        "（每项每天一条，可重复运行）。"
    )

    def handle(self, *args: Any, **opts: Any) -> None:
        with audit.acting_as(None, via="命令行 task_deadlines"):
            run = services.task_deadline_reminders()
        written = run.overdue + run.due_soon
        self.stdout.write(
            f"{run.on:%Y-%m-%d} 督办事项到期提醒：新写入 {written} 条"
            f"（逾期 {run.overdue} 项，{DUE_SOON_DAYS}天内到期 {run.due_soon} 项）；"
            f"今天已提醒过的 {run.already} 项未重复写入。"
        )
