"""Writes of the core app. Each service checks permission, validates, writes, and audits, all in
one transaction; views, API handlers and commands only call them."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import access, audit, versioning
from .models import ApiToken, AuditAction, BusinessLine, Region, Role, Unit, User, token_digest

TOKEN_PREFIX = "tx_"  # noqa: S105 - a marker that says "this is a Tongxin token", not a secret
CITY_STAFF_NEEDS_LINES = "市级业务人员至少需要一个业务条线，请勾选其负责的条线。"


def _check_lines(role: str, lines: list[BusinessLine]) -> None:
    if role == Role.CITY_STAFF and not lines:
        raise ValidationError({"lines": CITY_STAFF_NEEDS_LINES})


# --- regions and units ------------------------------------------------------------------------


@transaction.atomic
def region_create(
    *, actor: User | None, code: str, name: str, kind: str, parent: Region | None, order: int = 0
) -> Region:
    if actor is not None:
        access.require_write(actor, Role.ADMIN)
    region = Region(code=code, name=name, kind=kind, parent=parent, order=order)
    region.full_clean()
    region.save()
    return region


@transaction.atomic
def region_update(*, actor: User | None, region: Region, **fields: object) -> Region:
    if actor is not None:
        access.require_write(actor, Role.ADMIN)
    for name, value in fields.items():
        setattr(region, name, value)
    region.full_clean()
    region.save()
    return region


@transaction.atomic
def unit_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    region: Region,
    short_name: str = "",
    order: int = 0,
) -> Unit:
    if actor is not None:
        access.require_write(actor, Role.ADMIN)
    unit = Unit(name=name, short_name=short_name, kind=kind, region=region, order=order)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_update(
    *, actor: User | None, unit: Unit, expected_version: int | None = None, **fields: object
) -> Unit:
    if actor is not None:
        access.require_write(actor, Role.ADMIN)
    versioning.claim(unit, expected_version)
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.full_clean()
    unit.save()
    return unit


# --- users ----------------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    name: str,
    role: str,
    region: Region,
    lines: Iterable[BusinessLine] = (),
    unit: Unit | None = None,
    title: str = "",
    password: str | None = None,
    can_reveal: bool = False,
) -> User:
    """Create a staff account. ``password=None`` leaves it unusable until one is set."""
    if actor is not None:
        access.require_write(actor, Role.ADMIN)
    lines = list(lines)
    _check_lines(role, lines)
    user = User(
        username=username,
        name=name,
        role=role,
        region=region,
        unit=unit,
        title=title,
        can_reveal=can_reveal,
    )
    user.full_clean(exclude=["password"])
    if password is not None:
        password_validation.validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.lines.set(lines)
    return user


@transaction.atomic
def user_update(
    *,
    actor: User | None,
    user: User,
    lines: Iterable[BusinessLine] | None = None,
    expected_version: int | None = None,
    **fields: object,
) -> User:
    if actor is not None:
        access.require_write(actor, Role.ADMIN)
    versioning.claim(user, expected_version)
    for name, value in fields.items():
        setattr(user, name, value)
    wanted = list(lines) if lines is not None else list(user.lines.all())
    _check_lines(user.role, wanted)
    user.full_clean(exclude=["password"])
    user.save()
    current = sorted(user.lines.values_list("pk", flat=True))
    if lines is not None and sorted(x.pk for x in wanted) != current:
        user.lines.set(wanted)
    return user


@transaction.atomic
def user_set_password(*, actor: User | None, user: User, password: str) -> User:
    """Set a password the policy accepts. A user may change their own; an admin anyone's."""
    if actor is not None and actor.pk != user.pk:
        access.require_write(actor, Role.ADMIN)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(AuditAction.PASSWORD_CHANGE, obj=user)
    return user


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> None:
    """Lift a login lockout before its cool-off ends."""
    from axes.utils import reset

    access.require_write(actor, Role.ADMIN)
    reset(username=user.username)
    audit.record(AuditAction.UNLOCK, obj=user, detail="管理员解除登录锁定")


# --- API tokens ---------------------------------------------------------------------------------


@transaction.atomic
def token_create(*, actor: User | None, user: User, name: str = "API") -> tuple[ApiToken, str]:
    """Return the token row and the raw token, which is shown this once and never stored."""
    if actor is not None and actor.pk != user.pk:
        access.require_write(actor, Role.ADMIN)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip() or "API", prefix=raw[:10], digest=token_digest(raw)
    )
    audit.record(AuditAction.TOKEN_CREATE, obj=token, detail=f"为 {user.username} 创建令牌")
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    if actor is not None and actor.pk != token.user_id:
        access.require_write(actor, Role.ADMIN)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            AuditAction.TOKEN_REVOKE, obj=token, detail=f"吊销 {token.user.username} 的令牌"
        )
    return token


def token_authenticate(raw: str) -> User | None:
    """The active user a raw bearer token belongs to, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user__region", "user__unit")
        .filter(digest=token_digest(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Touch at most once a minute: a busy client must not turn every read into a write.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
