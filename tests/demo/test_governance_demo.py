"""The governance demo: the 新阶 joint meeting set up at the 2023-07-05 meeting of seed 000, its
member units and liaisons, its issue list, tasks and duty reports, and the leading group. Loaded
once for the module with few people (SMALL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import AuditEvent, Role, User
from tongxin.demo import governance_data, work_data
from tongxin.demo.loader import load
from tongxin.governance.models import (
    AgendaItem,
    AgendaState,
    DutyReport,
    DutyReportState,
    Mechanism,
    MemberUnit,
    Task,
    TaskEvent,
    TaskEventKind,
)
from tongxin.work.models import Activity

from ..demo_world import PEOPLE, DemoWorld

SMALL = PEOPLE


@pytest.fixture(scope="module")
def loaded(demo_world: DemoWorld) -> None:
    """The demo world (tests/demo_world.py), loaded once for all the tests that read it."""
    demo_world.enter()


pytestmark = pytest.mark.usefixtures("loaded", "db")


def _joint() -> Mechanism:
    return Mechanism.objects.get(name=governance_data.JOINT_MEETING)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def test_the_joint_meeting_is_set_up_by_the_rules_the_seed_meeting_adopted() -> None:
    joint = _joint()
    assert (joint.kind, joint.lead_unit.short_name, joint.region.code, str(joint.line)) == (
        "joint_meeting", "市委统战部", "510600", "新阶")  # fmt: skip
    assert joint.established_on == dt.date(2023, 7, 5)
    meeting = Activity.objects.get(title=work_data.MEETING_TITLE)
    assert meeting.mechanism == joint and meeting.type.name == "联席会议"
    assert joint.rules_document is not None
    assert joint.rules_document.title == work_data.JOINT_MEETING_RULES
    assert list(meeting.adopted_outputs.all()) == [joint.rules_document]


def test_the_member_units_have_duties_and_their_liaisons_are_of_their_unit() -> None:
    members = list(_joint().members.select_related("unit", "liaison"))
    names = [m.unit.short_name for m in members]
    assert names[:2] == ["市委网信办", "市司法局"]
    assert {"市委组织部", "市委宣传部", "市民政局", "市工商联"} <= set(names)
    # The seed's district departments spoke as 各区(市、县)委统战部, not as member units.
    assert not {"罗江区委统战部", "中江县委统战部"} & set(names)
    assert all(m.duties for m in members)
    liaisons = {m.unit.short_name: m.liaison for m in members if m.liaison}
    assert liaisons["市委网信办"] == _user("demo_liaison")
    assert liaisons["市司法局"] == _user("demo_sifa")
    assert len(liaisons) >= 4
    for unit, liaison in liaisons.items():
        assert liaison.role == Role.LIAISON and liaison.unit is not None
        assert liaison.unit.short_name == unit


def test_the_member_units_took_part_in_the_seed_meeting() -> None:
    meeting = Activity.objects.get(title=work_data.MEETING_TITLE)
    present = set(meeting.participations.values_list("unit__short_name", flat=True))
    members = set(_joint().members.values_list("unit__short_name", flat=True))
    assert members <= present


def test_the_wangxin_item_raised_before_a_meeting_is_closed_at_the_next_one() -> None:
    joint = _joint()
    first = AgendaItem.objects.get(
        mechanism=joint, raised_by__unit__short_name="市委网信办", state=AgendaState.CARRIED
    )
    assert first.carried_from is None and first.meeting is not None
    assert first.raised_on < first.meeting.date
    assert first.created_by == _user("demo_liaison")  # raised by the unit's liaison
    successor = first.carried_to
    assert successor.state == AgendaState.CLOSED and successor.outcome
    assert successor.meeting is not None
    meetings = list(joint.meetings.order_by("date"))
    assert meetings.index(successor.meeting) == meetings.index(first.meeting) + 1


def test_every_item_on_an_agenda_is_settled_and_one_waits_for_the_next_meeting() -> None:
    items = AgendaItem.objects.filter(mechanism=_joint())
    assert not items.filter(state=AgendaState.SCHEDULED).exists()
    pending = items.filter(state=AgendaState.PENDING)
    assert pending.count() == 1 and pending.get().meeting is None
    assert items.filter(state=AgendaState.CLOSED).count() >= 3
    for item in items.exclude(state=AgendaState.PENDING).select_related("meeting"):
        assert item.meeting is not None and item.meeting.mechanism_id == item.mechanism_id


def test_the_justice_bureau_task_is_overdue_today_with_a_progress_report_by_its_liaison() -> None:
    sifa = _user("demo_sifa")
    overdue = [t for t in Task.objects.filter(assignee_unit__short_name="市司法局") if t.is_overdue]
    assert len(overdue) == 1
    task = overdue[0]
    assert task.deadline < timezone.localdate()
    assert task.created_at.date() < task.deadline
    assert task.mechanism == _joint()
    progress = task.events.filter(kind=TaskEventKind.PROGRESS)
    assert progress.filter(actor=sifa).exists()
    assert access.scope(sifa, Task.objects.filter(pk=task.pk)).exists()


def test_a_task_is_due_within_three_days_and_past_tasks_are_done_with_results() -> None:
    open_ = [t for t in Task.objects.all() if t.is_open]
    assert any(t.days_left is not None and 0 <= t.days_left <= 3 for t in open_)
    done = Task.objects.filter(state="done")
    assert done.count() >= 3 and all(t.result and t.closed_at for t in done)
    assert done.filter(assignee_region__code="510604").exists()
    years = set(TaskEvent.objects.filter(task__in=done).values_list("at__year", flat=True))
    assert years <= {2023, 2024}


def test_a_liaison_sees_only_their_units_tasks_issues_and_reports() -> None:
    liaisons = User.objects.filter(username__startswith="demo_", role=Role.LIAISON)
    assert liaisons.count() >= 4
    for liaison in liaisons:
        tasks = access.scope(liaison, Task.objects.all())
        assert {t.assignee_unit_id for t in tasks} <= {liaison.unit_id}
        items = access.scope(liaison, AgendaItem.objects.all())
        assert {i.raised_by.unit_id for i in items} <= {liaison.unit_id}
        reports = access.scope(liaison, DutyReport.objects.all())
        assert {r.member.unit_id for r in reports} <= {liaison.unit_id}
    assert access.scope(_user("demo_sifa"), Task.objects.all()).count() == 2
    assert access.scope(_user("demo_liaison"), Task.objects.all()).count() == 2


def test_the_district_sees_the_task_assigned_to_its_region() -> None:
    tasks = access.scope(_user("demo_district"), Task.objects.all())
    assert [t.assignee_region.code for t in tasks if t.assignee_region] == ["510603"]


def test_each_years_duty_reports_are_submitted_by_the_liaisons_and_scored() -> None:
    with_liaison = MemberUnit.objects.filter(mechanism=_joint(), liaison__isnull=False)
    last = governance_data.last_reported_year(timezone.localdate())
    for year in (2023, last):
        reports = DutyReport.objects.filter(member__mechanism=_joint(), year=year)
        assert reports.count() == with_liaison.count()
        for report in reports.select_related("member"):
            assert report.submitted_by == report.member.liaison
            assert report.submitted_at is not None and report.submitted_at.year == year + 1
    reports = DutyReport.objects.filter(member__mechanism=_joint())
    scored = reports.filter(state=DutyReportState.SCORED)
    assert all(r.reviewed_by == _user("demo_city") for r in scored)
    # The last year's report of 市工商联 waits for its score; every other report has one.
    [waiting] = reports.exclude(state=DutyReportState.SCORED)
    assert (waiting.year, waiting.member.unit.short_name) == (last, "市工商联")


def test_the_leading_group_has_member_units_a_meeting_and_reports() -> None:
    group = Mechanism.objects.get(name=governance_data.LEADING_GROUP)
    assert group.kind == "leading_group" and group.line is None
    assert group.members.count() >= 5
    [meeting] = group.meetings.all()
    assert meeting.type.name == "领导小组会议"
    assert DutyReport.objects.filter(member__mechanism=group, state="scored").exists()


def test_a_second_load_adds_nothing() -> None:
    counted = (Mechanism, MemberUnit, AgendaItem, Task, TaskEvent, DutyReport, Activity, AuditEvent)
    before = [model.objects.count() for model in counted]
    load(people=SMALL)
    assert [model.objects.count() for model in counted] == before
