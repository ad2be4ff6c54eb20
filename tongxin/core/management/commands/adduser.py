"""python manage.py adduser USERNAME --role ROLE [--region CODE] [--line 新阶 ...] [--unit 名称]"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongxin.core import audit, services
from tongxin.core.models import BusinessLine, Region, RegionKind, Role, Unit, User


class Command(BaseCommand):
    help = "新增一个用户（角色、区划、条线、单位）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--role",
            required=True,
            choices=Role.values,
            help="admin, city_staff, district_staff, liaison, leader, auditor",
        )
        parser.add_argument("--name", default="", help="姓名（默认同用户名）")
        parser.add_argument("--region", help="区划代码，如 510603；默认取单位所在区划或本市")
        parser.add_argument("--line", action="append", default=[], help="条线简称，如 新阶；可重复")
        parser.add_argument("--unit", help="单位名称，如 市委网信办")
        parser.add_argument("--title", default="", help="职务")
        parser.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")

    def handle(self, *args: Any, **opts: Any) -> None:
        username: str = opts["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"用户名 {username} 已存在，请换一个用户名。")
        unit = self._unit(opts["unit"])
        region = self._region(opts["region"], unit)
        lines = self._lines(opts["line"])
        password = self._password(opts["password_stdin"])
        try:
            with audit.acting_as(None, via="命令行 adduser"):
                user = services.user_create(
                    actor=None,
                    username=username,
                    name=opts["name"] or username,
                    role=opts["role"],
                    region=region,
                    lines=lines,
                    unit=unit,
                    title=opts["title"],
                    password=password,
                )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(
            f"已新增用户 {user.username}（{user.get_role_display()}，{region.name}）。"
        )
        if password is None:
            self.stdout.write(
                "该账号暂无密码：请用 --password-stdin 重新设置，或由管理员在“用户管理”中设置。"
            )

    def _unit(self, name: str | None) -> Unit | None:
        if not name:
            return None
        unit = Unit.objects.select_related("region").filter(name=name).first()
        if unit is None:
            raise CommandError(f"找不到单位“{name}”。请使用单位全称，可在“单位”页面查到。")
        return unit

    def _region(self, code: str | None, unit: Unit | None) -> Region:
        if code:
            region = Region.objects.filter(code=code).first()
            if region is None:
                raise CommandError(
                    f"找不到区划代码 {code}。请先运行 python manage.py demo 或新增该区划。"
                )
            return region
        if unit is not None:
            return unit.region
        cities = list(Region.objects.filter(kind=RegionKind.CITY)[:2])
        if len(cities) != 1:
            raise CommandError("请用 --region 指定区划代码，例如 --region 510603。")
        return cities[0]

    def _lines(self, names: list[str]) -> list[BusinessLine]:
        lines = list(BusinessLine.objects.filter(name__in=names))
        unknown = sorted(set(names) - {line.name for line in lines})
        if unknown:
            known = "、".join(BusinessLine.objects.values_list("name", flat=True))
            raise CommandError(f"未知条线：{'、'.join(unknown)}。可选：{known}。")
        return lines

    def _password(self, from_stdin: bool) -> str | None:
        if from_stdin:
            password = sys.stdin.readline().rstrip("\n")
            if not password:
                raise CommandError("标准输入中没有密码。")
            return password
        if sys.stdin.isatty():
            first = getpass.getpass("密码：")
            if first and first != getpass.getpass("再次输入密码："):
                raise CommandError("两次输入的密码不一致。")
            return first or None
        return None
