"""JSON shapes of the registry API (people, organizations, memberships, figures, designations,
code tables) and the translation of incoming JSON into the values the services take.

Keys are English; values that come from code tables are their Chinese names (or aliases, on the
way in). ID numbers and phones are always masked here: the full values only ever leave through
POST /persons/{id}/reveal, which is audited. Religion and ethnicity are null for users whose line
does not need them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import models, transaction
from django.http import HttpRequest
from ninja import Field, Schema

from tongxin.core import access, text
from tongxin.core.models import Region
from tongxin.core.versioning import EditConflict
from tongxin.registry import selectors, services
from tongxin.registry.models import (
    CodeItem,
    CodeKind,
    Designation,
    EnterpriseFigure,
    Membership,
    Organization,
    OrgRegistration,
    Person,
)

from .versions import VERSION_OUT, version_field


def _name(item: CodeItem | None) -> str | None:
    return item.name if item is not None else None


def sees_beliefs(request: HttpRequest) -> bool:
    """access.can_see_beliefs, asked once per request (it may query the user's lines)."""
    cached: bool | None = getattr(request, "_tongxin_sees_beliefs", None)
    if cached is None:
        cached = access.can_see_beliefs(getattr(request, "auth", None))
        request._tongxin_sees_beliefs = cached  # type: ignore[attr-defined]
    return cached


def _request(context: Any) -> HttpRequest:
    request: HttpRequest = context["request"]
    return request


# --- people -----------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    version: int = Field(description=VERSION_OUT)
    name: str
    gender: str = Field(description="M 男，F 女，空为未填")
    gender_label: str
    ethnicity: str | None = Field(description="仅对有权查看民族宗教信息的用户返回，否则为 null")
    religion: str | None = Field(description="仅对有权查看民族宗教信息的用户返回，否则为 null")
    birth_date: dt.date | None
    id_number: str = Field(description="脱敏显示；完整号码请调用 reveal 接口（记入审计）")
    phone: str = Field(description="脱敏显示")
    region: str = Field(description="行政区划代码")
    region_name: str
    employer: str
    position: str
    title: str
    education: str | None
    political_status: str | None
    categories: list[str] = Field(description="统战对象类别（中文名称）")
    stratum_group: str | None
    stratum_subtype: str | None
    is_representative: bool
    representative_level: str | None
    tags: list[str]
    political_performance: str
    notes: str
    archived: bool
    updated_at: dt.datetime

    @staticmethod
    def resolve_gender_label(obj: Person) -> str:
        return obj.get_gender_display() if obj.gender else ""

    @staticmethod
    def resolve_ethnicity(obj: Person, context: Any) -> str | None:
        return _name(obj.ethnicity) if sees_beliefs(_request(context)) else None

    @staticmethod
    def resolve_religion(obj: Person, context: Any) -> str | None:
        return _name(obj.religion) if sees_beliefs(_request(context)) else None

    @staticmethod
    def resolve_id_number(obj: Person) -> str:
        return obj.id_number_masked

    @staticmethod
    def resolve_phone(obj: Person) -> str:
        return obj.phone_masked

    @staticmethod
    def resolve_region(obj: Person) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: Person) -> str:
        return obj.region.name

    @staticmethod
    def resolve_education(obj: Person) -> str | None:
        return _name(obj.education)

    @staticmethod
    def resolve_political_status(obj: Person) -> str | None:
        return _name(obj.political_status)

    @staticmethod
    def resolve_categories(obj: Person) -> list[str]:
        return [c.name for c in sorted(obj.categories.all(), key=lambda c: (c.order, c.pk))]

    @staticmethod
    def resolve_stratum_group(obj: Person) -> str | None:
        return _name(obj.stratum_group)

    @staticmethod
    def resolve_stratum_subtype(obj: Person) -> str | None:
        return _name(obj.stratum_subtype)

    @staticmethod
    def resolve_representative_level(obj: Person) -> str | None:
        return _name(obj.representative_level)

    @staticmethod
    def resolve_tags(obj: Person) -> list[str]:
        return sorted(t.name for t in obj.tags.all())

    @staticmethod
    def resolve_archived(obj: Person) -> bool:
        return obj.is_archived


CODE_HELP = "代码表中的中文名称或别名，可选值见 GET /api/v1/codes?kind=…"


