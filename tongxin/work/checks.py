"""Checks every work-record service makes before it writes: the actor may write, the record's
region and line are theirs, and whatever it links to (people, organizations, units) is in sight.
A link outside one's scope is refused like a missing one: it reveals nothing."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from tongxin.core import access, text
from tongxin.core.models import BusinessLine, Region, Role, User

STAFF = (Role.ADMIN, Role.CITY_STAFF, Role.DISTRICT_STAFF)
REGION_OUT_OF_SCOPE = "所属区域超出您的管辖范围，请选择您所辖的区域。"
LINE_OUT_OF_SCOPE = "请选择您所负责的条线。"
LINE_REQUIRED = "请选择条线（市级业务人员录入的记录须属于所负责的条线）。"
NOT_YOURS = "这条记录属于上级或其他区域、条线，您可以查看，但不能修改。如需修改，请联系录入单位。"
LINK_OUT_OF_SCOPE = "所选的“{label}”不存在或不在您的管辖范围内，请重新选择。"


def check_writer(actor: User) -> None:
    access.require_write(actor, *STAFF)


def check_region(actor: User, region: Region) -> None:
    if not access.scope(actor, Region.objects.filter(pk=region.pk)).exists():
        raise ValidationError({"region": REGION_OUT_OF_SCOPE})


def check_region_line(actor: User, region: Region, line: BusinessLine | None) -> None:
    check_region(actor, region)
    if actor.role != Role.CITY_STAFF:
        return
    # City staff keep their own lines' records: a record without a line would be everyone's.
    if line is None:
        raise ValidationError({"line": LINE_REQUIRED})
    if not actor.lines.filter(pk=line.pk).exists():
        raise ValidationError({"line": LINE_OUT_OF_SCOPE})


def check_visible(actor: User, field: str, label: str, objs: Iterable[models.Model | None]) -> None:
    """Every linked record must be one the actor can see."""
    chosen = [o for o in objs if o is not None]
    if not chosen:
        return
    model = type(chosen[0])
    pks = {o.pk for o in chosen}
    seen = access.scope(actor, model._default_manager.filter(pk__in=pks)).count()
    if seen != len(pks):
        raise ValidationError({field: LINK_OUT_OF_SCOPE.format(label=label)})


def check_owner_writable(actor: User, owner: models.Model) -> None:
    """Changing a part of a record (a participant, a credit, a file, an endorsement) is changing
    the record: the actor must be able to write a record of its region and line. Seeing a city
    meeting one's district took part in does not make it one's own."""
    check_writer(actor)
    region = owner.region  # type: ignore[attr-defined]
    line = getattr(owner, "line", None)
    try:
        check_region(actor, region)
        if actor.role == Role.CITY_STAFF and line is not None:
            check_region_line(actor, region, line)
    except ValidationError:
        raise ValidationError(NOT_YOURS) from None


def can_write_owned(actor: User, owner: models.Model) -> bool:
    """check_owner_writable as a question, for showing a button."""
    if actor.is_read_only or actor.role not in STAFF:
        return False
    try:
        check_owner_writable(actor, owner)
    except (ValidationError, PermissionDenied):
        return False
    return True


def tidy(model: type[models.Model], fields: dict[str, object]) -> dict[str, object]:
    """Texts as typed, made tidy: a TextField keeps its lines, any other field is one line;
    Chinese punctuation stays as written (text.clean is for names and codes, not prose)."""
    tidied: dict[str, object] = {}
    for name, value in fields.items():
        if isinstance(value, str):
            is_prose = isinstance(model._meta.get_field(name), models.TextField)
            value = text.prose(value) if is_prose else text.line(value)
        tidied[name] = value
    return tidied
