"""python manage.py token USERNAME — prints a new API token (shown once, stored hashed)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongxin.core import audit, services
from tongxin.core.models import ApiToken, User


class Command(BaseCommand):
    help = "为用户生成新的 API 令牌并打印（只显示一次）；--list 列出令牌，--revoke 吊销。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="命令行", help="令牌用途")
        parser.add_argument("--list", action="store_true", help="列出该用户的令牌")
        parser.add_argument("--revoke", metavar="PREFIX", help="吊销前缀为 PREFIX 的令牌")

    def handle(self, *args: Any, **opts: Any) -> None:
        user = User.objects.filter(username__iexact=opts["username"]).first()
        if user is None:
            raise CommandError(f"找不到用户 {opts['username']}。")
        with audit.acting_as(None, via="命令行 token"):
            if opts["list"]:
                for t in user.api_tokens.all():
                    state = "已吊销" if t.revoked_at else "有效"
                    used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "未使用"
                    self.stdout.write(
                        f"{t.prefix}…\t{t.name}\t{t.created_at:%Y-%m-%d %H:%M}\t{used}\t{state}"
                    )
                return
            if opts["revoke"]:
                token = ApiToken.objects.filter(
                    user=user, prefix__startswith=opts["revoke"]
                ).first()
                if token is None:
                    raise CommandError(f"{user.username} 没有前缀为 {opts['revoke']} 的令牌。")
                services.token_revoke(actor=None, token=token)
                self.stdout.write(f"已吊销令牌 {token.prefix}…")
                return
            if not user.is_active:
                raise CommandError(f"用户 {user.username} 已停用，不能生成令牌。")
            _, raw = services.token_create(actor=None, user=user, name=opts["name"])
        self.stdout.write(raw)
