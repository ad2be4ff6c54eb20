"""Who sees which mechanism records (access.py): staff by region subtree and line, leaders read,
a liaison only their own unit's rows, auditors and other cities nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import BusinessLine, User
from tongxin.governance import services_duty as duty
from tongxin.governance import services_mechanisms as mechanisms
from tongxin.governance import services_tasks as tasks
from tongxin.governance.models import (
    AgendaItem,
    DutyReport,
    Mechanism,
    MemberUnit,
    Task,
    TaskEvent,
)
from tongxin.work.checks import NOT_YOURS

from ..conftest import Cast
from .records import joint_meeting, unit, xinjie

DEADLINE = timezone.localdate() + dt.timedelta(days=10)
MODELS: list[type[Model]] = [Mechanism, MemberUnit, AgendaItem, Task, TaskEvent, DutyReport]


def _seen(user: User, model: type[Model]) -> set[str]:
    qs: QuerySet[Model] = access.scope(user, model._default_manager.all())
    return {str(o) for o in qs}


def _city_records(cast: Cast) -> dict[str, object]:
    joint = joint_meeting(cast)
    mechanisms.agenda_raise(actor=cast.liaison, member=joint.cac, title="网信办议题")
    mechanisms.agenda_raise(actor=joint.justice_liaison, member=joint.justice, title="司法局议题")
    duty.duty_report_submit(actor=cast.liaison, member=joint.cac, year=2023, text_="网信述职。")
    duty.duty_report_submit(
        actor=joint.justice_liaison, member=joint.justice, year=2023, text_="司法述职。"
    )
    common = dict(actor=cast.city_staff, region=cast.city, line=xinjie(), owner=cast.city_staff)
    tasks.task_create(
        **common,  # type: ignore[arg-type]
        title="司法局督办事项",
        deadline=DEADLINE,
        mechanism=joint.mechanism,
        assignee_unit=unit("市司法局"),
    )
    tasks.task_create(
        **common,  # type: ignore[arg-type]
        title="交旌阳区督办事项",
        deadline=DEADLINE,
        assignee_region=cast.jingyang_region,
    )
    return {"joint": joint}


def _jingyang_records(cast: Cast) -> Mechanism:
    mechanism = cast.gov.mechanism  # with 旌阳区司法局 as member unit, its task and duty report
    tasks.task_create(
        actor=cast.jingyang,
        title="旌阳区司法局督办事项",
        region=cast.jingyang_region,
        owner=cast.jingyang,
        deadline=DEADLINE,
        mechanism=mechanism,
        assignee_unit=cast.jingyang_unit,
    )
    return mechanism


def test_a_liaison_sees_only_their_units_rows(cast: Cast) -> None:
    records = _city_records(cast)
    _jingyang_records(cast)
    liaison = cast.liaison  # 市委网信办
    assert _seen(liaison, Mechanism) == {"德阳市新的社会阶层人士统战工作联席会议"}
    assert {m.unit.short_name for m in access.scope(liaison, MemberUnit.objects.all())} == {
        "市委网信办"
    }
    assert _seen(liaison, AgendaItem) == {"网信办议题"}
    assert _seen(liaison, DutyReport) == {"中共德阳市委网络安全和信息化委员会办公室 2023年述职"}
    assert _seen(liaison, Task) == set() and _seen(liaison, TaskEvent) == set()

    justice_liaison = records["joint"].justice_liaison  # type: ignore[attr-defined]
    assert _seen(justice_liaison, Task) == {"司法局督办事项"}
    assert len(_seen(justice_liaison, TaskEvent)) == 1
    assert _seen(justice_liaison, AgendaItem) == {"司法局议题"}
    assert _seen(justice_liaison, DutyReport) == {"德阳市司法局 2023年述职"}


def test_city_staff_and_leaders_see_the_city_not_other_lines(cast: Cast) -> None:
    _city_records(cast)
    _jingyang_records(cast)
    for user in (cast.city_staff, cast.leader, cast.admin):
        assert "德阳市新的社会阶层人士统战工作联席会议" in _seen(user, Mechanism)
        assert {"网信办议题", "司法局议题"} <= _seen(user, AgendaItem)
        assert {"司法局督办事项", "交旌阳区督办事项"} <= _seen(user, Task)
        assert len(_seen(user, DutyReport)) == 3  # the city's two and 旌阳's one
    # The leader and admin see the whole city, 旌阳's records too; city staff keep their line's
    # (and those with no line).
    assert "旌阳区统一战线工作领导小组" in _seen(cast.leader, Mechanism)
    assert "旌阳区统一战线工作领导小组" in _seen(cast.city_staff, Mechanism)
    minzong = Mechanism.objects.create(
        name="民宗工作联席会议",
        kind="joint_meeting",
        lead_unit=unit("市民宗局"),
        region=cast.city,
        line=BusinessLine.objects.get(code="minzong"),
        established_on=dt.date(2022, 1, 1),
        created_by=cast.admin,
    )
    assert minzong.name not in _seen(cast.city_staff, Mechanism)
    assert minzong.name in _seen(cast.leader, Mechanism)


def test_a_district_sees_its_own_and_what_the_city_assigned_to_it(cast: Cast) -> None:
    _city_records(cast)
    _jingyang_records(cast)
    assert _seen(cast.jingyang, Mechanism) == {"旌阳区统一战线工作领导小组"}
    assert _seen(cast.jingyang, Task) == {
        "旌阳区司法局督办事项",
        "交旌阳区督办事项",
        "旌阳区律师人士走访全覆盖",
    }
    # Its own mechanism's rows, none of the city's.
    assert _seen(cast.jingyang, AgendaItem) == {"旌阳区律师行业联谊会换届"}
    assert _seen(cast.jingyang, DutyReport) == {"德阳市旌阳区司法局 2022年述职"}


@pytest.mark.parametrize("who", ["luojiang", "outsider", "auditor"])
def test_wrong_district_outsiders_and_auditors_see_nothing_of_jingyang(
    cast: Cast, who: str
) -> None:
    _city_records(cast)
    mechanism = _jingyang_records(cast)
    user = getattr(cast, who)
    for model in MODELS:
        assert not any("旌阳" in name for name in _seen(user, model)), model
    with pytest.raises(Http404):
        access.get_for_user(user, Mechanism, pk=mechanism.pk)
    task = Task.objects.get(title="旌阳区司法局督办事项")
    with pytest.raises(Http404):
        access.get_for_user(user, Task, pk=task.pk)


def test_outsiders_and_auditors_see_nothing_at_all(cast: Cast) -> None:
    _city_records(cast)
    _jingyang_records(cast)
    for user in (cast.outsider, cast.auditor):
        for model in MODELS:
            assert _seen(user, model) == set(), (user, model)


def test_wrong_district_and_outsiders_cannot_write_jingyangs_records(cast: Cast) -> None:
    mechanism = _jingyang_records(cast)
    task = Task.objects.get(title="旌阳区司法局督办事项")
    for stranger in (cast.luojiang, cast.outsider):
        with pytest.raises(ValidationError, match=NOT_YOURS):
            mechanisms.member_add(actor=stranger, mechanism=mechanism, unit=unit("市司法局"))
        with pytest.raises(PermissionDenied):
            tasks.task_transition(task=task, to_state="in_progress", actor=stranger)
        with pytest.raises(PermissionDenied):
            tasks.task_progress(task=task, actor=stranger, note="进展。")
    with pytest.raises(ValidationError, match="所属区域超出您的管辖范围"):
        mechanisms.mechanism_create(
            actor=cast.luojiang,
            name="罗江越权机制",
            kind="other",
            lead_unit=unit("罗江区委统战部"),
            region=cast.jingyang_region,
            established_on=dt.date(2024, 1, 1),
        )
