"""The audit log: who logged in, saw, changed or exported what.

Model changes are caught by signals on the registered models, so no service can forget them; the
rows are written by the same connection inside the same transaction as the change, so a rolled
back change leaves no audit row and a committed one always has its row. The actor comes from the
request (middleware), the API token (api.auth) or a management command (``acting_as``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

from .models import AuditAction, AuditEvent, User
from .versioning import Versioned

SECRET_MARK = "（已修改，内容不记录）"  # noqa: S105 - shown instead of a secret value


@dataclass
class _Context:
    actor: User | None = None
    ip: str | None = None
    via: str = ""


_context: ContextVar[_Context | None] = ContextVar("tongxin_audit_context", default=None)
_note: ContextVar[str] = ContextVar("tongxin_audit_note", default="")


@contextlib.contextmanager
def acting_as(actor: User | None, *, ip: str | None = None, via: str = "") -> Iterator[None]:
    """Attribute every audit row written inside the block to ``actor``."""
    token = _context.set(_Context(actor=actor, ip=ip, via=via))
    try:
        yield
    finally:
        _context.reset(token)


@contextlib.contextmanager
def noting(detail: str) -> Iterator[None]:
    """Give every audit row written inside the block, the signals' rows included, ``detail`` as
    its 说明 (unless the row names its own): why the change was made, e.g. "本人申报，审核人：…"."""
    token = _note.set(detail)
    try:
        yield
    finally:
        _note.reset(token)


def set_actor(actor: User | None) -> None:
    """Name the actor of the current context once authentication has found it (API tokens)."""
    ctx = _context.get()
    if ctx is None:
        _context.set(_Context(actor=actor))
    else:
        ctx.actor = actor


def set_via(via: str) -> None:
    """Name who acts when no staff user does (a person on the portal): the row's account."""
    ctx = _context.get()
    if ctx is None:
        _context.set(_Context(via=via))
    else:
        ctx.via = via


def current_actor() -> User | None:
    ctx = _context.get()
    return ctx.actor if ctx else None


def record(
    action: str,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    detail: str = "",
    actor: User | None = None,
    actor_username: str = "",
    ip: str | None = None,
) -> AuditEvent:
    event = build(
        action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        changes=changes,
        detail=detail,
        actor=actor,
        actor_username=actor_username,
        ip=ip,
    )
    event.save()
    return event


def build(
    action: str,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    detail: str = "",
    actor: User | None = None,
    actor_username: str = "",
    ip: str | None = None,
) -> AuditEvent:
    """An unsaved audit row, for bulk writes that save many at once (bulk_create)."""
    ctx = _context.get() or _Context()
    who = actor if actor is not None else ctx.actor
    if who is not None and not who.pk:
        who = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    return AuditEvent(
        actor=who,
        actor_username=actor_username or (who.username if who else ctx.via or "系统"),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        changes=changes or {},
        detail=(detail or _note.get())[:500],
        ip=ip or ctx.ip,
    )


def created_changes(instance: models.Model) -> dict[str, Any]:
    """What a create row records: every non-empty audited field, secrets as a mark."""
    return {
        k: [None, _shown(instance, k, v)]
        for k, v in _values(instance).items()
        if v not in (None, "")
    }


# --- model change tracking ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    exclude: frozenset[str] = field(default_factory=frozenset)
    secret: frozenset[str] = field(default_factory=frozenset)


_registry: dict[type[models.Model], _Spec] = {}


def register(
    model: type[models.Model], *, exclude: Iterable[str] = (), secret: Iterable[str] = ()
) -> None:
    """Audit every create, update and delete of ``model``; ``secret`` fields are noted as changed
    without their values (password hashes, encrypted personal data)."""
    # The edit version moves with every change: noise in the log, which already shows the change.
    skipped = {"version"} if issubclass(model, Versioned) else set()
    spec = _Spec(exclude=frozenset(exclude) | skipped, secret=frozenset(secret))
    _registry[model] = spec
    _fields_of.pop(model, None)
    uid = f"audit-{model._meta.label_lower}"
    post_init.connect(_snapshot, sender=model, dispatch_uid=uid + "-init")
    post_save.connect(_saved, sender=model, dispatch_uid=uid + "-save")
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid + "-delete")
    for m2m in model._meta.many_to_many:
        if m2m.name not in spec.exclude:
            m2m_changed.connect(
                _m2m_changed, sender=m2m.remote_field.through, dispatch_uid=f"{uid}-{m2m.name}"
            )


