"""What the work-record API modules share (activities, visits and cases, outputs, trainings and
cadres): the small shapes that name a linked record, money as decimal strings, and the translation
of incoming JSON (Chinese labels or keys, ids of records the user may see) into the values the
services take.

Each resource's own shapes live beside this module: schemas_activities.py, schemas_cases.py,
schemas_outputs.py, schemas_cadres.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema

from tongxin.core import access, text
from tongxin.core.models import BusinessLine, Region, User
from tongxin.core.versioning import EditConflict
from tongxin.work import services_activities
from tongxin.work.checks import LINK_OUT_OF_SCOPE

from .schemas_registry import UNKNOWN_REGION, code_items, match_code

M = TypeVar("M", bound=models.Model)
CENT = Decimal("0.01")

UNKNOWN_CHOICE = "“{value}”不是有效的{what}，可选：{options}。"
UNKNOWN_LINE = "“{value}”不是有效的条线，可选：{options}。"
UNKNOWN_ACTIVITY_TYPE = (
    "“{value}”不是有效的活动类型。可选值见 GET /api/v1/codes?kind=activity_type。"
)
MONEY_INVALID = '{what}须为大于0的数字（单位：万元，最多两位小数），请以字符串提交，如 "800.00"。'
DECIMAL_INVALID = '{what}须为不小于0的数字，如 "24" 或 "1.5"。'
REQUIRED = "不能为空，请填写。"

# Keys of the API that are not model fields, named as users know them.
KEY_LABELS = {
    "organizers": "主办方",
    "participants": "参加人员",
    "persons": "学员",
    "person": "人员",
    "unit": "单位",
    "role": "角色",
    "projects": "推介项目",
    "credits": "授信签约",
    "amount": "授信金额（万元）",
    "enterprise": "企业",
    "bank": "银行",
    "opinions": "走访意见",
    "to": "新状态",
    "note": "说明",
    "reason": "原因",
    "authors": "作者",
    "file": "文件",
    "files": "文件",
    "member": "成员单位",
    "meeting": "会议",
    "next_meeting": "下次会议",
    "mechanism": "工作机制",
    "owner": "督办责任人",
    "deadline": "办理时限",
    "result": "办理结果",
}


# --- out: linked records, money -----------------------------------------------------------------


class IdName(Schema):
    id: int
    name: str


class IdTitle(Schema):
    id: int
    title: str


def ref(obj: Any) -> dict[str, Any] | None:
    """{"id", "name"} of a linked person, organization or unit; never more of it (no ID
    numbers, no phones)."""
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def money(value: Decimal | None) -> str | None:
    """万元 with two places, as a string: JSON numbers are floats to most clients."""
    return None if value is None else str(value.quantize(CENT))


def hours_text(value: Decimal | None) -> str | None:
    """学时 with one place, as stored ("24.0"), as a string like money."""
    return None if value is None else str(value.quantize(Decimal("0.1")))


def region_code(obj: Any) -> str:
    return str(obj.region.code)


def line_name(obj: Any) -> str | None:
    return obj.line.name if obj.line_id else None


# --- in: labels, codes, regions, money ------------------------------------------------------------

MoneyIn = str | int | float
MONEY_HELP = '金额（万元），以字符串提交，如 "800.00"；最多两位小数'


def choice(choices: type[models.TextChoices], what: str, value: Any) -> str:
    """A TextChoices key from its Chinese label or its key."""
    wanted = text.t2s(text.clean(str(value or "")))
    if not wanted:
        raise ValidationError(REQUIRED)
    for key, label in choices.choices:
        if wanted in (key, label):
            return str(key)
    options = "、".join(str(label) for label in choices.labels)
    raise ValidationError(UNKNOWN_CHOICE.format(value=value, what=what, options=options))


def optional_choice(choices: type[models.TextChoices], what: str, value: Any) -> str:
    return choice(choices, what, value) if text.clean(str(value or "")) else ""


def activity_type(value: Any) -> Any:
    from tongxin.registry.models import CodeKind

    if not text.clean(str(value or "")):
        raise ValidationError(REQUIRED)
    item = match_code(code_items(CodeKind.ACTIVITY_TYPE), str(value))
    if item is None:
        raise ValidationError(UNKNOWN_ACTIVITY_TYPE.format(value=value))
    return item


def business_line(value: Any) -> BusinessLine | None:
    wanted = text.t2s(text.clean(str(value or "")))
    if not wanted:
        return None
    for line in BusinessLine.objects.all():
        if wanted in (line.name, line.code, line.full_name):
            return line
    options = "、".join(BusinessLine.objects.values_list("name", flat=True))
    raise ValidationError(UNKNOWN_LINE.format(value=value, options=options))


def region(value: Any) -> Region:
    code = text.clean(str(value or ""))
    if not code:
        raise ValidationError(REQUIRED)
    found = Region.objects.filter(code=code).first()
    if found is None:
        raise ValidationError(UNKNOWN_REGION.format(value=code))
    return found


def amount(what: str, value: Any) -> Decimal:
    """Money in 万元 as Decimal: from a string, or a JSON number read from its decimal text."""
    if isinstance(value, bool):
        raise ValidationError(MONEY_INVALID.format(what=what))
    try:
        return services_activities.parse_wan_yuan(value)
    except ValidationError:
        raise ValidationError(MONEY_INVALID.format(what=what)) from None


def optional_amount(what: str, value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not text.clean(value)):
        return None
    return amount(what, value)


def non_negative(what: str, value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValidationError(DECIMAL_INVALID.format(what=what))
    raw = repr(value) if isinstance(value, float) else text.clean(str(value))
    try:
        number = Decimal(raw)
    except ArithmeticError:
        raise ValidationError(DECIMAL_INVALID.format(what=what)) from None
    if not number.is_finite() or number < 0:
        raise ValidationError(DECIMAL_INVALID.format(what=what))
    return number


# --- in: ids of records the user may see --------------------------------------------------------

ID_MIN, ID_MAX = -(2**63), 2**63 - 1  # BigAutoField


def year_filter(description: str) -> Any:
    """A list's year filter: a year dates can hold (a date of year 0 fails the query)."""
    return Field(None, ge=text.MIN_YEAR, le=text.MAX_YEAR, description=description)


