"""python manage.py backup [--output PATH] — the database and the uploads in one .tar file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongxin.core import backup
from tongxin.core.backup_db import DatabaseToolError


class Command(BaseCommand):
    help = (
        "备份数据库和全部附件到一个 .tar 文件（应用运行时也可备份）。"
        "默认写到 $TONGXIN_VAR_DIR/backups/。字段加密密钥不在备份中，须另行保管。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", type=Path, help="备份文件路径（.tar）")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            made = backup.make(opts["output"])
        except (backup.BackupError, DatabaseToolError) as exc:
            raise CommandError(str(exc)) from exc
        m = made.manifest
        size = made.path.stat().st_size / 1024 / 1024
        self.stdout.write(
            f"备份完成：{made.path}（{size:.1f} MB；{len(m['tables'])}张表，{made.rows}行，"
            f"{m['media']['files']}个附件文件；校验和 {m['sha256'][:16]}…）"
        )
        if not m["media"]["included"]:
            self.stdout.write(backup.MEDIA_NOT_LOCAL.format(storage="非本机目录"))
        self.stdout.write(backup.keys_notice(m["field_key_ids"]))
