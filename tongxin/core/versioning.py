"""Optimistic locking of edits: the second of two editors gets a conflict, never a lost update.

Every record people edit carries a ``version`` (``Versioned``). An edit page renders the version
it showed in a hidden field (``add_version_field``); the API takes it as ``If-Match`` or a body
``version``. The service calls ``claim(record, expected)`` inside its transaction before it
writes: one conditional ``UPDATE … SET version = version + 1 WHERE id = … AND version = …``.
Under concurrency the database row lock serializes two claims; the second finds the version
moved and raises ``EditConflict``, naming who changed the record and when (from the audit log),
so nothing the first editor saved is overwritten. A claim with no expected version checks the
version the service's copy was read at, which still catches a change made in between.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone

FIELD = "expected_version"  # the hidden field of edit forms, passed to services as is

CONFLICT = (
    "这条记录已被{who}于{when}修改，您的修改未保存，以免覆盖对方的修改。"
    "请重新打开这条记录查看最新内容，在其基础上重新修改后再保存。"
)
CONFLICT_ANONYMOUS = (
    "这条记录在您打开之后已被他人修改，您的修改未保存，以免覆盖对方的修改。"
    "请重新打开这条记录查看最新内容，在其基础上重新修改后再保存。"
)
RECORD_GONE = "这条记录已被删除，您的修改未保存。请返回列表查看。"
VERSION_UNKNOWN = (
    "无法确认您修改的是否为最新内容（缺少或无法识别版本号），修改未保存。"
    "请重新打开这条记录，在最新内容上重新修改后再保存。"
)


class Versioned(models.Model):
    """A record edited by people: ``version`` grows by one (or more) with every change."""

    version = models.PositiveIntegerField(
        "版本", default=1, editable=False, help_text="每次修改加一，用于发现同时编辑。"
    )

    class Meta:
        abstract = True


class EditConflict(ValidationError):
    """The record changed since the editor read it (or the editor's version is unreadable)."""

    def __init__(
        self,
        message: str,
        *,
        changed_by: str = "",
        changed_at: datetime | None = None,
        current_version: int | None = None,
    ) -> None:
        super().__init__(message, code="edit_conflict")
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.current_version = current_version


def last_change(record: models.Model) -> tuple[str, datetime] | None:
    """Who last created or changed ``record``, and when, from the audit log."""
    from .models import AuditAction, AuditEvent

    event = (
        AuditEvent.objects.filter(
            object_type=record._meta.label_lower,
            object_id=str(record.pk),
            action__in=[AuditAction.UPDATE, AuditAction.CREATE],
        )
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    if event is None:
        return None
    return (str(event.actor) if event.actor else event.actor_username or "系统", event.at)


def conflict(record: Versioned) -> EditConflict:
    """The error for an edit of ``record`` based on a version that is no longer current."""
    current = (
        type(record)._base_manager.filter(pk=record.pk).values_list("version", flat=True).first()
    )
    if current is None:
        return EditConflict(RECORD_GONE)
    change = last_change(record)
    if change is None:
        return EditConflict(CONFLICT_ANONYMOUS, current_version=current)
    who, at = change
    when = timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
    return EditConflict(
        CONFLICT.format(who=who, when=when),
        changed_by=who,
        changed_at=at,
        current_version=current,
    )


def claim(record: Versioned, expected: int | None = None) -> None:
    """Take the next version of ``record`` if it is still at ``expected`` (by default the version
    this copy was read at), or raise ``EditConflict``. Call it inside the writing transaction,
    before the write: the conditional UPDATE holds the row until commit."""
    if expected is not None and expected < 1:
        raise EditConflict(VERSION_UNKNOWN)
    if expected is None:
        expected = record.version
    elif expected != record.version:
        # The copy about to be saved was read at another version than the editor's.
        raise conflict(record)
    taken = (
        type(record)
        ._base_manager.filter(pk=record.pk, version=expected)
        .update(version=F("version") + 1)
    )
    if not taken:
        raise conflict(record)
    record.version = expected + 1


# --- edit forms -----------------------------------------------------------------------------------


class VersionField(forms.IntegerField):
    """The version an edit page showed. Missing or garbled it cleans to 0, which ``claim`` refuses
    with a sentence above the form (a hidden field's own error would not be shown)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> int:
        try:
            number = super().to_python(value)
        except ValidationError:
            return 0
        return number if number is not None and number > 0 else 0

    def validate(self, value: Any) -> None:
        pass

    def run_validators(self, value: Any) -> None:
        pass


def add_version_field(form: forms.BaseForm, record: Versioned) -> None:
    """Carry ``record``'s version through an edit form; the view passes
    ``form.cleaned_data[FIELD]`` to the service as ``expected_version``."""
    form.fields[FIELD] = VersionField(initial=record.version)
    form.initial[FIELD] = record.version


def expected_from(form: forms.BaseForm) -> int | None:
    value: int | None = form.cleaned_data.get(FIELD)
    return value