def visible(user: User, model: type[M], pks: Sequence[int] | None, label: str) -> list[M]:
    """The records of ``pks`` in the order given, each one the user may see; a missing id and one
    outside the user's scope are refused alike, with the services' own message. None (a PATCH's
    null) is no records, as an empty list."""
    wanted = list(dict.fromkeys(pks or []))
    if not wanted:
        return []
    # An id past the database's integers names no record (and would fail the query).
    storable = [pk for pk in wanted if ID_MIN <= pk <= ID_MAX]
    found = {o.pk: o for o in access.scope(user, model._default_manager.filter(pk__in=storable))}
    if len(found) != len(wanted):
        raise ValidationError(LINK_OUT_OF_SCOPE.format(label=label))
    return [found[pk] for pk in wanted]


def visible_one(user: User, model: type[M], pk: int | None, label: str) -> M | None:
    return None if pk is None else visible(user, model, [pk], label)[0]


def filter_region(user: User, code: str) -> Region | None:
    """A list's region filter: the region (404 if out of scope), or None for no filter."""
    code = text.clean(code)
    return access.get_for_user(user, Region, code=code) if code else None


def in_region(qs: QuerySet[M], chosen: Region | None, prefix: str = "") -> QuerySet[M]:
    """Narrow an already scoped list to a region the user chose, with its subtree."""
    if chosen is None:
        return qs
    return qs.filter(**{f"{prefix}region__path__startswith": chosen.path})


def filter_choice(choices: type[models.TextChoices], what: str, param: str, value: str) -> str:
    try:
        return optional_choice(choices, what, value)
    except ValidationError as exc:
        raise ValidationError(f"参数 {param}：{exc.messages[0]}") from None


def filter_line(param: str, value: str) -> BusinessLine | None:
    try:
        return business_line(value)
    except ValidationError as exc:
        raise ValidationError(f"参数 {param}：{exc.messages[0]}") from None


# --- errors that name the field -------------------------------------------------------------------


def _label(models_: Sequence[type[models.Model]], key: str) -> str:
    for model in models_:
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            continue
        verbose = getattr(field, "verbose_name", None)  # reverse relations have none
        if verbose:
            return f"{verbose}（{key}）"
    return f"{KEY_LABELS[key]}（{key}）" if key in KEY_LABELS else key


def _labelled(models_: Sequence[type[models.Model]], exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    messages = []
    for key, errors in exc.message_dict.items():
        for message in errors:
            messages.append(
                message if key == NON_FIELD_ERRORS else f"{_label(models_, key)}：{message}"
            )
    return messages


@contextmanager
def saving(*models_: type[models.Model]) -> Iterator[None]:
    """One transaction for a request's writes; a ValidationError leaves naming each field as
    中文名（key）, looked up in ``models_`` in turn."""
    try:
        with transaction.atomic():
            yield
    except EditConflict:
        raise
    except ValidationError as exc:
        raise ValidationError(_labelled(models_, exc)) from None


def convert(data: dict[str, Any], converters: dict[str, Any]) -> dict[str, Any]:
    """Every key given converted, every error collected, then one ValidationError naming the
    keys. Keys without a converter pass as they are (dates, numbers, flags ninja checked)."""
    fields: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for key, value in data.items():
        try:
            fields[key] = converters[key](value) if key in converters else value
        except ValidationError as exc:
            errors[key] = exc.messages
    if errors:
        raise ValidationError(errors)
    return fields


def user_of(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]


class AttachmentOut(Schema):
    id: int
    name: str = Field(description="原文件名")
    size: int = Field(description="字节")
    content_type: str
    uploaded_at: dt.datetime
    url: str = Field(description="下载地址")

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.original_name)

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return f"/api/v1/attachments/{obj.pk}"
