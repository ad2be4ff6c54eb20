"""The demo world: the Deyang demo (few people) loaded once for a run of the tests that read it,
rolled back after the last of them.

Loading the demo takes most of a minute; six modules read the same demo, so each worker loads it
once for them instead of once per module. A test asks for it with the ``demo_world`` fixture (the
modules' own ``loaded``/``demo`` fixtures do); ``conftest.py`` keeps those tests together, on one
xdist worker and one after another, and closes the world when the next test does not ask for it.
Each test still runs in its own savepoint inside (the ``db`` fixture), so what a test writes is
gone before the next. The world holds an outsider of another city (成都市) who must see none of it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from tongxin.core.models import Region, RegionKind, Role
from tongxin.demo.loader import load

from .factories import RegionFactory, UserFactory

PEOPLE = 150
OUTSIDER = "t_chengdu"
FIXTURE = "demo_world"
GROUP = "demo_world"


class DemoWorld:
    def __init__(self, blocker: Any) -> None:
        self._blocker = blocker
        self._atomic: Any = None

    def enter(self) -> None:
        if self._atomic is not None:
            return
        # The tests' fast hasher, so that logging in as a demo account never rewrites its hash.
        fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
        with self._blocker.unblock(), fast:
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            try:
                load(people=PEOPLE)
                chengdu = RegionFactory(
                    code="510100",
                    name="成都市",
                    kind=RegionKind.CITY,
                    parent=Region.objects.get(code="510000"),
                )
                UserFactory(username=OUTSIDER, name="成都人员", role=Role.LEADER, region=chengdu)
            except BaseException:
                self.leave()
                raise

    def leave(self) -> None:
        if self._atomic is None:
            return
        with self._blocker.unblock():
            transaction.set_rollback(True)
            atomic, self._atomic = self._atomic, None
            atomic.__exit__(None, None, None)


_worlds: list[DemoWorld] = []


def make_world(blocker: Any) -> DemoWorld:
    world = DemoWorld(blocker)
    _worlds.append(world)
    return world


def leave_worlds() -> None:
    for world in _worlds:
        world.leave()


def uses_world(item: pytest.Item | None) -> bool:
    return item is not None and FIXTURE in getattr(item, "fixturenames", ())
