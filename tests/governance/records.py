"""Records of the governance tests: the city's 新阶 joint meeting with 市委网信办 and 市司法局 as
member units, their liaisons and meetings. 旌阳区's own mechanism is the cast's
(tests/governance_records.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tongxin.core.models import BusinessLine, Role, Unit, User
from tongxin.governance import services_mechanisms as mechanisms
from tongxin.governance.models import Mechanism, MechanismKind, MemberUnit
from tongxin.work import services_activities as activities
from tongxin.work.models import Activity

from ..conftest import Cast
from ..factories import UserFactory
from ..work_records import activity_type


@dataclass
class JointMeeting:
    mechanism: Mechanism
    cac: MemberUnit  # 市委网信办, whose liaison is cast.liaison
    justice: MemberUnit  # 市司法局
    justice_liaison: User


def unit(short_name: str) -> Unit:
    return Unit.objects.get(short_name=short_name)


def xinjie() -> BusinessLine:
    return BusinessLine.objects.get(name="新阶")


def liaison_of(short_name: str, username: str) -> User:
    return UserFactory(
        username=username,
        name=f"{short_name}联络员",
        role=Role.LIAISON,
        region=unit(short_name).region,
        unit=unit(short_name),
    )


def joint_meeting(cast: Cast) -> JointMeeting:
    mechanism = mechanisms.mechanism_create(
        actor=cast.city_staff,
        name="德阳市新的社会阶层人士统战工作联席会议",
        kind=MechanismKind.JOINT_MEETING,
        lead_unit=unit("市委统战部"),
        region=cast.city,
        line=xinjie(),
        established_on=dt.date(2023, 7, 5),
    )
    justice_liaison = liaison_of("市司法局", "t_sifa")
    return JointMeeting(
        mechanism=mechanism,
        cac=mechanisms.member_add(
            actor=cast.city_staff,
            mechanism=mechanism,
            unit=cast.city_unit,
            duties="负责网络新阶人士的联系服务。",
            liaison=cast.liaison,
            order=1,
        ),
        justice=mechanisms.member_add(
            actor=cast.city_staff,
            mechanism=mechanism,
            unit=unit("市司法局"),
            duties="负责新阶律师人士的联系服务。",
            liaison=justice_liaison,
            order=2,
        ),
        justice_liaison=justice_liaison,
    )


def meeting(
    cast: Cast,
    mechanism: Mechanism | None,
    on: dt.date,
    title: str = "",
    type_name: str = "联席会议",
) -> Activity:
    return activities.activity_create(
        actor=cast.city_staff,
        type=activity_type(type_name),
        title=title or f"新阶联席会议（{on:%Y-%m-%d}）",
        date=on,
        region=cast.city,
        line=xinjie(),
        mechanism=mechanism,
    )