class PersonIn(Schema):
    name: str = Field(description="姓名")
    region: str = Field(description="所属区域的行政区划代码，如 510603")
    gender: str = Field("", description="M/男 或 F/女；填写身份证号时以身份证号为准")
    birth_date: dt.date | None = Field(None, description="填写身份证号时以身份证号为准")
    id_number: str = Field("", description="公民身份号码（明文提交，加密保存）")
    phone: str = Field("", description="手机号码或带区号的固定电话（明文提交，加密保存）")
    ethnicity: str | None = Field(None, description=CODE_HELP)
    religion: str | None = Field(None, description=CODE_HELP)
    political_status: str | None = Field(None, description=CODE_HELP)
    education: str | None = Field(None, description=CODE_HELP)
    title: str = ""
    employer: str = ""
    position: str = ""
    categories: list[str] = Field(default_factory=list, description=CODE_HELP)
    stratum_group: str | None = Field(None, description=CODE_HELP)
    stratum_subtype: str | None = Field(None, description=CODE_HELP)
    is_representative: bool = False
    representative_level: str | None = Field(None, description=CODE_HELP)
    tags: list[str] = Field(default_factory=list)
    political_performance: str = ""
    notes: str = ""


class PersonPatch(Schema):
    """Only the keys sent are changed. Masked values sent back unchanged are ignored."""

    version: int | None = version_field()
    name: str | None = None
    region: str | None = None
    gender: str | None = None
    birth_date: dt.date | None = None
    id_number: str | None = None
    phone: str | None = None
    ethnicity: str | None = None
    religion: str | None = None
    political_status: str | None = None
    education: str | None = None
    title: str | None = None
    employer: str | None = None
    position: str | None = None
    categories: list[str] | None = None
    stratum_group: str | None = None
    stratum_subtype: str | None = None
    is_representative: bool | None = None
    representative_level: str | None = None
    tags: list[str] | None = None
    political_performance: str | None = None
    notes: str | None = None
    archived: bool | None = Field(None, description="true 归档（须填 archive_reason），false 恢复")
    archive_reason: str | None = None


class RevealOut(Schema):
    id_number: str
    phone: str


# --- organizations ----------------------------------------------------------------------------


class OrganizationOut(Schema):
    id: int
    version: int = Field(description=VERSION_OUT)
    name: str
    short_name: str
    org_type: str
    org_subtype: str | None
    region: str = Field(description="行政区划代码")
    region_name: str
    credit_code: str
    address: str
    founded_on: dt.date | None
    legal_registration: str = Field(description="registered/in_progress/unregistered，空为不适用")
    legal_registration_label: str
    is_non_public: bool
    is_taiwan_funded: bool
    is_overseas_funded: bool
    notes: str
    archived: bool
    updated_at: dt.datetime

    @staticmethod
    def resolve_org_type(obj: Organization) -> str:
        return obj.org_type.name

    @staticmethod
    def resolve_org_subtype(obj: Organization) -> str | None:
        return _name(obj.org_subtype)

    @staticmethod
    def resolve_region(obj: Organization) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: Organization) -> str:
        return obj.region.name

    @staticmethod
    def resolve_legal_registration_label(obj: Organization) -> str:
        return obj.get_legal_registration_display()

    @staticmethod
    def resolve_archived(obj: Organization) -> bool:
        return obj.is_archived


class OrganizationIn(Schema):
    name: str = Field(description="名称")
    org_type: str = Field(description=CODE_HELP)
    region: str = Field(description="所属区域的行政区划代码")
    short_name: str = ""
    org_subtype: str | None = Field(None, description=CODE_HELP)
    credit_code: str = ""
    address: str = ""
    founded_on: dt.date | None = None
    legal_registration: str = Field("", description="已登记/办理中/未登记 或其英文值，空为不适用")
    is_non_public: bool = False
    is_taiwan_funded: bool = False
    is_overseas_funded: bool = False
    notes: str = ""


class OrganizationPatch(Schema):
    version: int | None = version_field()
    name: str | None = None
    org_type: str | None = None
    region: str | None = None
    short_name: str | None = None
    org_subtype: str | None = None
    credit_code: str | None = None
    address: str | None = None
    founded_on: dt.date | None = None
    legal_registration: str | None = None
    is_non_public: bool | None = None
    is_taiwan_funded: bool | None = None
    is_overseas_funded: bool | None = None
    notes: str | None = None
    archived: bool | None = Field(None, description="true 归档（须填 archive_reason），false 恢复")
    archive_reason: str | None = None


class FigureOut(Schema):
    id: int
    year: int
    revenue: str | None = Field(description="营业收入（万元）")
    tax: str | None = Field(description="纳税额（万元）")
    employees: int | None = Field(description="从业人数（人）")
    rd_spend: str | None = Field(description="研发投入（万元）")

    @staticmethod
    def resolve_revenue(obj: EnterpriseFigure) -> str | None:
        return None if obj.revenue is None else str(obj.revenue)

    @staticmethod
    def resolve_tax(obj: EnterpriseFigure) -> str | None:
        return None if obj.tax is None else str(obj.tax)

    @staticmethod
    def resolve_rd_spend(obj: EnterpriseFigure) -> str | None:
        return None if obj.rd_spend is None else str(obj.rd_spend)


