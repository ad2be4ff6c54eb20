"""Governance records of 旌阳区 for the shared cast: the probes of the authorization tests for
mechanisms, member units, agenda items, tasks and duty reports. Every title carries 旌阳, the
marker no other district may ever see. Built through the services, as a 旌阳 district user would."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from tongxin.core.models import Role, Unit, User
from tongxin.governance import services_duty as duty
from tongxin.governance import services_mechanisms as mechanisms
from tongxin.governance import services_tasks as tasks
from tongxin.governance.models import (
    AgendaItem,
    DutyReport,
    Mechanism,
    MechanismKind,
    MemberUnit,
    Task,
    TaskEvent,
)

from .factories import UserFactory


@dataclass
class JingyangGovernance:
    mechanism: Mechanism
    member: MemberUnit
    agenda_item: AgendaItem
    task: Task
    task_event: TaskEvent
    duty_report: DutyReport


def make_jingyang_governance(user: User, member_unit: Unit) -> JingyangGovernance:
    # The member unit's liaison writes its duty report; the cast's own liaison is of a city unit.
    liaison = UserFactory(
        username="t_jy_liaison",
        name="旌阳司法联络员",
        role=Role.LIAISON,
        region=member_unit.region,
        unit=member_unit,
    )
    mechanism = mechanisms.mechanism_create(
        actor=user,
        name="旌阳区统一战线工作领导小组",
        kind=MechanismKind.LEADING_GROUP,
        lead_unit=Unit.objects.get(short_name="旌阳区委统战部"),
        region=user.region,
        established_on=dt.date(2021, 3, 1),
    )
    member = mechanisms.member_add(
        actor=user,
        mechanism=mechanism,
        unit=member_unit,
        duties="旌阳区法律服务领域新阶人士的联系服务。",
        liaison=liaison,
        order=1,
    )
    agenda_item = mechanisms.agenda_raise(
        actor=user, member=member, title="旌阳区律师行业联谊会换届", text_="旌阳议题"
    )
    task = tasks.task_create(
        actor=user,
        title="旌阳区律师人士走访全覆盖",
        region=user.region,
        owner=user,
        deadline=timezone.localdate() + dt.timedelta(days=30),
        assignee_unit=member_unit,
        expected_result="旌阳区律师人士走访率100%",
    )
    report = duty.duty_report_submit(
        actor=liaison, member=member, year=2022, text_="旌阳区司法局2022年度履职情况。"
    )
    return JingyangGovernance(
        mechanism=mechanism,
        member=member,
        agenda_item=agenda_item,
        task=task,
        task_event=task.events.get(),
        duty_report=report,
    )
