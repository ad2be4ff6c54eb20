"""The demo worlds: the Deyang demo loaded once for a run of the tests that read it, rolled back
after the last of them.

Loading the demo takes most of a minute, and many modules read the same demo, so each worker loads
it once for them instead of once per module. There are two worlds: ``demo_world`` with few people
(PEOPLE), for most, and ``full_demo_world`` with enough people of every category to fill every
training class and secondment batch (FULL_PEOPLE), for the figures of the full demo. A test asks
for one with its fixture (the modules' own ``loaded``/``demo`` fixtures do); ``conftest.py`` keeps
the tests of a world together, on one xdist worker and one after another, and closes the world when
the next test does not ask for it. Each test still runs in its own savepoint inside (the ``db``
fixture), so what a test writes is gone before the next. Each world holds an outsider of another
city (成都市) who must see none of it.
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
FULL_PEOPLE = 1500
OUTSIDER = "t_chengdu"
WORLDS = {"demo_world": PEOPLE, "full_demo_world": FULL_PEOPLE}


class DemoWorld:
    def __init__(self, blocker: Any, people: int) -> None:
        self._blocker = blocker
        self.people = people
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
                load(people=self.people)
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


_worlds: dict[str, DemoWorld] = {}


def make_world(name: str, blocker: Any) -> DemoWorld:
    _worlds[name] = DemoWorld(blocker, WORLDS[name])
    return _worlds[name]


def leave_world(name: str) -> None:
    if name in _worlds:
        _worlds[name].leave()


def world_of(item: pytest.Item | None) -> str | None:
    """The world a test reads, if any."""
    names = getattr(item, "fixturenames", ()) if item is not None else ()
    return next((name for name in WORLDS if name in names), None)
