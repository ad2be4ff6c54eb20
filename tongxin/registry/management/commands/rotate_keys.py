"""python manage.py rotate_keys — re-encrypt personal data under the first TONGXIN_FIELD_KEYS key.

Put the new key first in TONGXIN_FIELD_KEYS (keep the old ones after it), restart, run this, then
the old keys may be removed. Search keeps working throughout: blind indexes are looked up under
every configured key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from tongxin.core import audit, crypto
from tongxin.core.models import AuditAction
from tongxin.registry.models import Person


class Command(BaseCommand):
    help = "用当前首个字段密钥重新加密身份证号和手机号，并重建检索索引。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args: Any, **opts: Any) -> None:
        key_id = crypto.primary_key_id()
        done = 0
        last_pk = 0
        while True:
            with transaction.atomic():
                batch = list(
                    Person.objects.filter(pk__gt=last_pk)
                    .order_by("pk")
                    .only("pk", "id_number", "phone")[: opts["batch"]]
                )
                if not batch:
                    break
                for person in batch:
                    # update() passes the plain values through the field again: a fresh nonce
                    # under the primary key.
                    Person.objects.filter(pk=person.pk).update(
                        id_number=person.id_number,
                        phone=person.phone,
                        id_number_index=crypto.blind_index(person.id_number, purpose="id_number"),
                        phone_index=crypto.blind_index(person.phone, purpose="phone"),
                    )
                last_pk = batch[-1].pk
                done += len(batch)
        with audit.acting_as(None, via="命令行 rotate_keys"):
            audit.record(
                AuditAction.UPDATE,
                object_type="registry.person",
                detail=f"以密钥 {key_id} 重新加密了 {done} 条人员记录的身份证号和手机号",
            )
        self.stdout.write(f"已用密钥 {key_id} 重新加密 {done} 条人员记录。")
