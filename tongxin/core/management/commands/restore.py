"""python manage.py restore PATH --yes — replace the database and the uploads with a backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongxin.core import backup
from tongxin.core.backup_db import DatabaseToolError


class Command(BaseCommand):
    help = (
        "用 manage.py backup 生成的备份覆盖当前数据库和附件。先核对备份清单和每个文件的校验和，"
        "全部无误才改动；须加 --yes 确认。需要备份时所用的字段加密密钥（不在备份中）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="备份文件（.tar）")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            plan = backup.plan(opts["path"])
            if not opts["yes"]:
                raise CommandError(plan.confirmation())
            done = backup.restore(plan)
        except (backup.BackupError, DatabaseToolError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"恢复完成：{len(plan.manifest['tables'])}张表共{plan.rows}行，行数与备份清单一致；"
            f"附件{done.media_files}个。备份时间 {plan.manifest['created_at'][:19]}。"
        )
        for note in done.notes:
            self.stdout.write(note)
        self.stdout.write(backup.keys_notice(plan.manifest.get("field_key_ids", [])))
