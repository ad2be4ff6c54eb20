"""python manage.py newfieldkey [ID] — prints a new key for TONGXIN_FIELD_KEYS."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tongxin.settings import new_field_key


class Command(BaseCommand):
    help = "生成一个字段加密密钥（编号:base64），用于 TONGXIN_FIELD_KEYS。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("key_id", nargs="?", default="k1")

    def handle(self, *args: Any, **opts: Any) -> None:
        self.stdout.write(new_field_key(opts["key_id"]))
