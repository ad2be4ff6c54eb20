"""Loads tongxin.demo.data through the services, so the demo obeys every rule real data does."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from tongxin.core import audit, services
from tongxin.core.models import BusinessLine, Region, Unit, User

from . import data


@dataclass(frozen=True)
class Summary:
    regions: int
    units: int
    users: int


@transaction.atomic
def load(*, with_users: bool = True) -> Summary:
    with audit.acting_as(None, via="演示数据"):
        regions = _regions()
        units = _units(regions)
        users = _users(regions, units) if with_users else 0
    return Summary(regions=len(regions), units=len(units), users=users)


def _regions() -> dict[str, Region]:
    found: dict[str, Region] = {}
    for code, name, kind, parent_code in data.REGIONS:
        parent = found[parent_code] if parent_code else None
        region = Region.objects.filter(code=code).first()
        if region is None:
            region = services.region_create(
                actor=None, code=code, name=name, kind=kind, parent=parent
            )
        elif (region.name, region.kind, region.parent_id) != (name, kind, parent and parent.pk):
            region = services.region_update(
                actor=None, region=region, name=name, kind=kind, parent=parent
            )
        found[code] = region
    return found


def _units(regions: dict[str, Region]) -> dict[str, Unit]:
    found: dict[str, Unit] = {}
    for order, (name, short, kind, region_code) in enumerate(data.UNITS):
        unit = Unit.objects.filter(name=name).first()
        wanted = {"short_name": short, "kind": kind, "region": regions[region_code], "order": order}
        if unit is None:
            unit = services.unit_create(actor=None, name=name, **wanted)  # type: ignore[arg-type]
        elif any(getattr(unit, k) != v for k, v in wanted.items()):
            unit = services.unit_update(actor=None, unit=unit, **wanted)
        found[short] = unit
    return found


def _users(regions: dict[str, Region], units: dict[str, Unit]) -> int:
    lines = {line.name: line for line in BusinessLine.objects.all()}
    for username, name, role, region_code, line_names, unit_short, title in data.USERS:
        fields = {
            "name": name,
            "role": role,
            "region": regions[region_code],
            "unit": units[unit_short] if unit_short else None,
            "title": title,
        }
        user = User.objects.filter(username=username).first()
        if user is None:
            user = services.user_create(
                actor=None,
                username=username,
                lines=[lines[n] for n in line_names],
                password=data.DEMO_PASSWORD,
                **fields,  # type: ignore[arg-type]
            )
            continue
        changed = {k: v for k, v in fields.items() if getattr(user, k) != v}
        wanted_lines = [lines[n] for n in line_names]
        if (
            changed
            or not user.is_active
            or sorted(user.lines.values_list("name", flat=True)) != sorted(line_names)
        ):
            services.user_update(
                actor=None, user=user, lines=wanted_lines, is_active=True, **changed
            )
        # The logins make run prints must work, whatever was done to the demo accounts since.
        if not user.check_password(data.DEMO_PASSWORD):
            services.user_set_password(actor=None, user=user, password=data.DEMO_PASSWORD)
    return len(data.USERS)
