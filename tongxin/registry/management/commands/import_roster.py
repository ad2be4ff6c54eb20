"""python manage.py import_roster FILE --user NAME [--commit] — a large roster from the shell.

The same engine, checks and scope as the web page and the API (importing.py): the file is
previewed as a job under the user's name; ``--commit`` writes every good row in one transaction,
or none. A job previewed earlier (on the page or here) is committed with ``--job ID --commit``.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from tongxin.core import access, audit
from tongxin.core.models import Region, User
from tongxin.registry import import_kinds, importing, progress
from tongxin.registry.models import ImportJob

SHOWN_ISSUES = 20
PROGRESS_SECONDS = 1.0

NO_USER = "找不到用户 {name}：导入以该用户的名义和管辖范围进行，请填写已有的用户名。"
NO_REGION = "区域代码 {code} 不存在或不在 {name} 的管辖范围内。"
NO_JOB = "找不到导入任务 #{job}（或不在 {name} 的范围内）。"
NO_FILE = "找不到文件 {path}。"
FILE_OR_JOB = "请给出名册文件，或用 --job 指定已预览的导入任务。"
PREVIEWED = (
    "预览完成：导入任务 #{job}，共{total}行，可导入{ok}行，{errors}行有误，"
    "{duplicates}行与已有记录重复。"
)
NEXT = "确认无误后运行 python manage.py import_roster --job {job} --user {name} --commit 写入。"
MORE_ISSUES = "  ……另有{more}处错误，请在网页“导入任务 #{job}”的预览中查看全部。"
WRITING = "写入中：已处理{rows}行……"


class Command(BaseCommand):
    help = (
        "从 .xlsx/.xls/.csv 导入名册（默认人员名册）：先逐行预览，加 --commit 才写入，"
        "全部写入或全部不写。以 --user 指定用户的名义和管辖范围进行，记入审计日志。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, help="名册文件")
        parser.add_argument("--user", required=True, help="以该用户的名义导入")
        parser.add_argument(
            "--kind", default="persons", help="导入种类（persons 人员、activities 活动）"
        )
        parser.add_argument("--region", default="", help="“所属区域”为空的行记入的区域代码")
        parser.add_argument("--job", type=int, help="提交已预览的导入任务")
        parser.add_argument("--commit", action="store_true", help="预览后写入")
        parser.add_argument(
            "--on-duplicate", choices=sorted(importing.ON_DUPLICATE), default="skip"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        user = User.objects.filter(username__iexact=opts["user"], is_active=True).first()
        if user is None:
            raise CommandError(NO_USER.format(name=opts["user"]))
        with audit.acting_as(user, via="命令行 import_roster"):
            try:
                job = self._job(user, opts)
                if opts["commit"]:
                    self._commit(user, job, opts["on_duplicate"])
                else:
                    self.stdout.write(NEXT.format(job=job.pk, name=user.username))
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from exc
            except (Http404, PermissionDenied) as exc:
                raise CommandError(str(exc)) from exc

    def _job(self, user: User, opts: dict[str, Any]) -> ImportJob:
        if opts["job"]:
            try:
                return access.get_for_user(user, ImportJob, pk=opts["job"])
            except Http404:
                raise CommandError(NO_JOB.format(job=opts["job"], name=user.username)) from None
        path: Path | None = opts["file"]
        if path is None:
            raise CommandError(FILE_OR_JOB)
        if not path.is_file():
            raise CommandError(NO_FILE.format(path=path))
        region = None
        if opts["region"]:
            try:
                region = access.get_for_user(user, Region, code=opts["region"])
            except Http404:
                raise CommandError(
                    NO_REGION.format(code=opts["region"], name=user.username)
                ) from None
        import_kinds.get(opts["kind"])  # an unknown kind says so before the file is read
        with path.open("rb") as f:
            job = importing.start(
                actor=user,
                upload=UploadedFile(f, name=path.name, size=path.stat().st_size),
                kind=opts["kind"],
                region=region,
            )
        report = job.report or {}
        self.stdout.write(
            PREVIEWED.format(
                job=job.pk,
                total=job.rows_total,
                ok=job.rows_ok,
                errors=job.rows_error,
                duplicates=report.get("duplicates_total", 0),
            )
        )
        for issue in report.get("errors", [])[:SHOWN_ISSUES]:
            self.stdout.write(f"  第{issue['row']}行 {issue['column']}：{issue['message']}")
        more = report.get("errors_total", 0) - SHOWN_ISSUES
        if more > 0:
            self.stdout.write(MORE_ISSUES.format(more=more, job=job.pk))
        return job

    def _commit(self, user: User, job: ImportJob, on_duplicate: str) -> None:
        token = progress.new_token()
        done = threading.Event()
        watcher = threading.Thread(target=self._watch, args=(token, done), daemon=True)
        watcher.start()
        try:
            counts = importing.commit(
                actor=user, job=job, on_duplicate=on_duplicate, progress_token=token
            )
        finally:
            done.set()
            watcher.join()
        kind = import_kinds.get(job.kind)
        self.stdout.write(
            importing.SUMMARY.format(
                name=job.original_name, errors=job.rows_error, unit=kind.unit, **counts
            )
        )

    def _watch(self, token: str, done: threading.Event) -> None:
        """Say how far a long commit has got (the progress the web page shows)."""
        shown = 0
        while not done.wait(PROGRESS_SECONDS):
            state = progress.read(token) or {}
            rows = int(state.get("rows", 0))
            if state.get("phase") == "commit" and rows > shown:
                shown = rows
                self.stdout.write(WRITING.format(rows=rows))
                self.stdout.flush()
