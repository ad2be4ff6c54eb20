"""manage.py import_roster: the roster import of the page and the API, from the shell."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tongxin.registry.models import ImportJob, Person

from ..conftest import Cast
from .rosters import csv_bytes

ROWS = [["姓名", "工作单位", "人员类别"], ["命令行甲", "旌阳某公司", "新的社会阶层人士"]]


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_roster", *args, stdout=out)
    return out.getvalue()


def test_a_roster_is_previewed_then_committed_by_job(cast: Cast, tmp_path: Path) -> None:
    roster = tmp_path / "名册.csv"
    roster.write_bytes(csv_bytes(ROWS))
    user = cast.jingyang.username

    said = _run(str(roster), "--user", user, "--region", "510603")
    job = ImportJob.objects.latest("pk")
    assert f"导入任务 #{job.pk}，共1行，可导入1行" in said
    assert not Person.objects.filter(name="命令行甲").exists()

    said = _run("--job", str(job.pk), "--user", user, "--commit")
    assert "新增1人" in said
    assert Person.objects.get(name="命令行甲").region == cast.jingyang_region


def test_it_refuses_a_region_outside_the_users_scope(cast: Cast, tmp_path: Path) -> None:
    roster = tmp_path / "名册.csv"
    roster.write_bytes(csv_bytes(ROWS))

    with pytest.raises(CommandError, match="不在 t_luojiang 的管辖范围内"):
        _run(str(roster), "--user", cast.luojiang.username, "--region", "510603")
    assert not ImportJob.objects.filter(original_name="名册.csv").exists()


def test_it_refuses_another_districts_job(cast: Cast) -> None:
    with pytest.raises(CommandError, match="找不到导入任务"):
        _run("--job", str(cast.records.job.pk), "--user", cast.luojiang.username, "--commit")


def test_a_read_only_user_cannot_import(cast: Cast, tmp_path: Path) -> None:
    roster = tmp_path / "名册.csv"
    roster.write_bytes(csv_bytes(ROWS))

    with pytest.raises(CommandError, match="只读"):
        _run(str(roster), "--user", cast.leader.username)
