"""Who may act on a mechanism's records: the department's staff who keep the mechanism (its
region and line), and a member unit's liaison for what concerns their own unit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from tongxin.core import access
from tongxin.core.models import Role, Unit, User
from tongxin.work.checks import STAFF, check_owner_writable

from .models import Mechanism, Task

NOT_LIAISON_OF_UNIT = "只有该成员单位的联络员或负责本机制的业务人员可以办理此事项。"
NOT_HANDLER = "只有承办单位的联络员、承办区县的业务人员或督办单位的业务人员可以办理此督办事项。"


def is_liaison_of(actor: User, unit: Unit | None) -> bool:
    return actor.role == Role.LIAISON and unit is not None and actor.unit_id == unit.pk


def check_keeper(actor: User, mechanism: Mechanism) -> None:
    """Staff who may write records of the mechanism's region and line."""
    check_owner_writable(actor, mechanism)


def check_liaison_or_keeper(actor: User, mechanism: Mechanism, unit: Unit) -> None:
    access.require_write(actor)
    if is_liaison_of(actor, unit):
        return
    if actor.role not in STAFF:
        raise PermissionDenied(NOT_LIAISON_OF_UNIT)
    check_keeper(actor, mechanism)


def is_task_handler(actor: User, task: Task) -> bool:
    """The assignee: the liaison of the assigned unit, or staff of the assigned region."""
    if task.assignee_unit is not None:
        return is_liaison_of(actor, task.assignee_unit)
    region = task.assignee_region
    return (
        actor.role in (Role.DISTRICT_STAFF, Role.CITY_STAFF)
        and region is not None
        and actor.region.contains(region)
    )


def is_task_keeper(actor: User, task: Task) -> bool:
    """Staff of the task's own region and line (the department that set the task)."""
    if actor.role not in STAFF:
        return False
    try:
        check_owner_writable(actor, task)
    except (PermissionDenied, ValidationError):
        return False
    return True
