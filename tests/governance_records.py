"""Governance records of 旌阳区 for the shared cast: the probes of the authorization tests for
mechanisms, member units, agenda items, tasks, duty reports, indicator sets, their indicators and
evaluation rounds. Every title carries 旌阳, the
marker no other district may ever see. Built through the services, as a 旌阳 district user would."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from tongxin.core.models import Role, Unit, User
from tongxin.governance import services_duty as duty
from tongxin.governance import services_indicators as indicator_sets
from tongxin.governance import services_mechanisms as mechanisms
from tongxin.governance import services_rounds as rounds
from tongxin.governance import services_tasks as tasks
from tongxin.governance.models import (
    AgendaItem,
    DutyReport,
    EvaluationRound,
    Indicator,
    IndicatorSet,
    Mechanism,
    MechanismKind,
    MemberUnit,
    Task,
    TaskEvent,
)
from tongxin.registry.models import Organization

from .factories import UserFactory


@dataclass
class JingyangGovernance:
    mechanism: Mechanism
    member: MemberUnit
    agenda_item: AgendaItem
    task: Task
    task_event: TaskEvent
    duty_report: DutyReport
    indicator_set: IndicatorSet
    indicator: Indicator
    evaluation_round: EvaluationRound


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
    indicator_set, indicator, evaluation_round = make_jingyang_evaluation(user)
    return JingyangGovernance(
        mechanism=mechanism,
        member=member,
        agenda_item=agenda_item,
        task=task,
        task_event=task.events.get(),
        duty_report=report,
        indicator_set=indicator_set,
        indicator=indicator,
        evaluation_round=evaluation_round,
    )


def make_jingyang_evaluation(user: User) -> tuple[IndicatorSet, Indicator, EvaluationRound]:
    """A 旌阳 set scoring its 联谊组织 on a computed and an entered indicator, and its 2022 round,
    computed (not published) so that it can be exported, recomputed and published."""
    indicator_set = indicator_sets.set_create(
        actor=user,
        name="旌阳区联谊组织标准化建设考评",
        subject_type="organization",
        eligibility="lianyi",
        region=user.region,
        star_cutoffs=[[3, "80"], [2, "60"], [1, "40"]],
    )
    indicator = indicator_sets.indicator_add(
        actor=user,
        indicator_set=indicator_set,
        name="旌阳标准化建设达标项数",
        weight=60,
        rule="linear",
        lower_bound=0,
        upper_bound=5,
        source_kind="computed",
        metric="organization.standard_items",
    )
    entered = indicator_sets.indicator_add(
        actor=user,
        indicator_set=indicator_set,
        name="旌阳联谊活动成效",
        weight=40,
        rule="thresholds",
        thresholds=[["60", "0.6"], ["80", "1"]],
        source_kind="entered",
        unit_label="分",
    )
    evaluation = rounds.round_create(actor=user, indicator_set=indicator_set, year=2022)
    for subject in rounds.round_subjects(evaluation):
        rounds.value_enter(
            actor=user,
            evaluation=evaluation,
            indicator=entered,
            subject=Organization.objects.get(pk=subject.pk),
            value=85,
            evidence="旌阳区委统战部2022年度联谊组织活动台账",
        )
    return indicator_set, indicator, rounds.round_compute(actor=user, evaluation=evaluation)
