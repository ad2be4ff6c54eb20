"""adduser and demo from the command line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tongxin.core.models import AuditEvent, Region, Unit, User
from tongxin.demo import data
from tongxin.demo.loader import load

from ..conftest import Cast
from ..demo_world import PEOPLE, DemoWorld


def _adduser(*args: str, stdin: str = "") -> str:
    out = StringIO()
    import sys

    old = sys.stdin
    sys.stdin = StringIO(stdin)
    try:
        call_command("adduser", *args, stdout=out)
    finally:
        sys.stdin = old
    return out.getvalue()


def test_adduser_takes_a_line_by_its_chinese_name(cast: Cast) -> None:
    _adduser(
        "xj_staff",
        "--role",
        "city_staff",
        "--region",
        "510600",
        "--line",
        "新阶",
        "--line",
        "非公经济",
        "--password-stdin",
        stdin="Strong-pass-2026\n",
    )
    user = User.objects.get(username="xj_staff")
    assert user.role == "city_staff"
    assert sorted(user.lines.values_list("name", flat=True)) == ["新阶", "非公经济"]
    assert user.check_password("Strong-pass-2026")


def test_adduser_takes_a_unit_by_its_name_and_uses_its_region(cast: Cast) -> None:
    out = _adduser(
        "wx_liaison", "--role", "liaison", "--unit", "中共德阳市委网络安全和信息化委员会办公室"
    )
    user = User.objects.get(username="wx_liaison")
    assert user.unit == cast.city_unit
    assert user.region == cast.city
    assert not user.has_usable_password()
    assert "暂无密码" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "city_staff", "--region", "510600", "--line", "统战"], "未知条线"),
        (["--role", "liaison", "--unit", "不存在的单位"], "找不到单位"),
        (["--role", "district_staff", "--region", "999999"], "找不到区划代码"),
        (["--role", "liaison", "--region", "510600"], "联络员必须指定所在单位"),
        (["--role", "leader"], "请用 --region 指定区划代码"),
        (["--role", "district_staff", "--region", "510600"], "区县业务人员的区划"),
    ],
)
def test_adduser_explains_what_is_wrong(cast: Cast, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        _adduser("someone", *args)
    assert not User.objects.filter(username="someone").exists()


def test_adduser_refuses_a_weak_password(cast: Cast) -> None:
    with pytest.raises(CommandError, match="密码"):
        _adduser(
            "weak",
            "--role",
            "leader",
            "--region",
            "510600",
            "--password-stdin",
            stdin="12345678901\n",
        )
    assert not User.objects.filter(username="weak").exists()


def test_adduser_refuses_a_taken_username(cast: Cast) -> None:
    with pytest.raises(CommandError, match="已存在"):
        _adduser("T_ADMIN", "--role", "leader")


@pytest.fixture(scope="module")
def world(demo_world: DemoWorld) -> None:
    """The demo world (tests/demo_world.py): the demo already loaded, as on a second run."""
    demo_world.enter()


def test_demo_is_idempotent(world: None, db: None) -> None:
    counts = (
        Region.objects.count(),
        Unit.objects.count(),
        User.objects.count(),
        AuditEvent.objects.count(),
    )
    call_command("demo", "--people", str(PEOPLE), stdout=StringIO())
    assert (
        Region.objects.count(),
        Unit.objects.count(),
        User.objects.count(),
        AuditEvent.objects.count(),
    ) == counts


def test_demo_prints_one_login_per_role_that_works(world: None, db: None) -> None:
    out = StringIO()
    call_command("demo", "--people", str(PEOPLE), stdout=out)
    text = out.getvalue()
    assert data.DEMO_PASSWORD in text
    roles = set()
    for username, *_ in data.USERS:
        assert username in text
        user = User.objects.get(username=username)
        assert user.check_password(data.DEMO_PASSWORD)
        roles.add(user.role)
    assert roles == {"admin", "city_staff", "district_staff", "liaison", "leader", "auditor"}


def test_demo_restores_a_changed_demo_password(world: None, db: None) -> None:
    user = User.objects.get(username="demo_leader")
    user.set_password("Changed-2026-x")
    user.save()
    load(people=PEOPLE)
    user.refresh_from_db()
    assert user.check_password(data.DEMO_PASSWORD)


def test_demo_loads_the_seed_regions_and_units(db: None) -> None:
    load(with_users=False)
    assert set(Region.objects.values_list("code", flat=True)) >= {
        "510600",
        "510603",
        "510604",
        "510623",
        "510681",
        "510682",
        "510683",
    }
    names = set(Unit.objects.values_list("short_name", flat=True))
    assert {"市委统战部", "市委网信办", "市司法局", "罗江区委统战部", "中江县委统战部"} <= names
    assert Region.objects.get(name="德阳经开区").kind == "functional"
