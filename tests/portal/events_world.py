"""Joining and activities for tests: 旌阳 people with portal accounts, the 联谊组织 and 服务团
around them (their district's, the city's, another district's), and a 旌阳 activity held
today, opened for sign-up by the 旌阳 staff."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from tongxin.core.models import User
from tongxin.portal import services_signups as signups
from tongxin.portal.models import PortalAccount
from tongxin.portal.models_events import SignupOpening
from tongxin.registry import services as registry
from tongxin.registry.models import CodeItem, CodeKind, Organization, Person
from tongxin.work import services_activities as activities
from tongxin.work.models import Activity

from ..conftest import Cast
from ..work_records import activity_type
from .helpers import make_account


def org_type(name: str) -> CodeItem:
    return CodeItem.objects.get(kind=CodeKind.ORG_TYPE, name=name)


def new_person(cast: Cast, name: str, *, region: Any = None) -> Person:
    category = CodeItem.objects.get(kind=CodeKind.CATEGORY, name="新的社会阶层人士")
    return registry.person_create(
        actor=None,
        name=name,
        region=region or cast.jingyang_region,
        categories=[category],
        employer=f"{name}的公司",
    )


@dataclass
class Joining:
    account: PortalAccount  # a 旌阳 person, member of nothing
    other: PortalAccount  # another 旌阳 person
    service_team: Organization  # 旌阳区 服务团
    city_club: Organization  # 德阳市 新联会 (联谊组织)
    luojiang_club: Organization  # 罗江区 联谊组织: out of a 旌阳 person's reach
    enterprise: Organization  # a 旌阳 企业: not a type one joins through the portal


def make_joining(cast: Cast) -> Joining:
    club = org_type("联谊组织")
    return Joining(
        account=make_account(new_person(cast, "旌阳申请人"), phone="13800000011"),
        other=make_account(new_person(cast, "旌阳另一人"), phone="13800000012"),
        service_team=registry.organization_create(
            actor=None,
            name="旌阳区新的社会阶层人士服务团",
            org_type=org_type("服务团"),
            region=cast.jingyang_region,
        ),
        city_club=registry.organization_create(
            actor=None, name="德阳市新的社会阶层人士联谊会", org_type=club, region=cast.city
        ),
        luojiang_club=registry.organization_create(
            actor=None, name="罗江区网络人士联谊会", org_type=club, region=cast.luojiang_region
        ),
        enterprise=registry.organization_create(
            actor=None, name="旌阳示例企业", org_type=org_type("企业"), region=cast.jingyang_region
        ),
    )


def today_activity(staff: User, *, title: str = "旌阳区新阶人士交流会", **fields: Any) -> Activity:
    """An activity of the staff member's region, today and tomorrow."""
    values: dict[str, Any] = {
        "type": activity_type("座谈会"),
        "title": title,
        "date": timezone.localdate(),
        # Two days, so that a deadline some hours ahead stays within the activity at any hour.
        "end_date": timezone.localdate() + dt.timedelta(days=1),
        "region": staff.region,
        "place": "旌阳区文化中心",
    }
    values.update(fields)
    return activities.activity_create(actor=staff, **values)


def open_signup(
    staff: User, activity: Activity, *, capacity: int = 30, hours: int = 6, **fields: Any
) -> SignupOpening:
    return signups.opening_save(
        actor=staff,
        activity=activity,
        capacity=capacity,
        deadline=timezone.now() + dt.timedelta(hours=hours),
        **fields,
    )


def past_deadline(opening: SignupOpening) -> None:
    """The deadline passes (a test cannot wait for it; the service refuses to set it past)."""
    SignupOpening.objects.filter(pk=opening.pk).update(
        deadline=timezone.now() - dt.timedelta(minutes=1)
    )
