"""The Deyang demo loaded once for a test class (its people kept few), rolled back afterwards;
with an outsider of another city who must see nothing of it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.test import override_settings

from tongxin.core.models import Region, RegionKind, Role
from tongxin.demo.loader import load

from ..factories import RegionFactory, UserFactory

FEW_PEOPLE = 150
OUTSIDER = "t_chengdu"


@contextmanager
def demo_loaded(django_db_blocker: Any) -> Iterator[None]:
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        load(people=FEW_PEOPLE)
        chengdu = RegionFactory(
            code="510100",
            name="成都市",
            kind=RegionKind.CITY,
            parent=Region.objects.get(code="510000"),
        )
        UserFactory(username=OUTSIDER, name="成都人员", role=Role.LEADER, region=chengdu)
        yield
        transaction.set_rollback(True)
