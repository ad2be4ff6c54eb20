"""python manage.py demo — load the Deyang demo data (idempotent)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongxin.core.models import Role
from tongxin.demo.loader import load
from tongxin.demo.portal_data import portal_logins
from tongxin.demo.registry_data import PEOPLE


class Command(BaseCommand):
    help = "载入德阳演示数据（可重复运行）。--reference-only 只载入区划和单位，不建演示账号。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reference-only", action="store_true")
        parser.add_argument("--quiet-logins", action="store_true", help="不打印演示账号")
        parser.add_argument(
            "--people", type=int, default=PEOPLE, help=f"演示统战对象人数（默认 {PEOPLE}）"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        with_users = not opts["reference_only"]
        if settings.PRODUCTION and with_users:
            raise CommandError("生产环境不能创建演示账号；如需区划和单位，请加 --reference-only。")
        summary = load(with_users=with_users, people=opts["people"])
        registry = ""
        if with_users:
            registry = (
                f"，统战对象 {summary.people} 人，组织 {summary.organizations} 个，"
                f"工作机制 {summary.mechanisms} 个，督办事项 {summary.tasks} 件，"
                f"考评轮次 {summary.rounds} 轮"
            )
        self.stdout.write(
            f"演示数据已就绪：区划 {summary.regions} 个，单位 {summary.units} 个，"
            f"账号 {summary.users} 个{registry}。"
        )
        if with_users and not opts["quiet_logins"]:
            from tongxin.demo.data import DEMO_PASSWORD, USERS

            self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
            for username, name, role, region, *_ in USERS:
                self.stdout.write(f"  {username:<15} {Role(role).label:<8} {name}  {region}")
            self.stdout.write(f"个人门户 /portal/（手机号登录，密码同上）：{portal_logins()}")
