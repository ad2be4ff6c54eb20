"""People of the 本人申报 tests: the 旌阳 probe person with a portal account, and a neighbour of
the same district with their own account (whose requests must stay out of the first one's view)."""

from __future__ import annotations

from dataclasses import dataclass

from tongxin.portal import services_profile as svc
from tongxin.portal.models import PortalAccount, ProfileRequest
from tongxin.registry import services as registry
from tongxin.registry.models import CodeItem, Person

from ..conftest import Cast
from .helpers import make_account

OWN_PHONE = "13812345678"
NEIGHBOUR_PHONE = "13800000002"


@dataclass
class ProfileWorld:
    person: Person
    account: PortalAccount
    neighbour: Person
    neighbour_account: PortalAccount


def make_profile_world(cast: Cast) -> ProfileWorld:
    person = cast.records.person
    neighbour = registry.person_create(
        actor=None,
        name="旌阳邻居",
        region=cast.jingyang_region,
        categories=[CodeItem.objects.get(kind="category", name="新的社会阶层人士")],
        employer="邻居咨询有限公司",
        phone=NEIGHBOUR_PHONE,
    )
    return ProfileWorld(
        person=person,
        account=make_account(person, OWN_PHONE),
        neighbour=neighbour,
        neighbour_account=make_account(neighbour, NEIGHBOUR_PHONE),
    )


def education(name: str = "硕士研究生") -> CodeItem:
    return CodeItem.objects.get(kind="education", name=name)


def file_change(world: ProfileWorld, **proposal: object) -> ProfileRequest:
    values: dict[str, object] = {"employer": "旌阳新单位有限公司", "position": "副总经理"}
    values.update(proposal)
    return svc.change_submit(account=world.account, proposal=values)