class DesignationOut(Schema):
    id: int
    kind: str
    batch: str
    designated_on: dt.date
    issuer: str
    revoked_on: dt.date | None
    notes: str

    @staticmethod
    def resolve_kind(obj: Designation) -> str:
        return obj.kind.name


# --- memberships ------------------------------------------------------------------------------


class MembershipOut(Schema):
    id: int
    version: int = Field(description=VERSION_OUT)
    person: int
    person_name: str
    organization: int
    organization_name: str
    role: str
    term_start: dt.date | None
    term_end: dt.date | None
    notes: str
    is_current: bool

    @staticmethod
    def resolve_person(obj: Membership) -> int:
        return obj.person_id

    @staticmethod
    def resolve_person_name(obj: Membership) -> str:
        return obj.person.name

    @staticmethod
    def resolve_organization(obj: Membership) -> int:
        return obj.organization_id

    @staticmethod
    def resolve_organization_name(obj: Membership) -> str:
        return obj.organization.name


class MembershipIn(Schema):
    person: int = Field(description="人员 id")
    organization: int = Field(description="组织 id")
    role: str = Field("会员", description="职务，如 会长、副会长、会员")
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    notes: str = ""


class MembershipPatch(Schema):
    version: int | None = version_field()
    role: str | None = None
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    notes: str | None = None


# --- code tables ------------------------------------------------------------------------------


class CodeItemOut(Schema):
    id: int
    kind: str
    kind_label: str
    code: str
    name: str
    aliases: list[str]
    parent: str | None
    is_active: bool

    @staticmethod
    def resolve_kind_label(obj: CodeItem) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_aliases(obj: CodeItem) -> list[str]:
        return obj.alias_list()

    @staticmethod
    def resolve_parent(obj: CodeItem) -> str | None:
        return _name(obj.parent)


# --- messages -------------------------------------------------------------------------------

UNKNOWN_CODE = "“{value}”不是有效的{table}。可选值见 GET /api/v1/codes?kind={kind}。"
UNKNOWN_KIND = "代码表“{value}”不存在，可选：{options}。"
UNKNOWN_REGION = (
    "区划代码“{value}”不存在，请填写行政区划代码（如 510603），可选值见 GET /api/v1/regions。"
)
UNKNOWN_SORT = "排序方式“{value}”无效，可选：{options}。"
REQUIRED = "不能为空，请填写。"
BAD_GENDER = "请填写 M（男）或 F（女），未知可留空。"
BAD_REGISTRATION = (
    "请填写 已登记、办理中 或 未登记（或 registered、in_progress、unregistered），不适用可留空。"
)
PERSON_NOT_FOUND = "未找到编号为 {value} 的人员，或您无权查看。"
ORGANIZATION_NOT_FOUND = "未找到编号为 {value} 的组织，或您无权查看。"
BELIEFS_FORBIDDEN = (
    "您无权查看或填写民族和宗教信仰。请去掉 ethnicity、religion 两项（或填 null）后重试。"
)
# The constraints' own Chinese messages (models.py), by name: one definition for pages and API.
CONSTRAINT_MESSAGES = {
    constraint.name: str(constraint.violation_error_message)
    for model in (Person, Organization, Membership)
    for constraint in model._meta.constraints
}


# --- errors that name the field ---------------------------------------------------------------


def _label(model: type[models.Model], key: str) -> str:
    try:
        verbose = getattr(model._meta.get_field(key), "verbose_name", key)
    except FieldDoesNotExist:
        return key
    return f"{verbose}（{key}）"


def _explain(message: str) -> str:
    for name, explanation in CONSTRAINT_MESSAGES.items():
        if name in message:
            return explanation
    return message