def _fields(instance: models.Model) -> list[models.Field[Any, Any]]:
    # Asked for every instance loaded (post_init): worked out once per model.
    model = type(instance)
    found = _fields_of.get(model)
    if found is None:
        spec = _registry[model]
        found = _fields_of[model] = [
            f
            for f in instance._meta.concrete_fields
            if f.name not in spec.exclude and not f.primary_key
        ]
    return found


_fields_of: dict[type[models.Model], list[models.Field[Any, Any]]] = {}


def _values(instance: models.Model) -> dict[str, Any]:
    # Deferred fields (``.only()``) are left out: reading one would load it, and loading fires
    # post_init again. A field never loaded cannot have been changed through this instance.
    deferred = instance.get_deferred_fields()
    return {
        f.name: getattr(instance, f.attname) for f in _fields(instance) if f.attname not in deferred
    }


def _snapshot(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    instance._audit_snapshot = _values(instance)  # type: ignore[attr-defined]


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _shown(instance: models.Model, name: str, value: Any) -> Any:
    """What the auditor reads: a related record's name, a choice's label, or the plain value."""
    spec = _registry[type(instance)]
    if name in spec.secret:
        return SECRET_MARK if value not in (None, "") else None
    model_field = instance._meta.get_field(name)
    if value is not None and isinstance(model_field, models.ForeignKey):
        if model_field.is_cached(instance) and getattr(instance, model_field.attname) == value:
            # The instance already holds the related record: name it without a query.
            related = model_field.get_cached_value(instance)
        else:
            related = model_field.related_model._default_manager.filter(pk=value).first()
        return f"{related}（{value}）" if related is not None else value
    choices = getattr(model_field, "choices", None)
    if value not in (None, "") and choices:
        return str(dict(choices).get(value, value))
    return _plain(value)


def _saved(
    sender: type[models.Model],
    instance: models.Model,
    created: bool,
    raw: bool = False,
    **kwargs: Any,
) -> None:
    if raw:
        return
    before: dict[str, Any] = getattr(instance, "_audit_snapshot", {})
    after = _values(instance)
    if created:
        record(AuditAction.CREATE, obj=instance, changes=created_changes(instance))
    else:
        changed = [k for k, v in after.items() if before.get(k, v) != v]
        if not changed:
            return
        changes = {
            k: [_shown(instance, k, before.get(k)), _shown(instance, k, after[k])] for k in changed
        }
        record(AuditAction.UPDATE, obj=instance, changes=changes)
    instance._audit_snapshot = after  # type: ignore[attr-defined]


def _deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    before: dict[str, Any] = getattr(instance, "_audit_snapshot", _values(instance))
    changes = {k: [_shown(instance, k, v), None] for k, v in before.items() if v not in (None, "")}
    record(AuditAction.DELETE, obj=instance, changes=changes)


def _m2m_changed(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    **kwargs: Any,
) -> None:
    if reverse or type(instance) not in _registry:
        return
    name = next(m.name for m in instance._meta.many_to_many if m.remote_field.through is sender)
    if action.startswith("pre_"):
        instance.__dict__.setdefault("_audit_m2m", {})[name] = _m2m_names(instance, name)
        return
    before = instance.__dict__.get("_audit_m2m", {}).pop(name, [])
    after = _m2m_names(instance, name)
    if before != after:
        record(AuditAction.UPDATE, obj=instance, changes={name: [before, after]})


def _m2m_names(instance: models.Model, name: str) -> list[str]:
    return sorted(str(o) for o in getattr(instance, name).all())


def object_type_label(object_type: str) -> str:
    """``core.unit`` → 单位, for the auditor's eyes."""
    from django.apps import apps

    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def field_label(object_type: str, name: str) -> str:
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    try:
        field = apps.get_model(object_type)._meta.get_field(name)
        return str(getattr(field, "verbose_name", name))
    except (LookupError, ValueError, FieldDoesNotExist):
        return name