def _labelled(model: type[models.Model], exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return [_explain(m) for m in exc.messages]
    messages = []
    for key, errors in exc.message_dict.items():
        for message in errors:
            message = _explain(message)
            if key != NON_FIELD_ERRORS:
                message = f"{_label(model, key)}：{message}"
            messages.append(message)
    return messages


@contextmanager
def writing(model: type[models.Model]) -> Iterator[None]:
    """One transaction; its ValidationError leaves naming each field as 中文名（key）."""
    try:
        with transaction.atomic():
            yield
    except EditConflict:
        raise
    except ValidationError as exc:
        raise ValidationError(_labelled(model, exc)) from None


# --- JSON values to model values --------------------------------------------------------------


def code_items(kind: str) -> list[CodeItem]:
    return list(selectors.codes(kind))


def match_code(items: list[CodeItem], value: str) -> CodeItem | None:
    wanted = text.t2s(text.clean(value))
    for item in items:
        if wanted == item.name or wanted in item.alias_list():
            return item
    return None


def _unknown(kind: str, value: str) -> str:
    return UNKNOWN_CODE.format(value=value, table=CodeKind(kind).label, kind=kind)


def _code(kind: str) -> Callable[[Any], CodeItem | None]:
    def to_item(value: Any) -> CodeItem | None:
        if not text.clean(value):
            return None
        item = match_code(code_items(kind), value)
        if item is None:
            raise ValidationError(_unknown(kind, value))
        return item

    return to_item


def _required_code(kind: str) -> Callable[[Any], CodeItem]:
    optional = _code(kind)

    def to_item(value: Any) -> CodeItem:
        item = optional(value)
        if item is None:
            raise ValidationError(REQUIRED)
        return item

    return to_item


def _codes(kind: str) -> Callable[[Any], list[CodeItem]]:
    def to_items(values: Any) -> list[CodeItem]:
        items = code_items(kind)
        found, unknown = [], []
        for value in values or []:
            item = match_code(items, value)
            if item is None:
                unknown.append(_unknown(kind, value))
            elif item not in found:
                found.append(item)
        if unknown:
            raise ValidationError(unknown)
        return found

    return to_items


def _region(value: Any) -> Region:
    code = text.clean(value)
    if not code:
        raise ValidationError(REQUIRED)
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError(UNKNOWN_REGION.format(value=code))
    return region


def _gender(value: Any) -> str:
    genders = {"": "", "M": "M", "F": "F", "男": "M", "女": "F"}
    key = text.clean(value).upper()
    if key not in genders:
        raise ValidationError(BAD_GENDER)
    return genders[key]


def _registration(value: Any) -> str:
    key = text.clean(value)
    for choice, label in OrgRegistration.choices:
        if key in (choice, label):
            return str(choice)
    raise ValidationError(BAD_REGISTRATION)


def _text(value: Any) -> str:
    return text.clean(value)


def _long_text(value: Any) -> str:
    return (value or "").strip()


def _flag(value: Any) -> bool:
    return bool(value)


def _same(value: Any) -> Any:
    return value


def convert(data: dict[str, Any], converters: dict[str, Callable[[Any], Any]]) -> dict[str, Any]:
    """Every key converted, every error collected, then one ValidationError naming the keys."""
    fields: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for key, value in data.items():
        try:
            fields[key] = converters[key](value)
        except ValidationError as exc:
            errors[key] = exc.messages
    if errors:
        raise ValidationError(errors)
    return fields


PERSON_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "name": _text,
    "region": _region,
    "gender": _gender,
    "birth_date": _same,
    "id_number": _text,
    "phone": _text,
    "ethnicity": _code(CodeKind.ETHNICITY),
    "religion": _code(CodeKind.RELIGION),
    "political_status": _code(CodeKind.POLITICAL_STATUS),
    "education": _code(CodeKind.EDUCATION),
    "title": _text,
    "employer": _text,
    "position": _text,
    "categories": _codes(CodeKind.CATEGORY),
    "stratum_group": _code(CodeKind.STRATUM_GROUP),
    "stratum_subtype": _code(CodeKind.STRATUM_SUBTYPE),
    "is_representative": _flag,
    "representative_level": _code(CodeKind.REP_LEVEL),
    "tags": lambda names: services.tags_from_names(names or []),
    "political_performance": _long_text,
    "notes": _long_text,
}
BELIEFS = ("ethnicity", "religion")


def person_fields(
    request: HttpRequest, data: dict[str, Any], person: Person | None = None
) -> dict[str, Any]:
    data = dict(data)
    if not sees_beliefs(request):
        # What the user was shown as null they may send back as null without erasing anything.
        for key in BELIEFS:
            if key in data and not text.clean(data[key]):
                del data[key]
            elif key in data:
                raise PermissionDenied(BELIEFS_FORBIDDEN)
    if person is not None:
        # A masked value sent back unchanged (read, edit another field, save) is no new value.
        for key, masked in (("id_number", person.id_number_masked), ("phone", person.phone_masked)):
            if masked and data.get(key) == masked:
                del data[key]
    return convert(data, PERSON_CONVERTERS)


ORGANIZATION_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "name": _text,
    "org_type": _required_code(CodeKind.ORG_TYPE),
    "region": _region,
    "short_name": _text,
    "org_subtype": _code(CodeKind.ORG_SUBTYPE),
    "credit_code": lambda value: text.clean(value).upper(),
    "address": _text,
    "founded_on": _same,
    "legal_registration": _registration,
    "is_non_public": _flag,
    "is_taiwan_funded": _flag,
    "is_overseas_funded": _flag,
    "notes": _long_text,
}
MEMBERSHIP_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "role": _text,
    "term_start": _same,
    "term_end": _same,
    "notes": _text,
}


def filter_code(kind: str, param: str, value: str) -> CodeItem | None:
    try:
        return _code(kind)(value)
    except ValidationError:
        raise ValidationError(f"参数 {param}：{_unknown(kind, value)}") from None
