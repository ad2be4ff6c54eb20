"""Writes of the registry. Each checks permission and scope, validates, writes and audits in one
transaction. Views, the API and the importer call these and nothing else."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ForeignKey, Model
from django.utils import timezone

from tongxin.core import access, audit, crypto, ids, text, versioning
from tongxin.core.models import AuditAction, AuditEvent, Region, Role, User

from .models import (
    AnnualReview,
    CodeItem,
    CodeKind,
    Designation,
    EnterpriseFigure,
    Honour,
    Membership,
    Organization,
    Person,
    PoliticalArrangement,
    StandardCheck,
    Tag,
)
from .signals import person_merged

EDITORS = (Role.ADMIN, Role.CITY_STAFF, Role.DISTRICT_STAFF)
REGION_OUT_OF_SCOPE = "所属区域超出您的管辖范围，请选择您所辖的区域。"
CATEGORY_OUT_OF_LINE = "请至少选择一个属于您所负责条线的人员类别。"
ORG_TYPE_OUT_OF_LINE = "该组织类型不属于您负责的条线，请选择您条线内的类型。"
ARCHIVE_REASON_REQUIRED = "请填写归档原因。"
MERGE_SAME = "不能把一条记录与它自己合并。"
NOT_REVEALABLE = "您没有查看完整身份证号和手机号的权限。如工作需要，请联系系统管理员开通。"


def _check_editor(actor: User | None) -> None:
    if actor is not None:
        access.require_write(actor, *EDITORS)


def _check_region(actor: User | None, region: Region) -> None:
    if actor is not None and not access.scope(actor, Region.objects.filter(pk=region.pk)).exists():
        raise ValidationError({"region": REGION_OUT_OF_SCOPE})


def _check_categories(actor: User | None, categories: list[CodeItem]) -> None:
    if actor is None or actor.role != Role.CITY_STAFF:
        return
    lines = set(actor.lines.values_list("pk", flat=True))
    if not any(c.line_id in lines for c in categories):
        raise ValidationError({"categories": CATEGORY_OUT_OF_LINE})


def _set_fields(obj: Model, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)


# --- identity -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    id_number: str
    phone: str
    gender: str
    birth_date: date | None
    warnings: list[str]


def check_identity(id_number: str, phone: str) -> Identity:
    """Normalize and check an ID number and a phone; gender and birth date come from the ID.
    Raises ValidationError naming the field; area codes are only ever a warning."""
    errors: dict[str, list[str]] = {}
    warnings: list[str] = []
    gender, birth = "", None
    number = ""
    if text.clean(id_number):
        check = ids.check_id_number(id_number)
        if check.errors:
            errors["id_number"] = check.errors
        number, gender, birth = check.number, check.gender, check.birth_date
        warnings += check.warnings
    mobile = ""
    if text.clean(phone):
        phone_check = ids.check_phone(phone)
        if phone_check.errors:
            errors["phone"] = phone_check.errors
        mobile = phone_check.number
    if errors:
        raise ValidationError(errors)
    return Identity(
        id_number=number, phone=mobile, gender=gender, birth_date=birth, warnings=warnings
    )


def find_by_id_number(id_number: str) -> Person | None:
    """The living record holding this ID number, whoever may see it (duplicate detection)."""
    if not id_number:
        return None
    indexes = crypto.blind_indexes(id_number, purpose="id_number")
    return Person.objects.filter(id_number_index__in=indexes, archived_at__isnull=True).first()


def _check_duplicate(actor: User | None, person: Person) -> None:
    other = find_by_id_number(person.id_number)
    if other is None or other.pk == person.pk:
        return
    if actor is None or access.scope(actor, Person.objects.filter(pk=other.pk)).exists():
        message = f"该身份证号已登记为“{other.name}”（{other.region}），请直接编辑那条记录。"
    else:
        message = "该身份证号已在您管辖范围以外登记，请联系市级管理员核实。"
    raise ValidationError({"id_number": message})


# --- people ---------------------------------------------------------------------------------------


@transaction.atomic
def person_create(
    *,
    actor: User | None,
    name: str,
    region: Region,
    categories: Iterable[CodeItem] = (),
    tags: Iterable[Tag] = (),
    id_number: str = "",
    phone: str = "",
    **fields: Any,
) -> Person:
    _check_editor(actor)
    _check_region(actor, region)
    categories = list(categories)
    _check_categories(actor, categories)
    identity = check_identity(id_number, phone)
    person = Person(name=text.clean(name), region=region, created_by=actor, **fields)
    _apply_identity(person, identity)
    person.full_clean(exclude=["id_number_index", "phone_index", *_held_relations(person)])
    _check_duplicate(actor, person)
    person.save()
    person.categories.set(categories)
    person.tags.set(list(tags))
    return person


class BulkRowError(Exception):
    """Row ``index`` of a bulk create was refused; nothing of the batch was written."""

    def __init__(self, index: int, error: ValidationError) -> None:
        super().__init__("；".join(error.messages))
        self.index = index
        self.error = error


@transaction.atomic
def person_bulk_create(*, actor: User, rows: list[dict[str, Any]]) -> list[Person]:
    """Create many checked people at once (imports): the same validation per record as
    person_create, but one INSERT per table per batch, and their audit rows alike.

    Each row holds the keyword arguments person_create takes, already normalized and checked by
    the caller (check_identity, scope, categories); the database's constraints stay the last word
    on duplicate ID numbers."""
    _check_editor(actor)
    people: list[Person] = []
    for index, row in enumerate(rows):
        values = dict(row)
        categories, tags = values.pop("categories", []), values.pop("tags", [])
        id_number, phone = values.pop("id_number", ""), values.pop("phone", "")
        person = Person(created_by=actor, **values)
        person.name = text.clean(person.name)
        try:
            _apply_identity(person, check_identity(id_number, phone))
            person.full_clean(
                exclude=["id_number_index", "phone_index", *_held_relations(person)],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            raise BulkRowError(index, exc) from exc
        person.refresh_keys()
        people.append(person)
        person._bulk_relations = (categories, tags)  # type: ignore[attr-defined]
    Person.objects.bulk_create(people)
    through_categories = Person.categories.through
    through_tags = Person.tags.through
    through_categories.objects.bulk_create(
        through_categories(person_id=p.pk, codeitem_id=c.pk)
        for p in people
        for c in p._bulk_relations[0]  # type: ignore[attr-defined]
    )
    through_tags.objects.bulk_create(
        through_tags(person_id=p.pk, tag_id=t.pk)
        for p in people
        for t in p._bulk_relations[1]  # type: ignore[attr-defined]
    )
    AuditEvent.objects.bulk_create(
        audit.build(
            AuditAction.CREATE,
            obj=p,
            actor=actor,
            changes=audit.created_changes(p),
            detail="批量导入",
        )
        for p in people
    )
    return people


def _apply_identity(person: Person, identity: Identity) -> None:
    person.id_number = identity.id_number
    person.phone = identity.phone
    if identity.id_number:
        person.gender = identity.gender
        person.birth_date = identity.birth_date


@transaction.atomic
def person_update(
    *,
    actor: User | None,
    person: Person,
    categories: Iterable[CodeItem] | None = None,
    tags: Iterable[Tag] | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> Person:
    _check_editor(actor)
    versioning.claim(person, expected_version)
    if "region" in fields:
        _check_region(actor, fields["region"])
    if "name" in fields:
        fields["name"] = text.clean(fields["name"])
    if "id_number" in fields or "phone" in fields:
        identity = check_identity(
            fields.pop("id_number", person.id_number), fields.pop("phone", person.phone)
        )
        _apply_identity(person, identity)
    _set_fields(person, fields)
    person.full_clean(exclude=["id_number_index", "phone_index"])
    _check_duplicate(actor, person)
    person.save()
    if categories is not None:
        wanted = list(categories)
        _check_categories(actor, wanted)
        if {c.pk for c in wanted} != set(person.categories.values_list("pk", flat=True)):
            person.categories.set(wanted)
    if tags is not None:
        wanted_tags = list(tags)
        if {t.pk for t in wanted_tags} != set(person.tags.values_list("pk", flat=True)):
            person.tags.set(wanted_tags)
    return person


@transaction.atomic
def person_archive(
    *, actor: User | None, person: Person, reason: str, expected_version: int | None = None
) -> Person:
    _check_editor(actor)
    if not text.clean(reason):
        raise ValidationError({"archive_reason": ARCHIVE_REASON_REQUIRED})
    versioning.claim(person, expected_version)
    person.archived_at = timezone.now()
    person.archive_reason = text.clean(reason)
    person.save(update_fields=["archived_at", "archive_reason"])
    return person


@transaction.atomic
def person_restore(
    *, actor: User | None, person: Person, expected_version: int | None = None
) -> Person:
    _check_editor(actor)
    versioning.claim(person, expected_version)
    person.archived_at = None
    person.archive_reason = ""
    person.full_clean(exclude=["id_number_index", "phone_index"])
    _check_duplicate(actor, person)
    person.save(update_fields=["archived_at", "archive_reason"])
    return person


MERGE_FILLABLE = (
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "ethnicity",
    "religion",
    "political_status",
    "education",
    "title",
    "employer",
    "position",
    "stratum_group",
    "stratum_subtype",
    "representative_level",
    "political_performance",
    "notes",
)


@transaction.atomic
def person_merge(*, actor: User | None, keep: Person, drop: Person) -> Person:
    """Two records of one person become one: ``keep`` gains what it lacks from ``drop``, takes its
    memberships, arrangements, honours, reviews, categories and tags; ``drop`` is archived with a
    pointer to ``keep``, so its history stays readable."""
    _check_editor(actor)
    if keep.pk == drop.pk:
        raise ValidationError(MERGE_SAME)
    versioning.claim(drop)
    versioning.claim(keep)  # it gains what it lacked: an editor of the old copy must reload
    moved_id = drop.id_number
    drop.merged_into = keep
    drop.archived_at = timezone.now()
    drop.archive_reason = f"已合并到“{keep.name}”（编号 {keep.pk}）"
    drop.save(update_fields=["merged_into", "archived_at", "archive_reason"])
    for name in MERGE_FILLABLE:
        if not getattr(keep, name) and getattr(drop, name):
            setattr(keep, name, moved_id if name == "id_number" else getattr(drop, name))
    keep.is_representative = keep.is_representative or drop.is_representative
    keep.full_clean(exclude=["id_number_index", "phone_index"])
    keep.save()
    for model in (Membership, PoliticalArrangement, Honour):
        for row in model.objects.filter(person=drop):
            row.person = keep
            row.save(update_fields=["person"])
    kept_years = set(keep.reviews.values_list("year", flat=True))
    for review in drop.reviews.exclude(year__in=kept_years):
        review.person = keep
        review.save(update_fields=["person"])
    keep.categories.add(*drop.categories.all())
    keep.tags.add(*drop.tags.all())
    audit.record(AuditAction.UPDATE, obj=keep, detail=f"合并了记录“{drop.name}”（编号 {drop.pk}）")
    person_merged.send(sender=Person, keep=keep, drop=drop)
    return keep


@transaction.atomic
def person_reveal(*, actor: User, person: Person) -> dict[str, str]:
    """The full ID number and phone, for an account allowed to see them; every reveal is audited."""
    if not access.can_reveal(actor):
        raise access.PermissionDenied(NOT_REVEALABLE)
    audit.record(AuditAction.REVEAL, obj=person, actor=actor, detail="查看完整身份证号和手机号")
    return {"id_number": person.id_number, "phone": person.phone}


def tags_from_names(names: Iterable[str]) -> list[Tag]:
    tags = []
    for name in {text.clean(n) for n in names if text.clean(n)}:
        tag, _ = Tag.objects.get_or_create(name=name[:32])
        tags.append(tag)
    return tags


# --- person details -------------------------------------------------------------------------------


@transaction.atomic
def detail_add(*, actor: User | None, model: type[Model], person: Person, **fields: Any) -> Model:
    """Add an arrangement, honour or review to a person."""
    _check_editor(actor)
    if model not in (PoliticalArrangement, Honour, AnnualReview):
        raise ValueError(model)
    row = model(person=person, **fields)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def detail_remove(*, actor: User | None, row: Model) -> None:
    _check_editor(actor)
    row.delete()


# --- organizations --------------------------------------------------------------------------------


def _check_org_type(actor: User | None, org_type: CodeItem) -> None:
    if (
        actor is not None
        and actor.role == Role.CITY_STAFF
        and not (org_type.line_id and actor.lines.filter(pk=org_type.line_id).exists())
    ):
        raise ValidationError({"org_type": ORG_TYPE_OUT_OF_LINE})


@transaction.atomic
def organization_create(
    *, actor: User | None, name: str, org_type: CodeItem, region: Region, **fields: Any
) -> Organization:
    _check_editor(actor)
    _check_region(actor, region)
    _check_org_type(actor, org_type)
    org = Organization(name=text.clean(name), org_type=org_type, region=region, **fields)
    org.full_clean()  # not skipping held relations: (name, region) is a checked constraint
    org.save()
    return org


@transaction.atomic
def organization_update(
    *,
    actor: User | None,
    organization: Organization,
    expected_version: int | None = None,
    **fields: Any,
) -> Organization:
    _check_editor(actor)
    versioning.claim(organization, expected_version)
    if "region" in fields:
        _check_region(actor, fields["region"])
    if "org_type" in fields:
        _check_org_type(actor, fields["org_type"])
    _set_fields(organization, fields)
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def organization_archive(
    *,
    actor: User | None,
    organization: Organization,
    reason: str,
    expected_version: int | None = None,
) -> Organization:
    _check_editor(actor)
    if not text.clean(reason):
        raise ValidationError({"archive_reason": ARCHIVE_REASON_REQUIRED})
    versioning.claim(organization, expected_version)
    organization.archived_at = timezone.now()
    organization.archive_reason = text.clean(reason)
    organization.save(update_fields=["archived_at", "archive_reason"])
    return organization


@transaction.atomic
def membership_add(
    *,
    actor: User | None,
    person: Person,
    organization: Organization,
    role: str = "会员",
    term_start: date | None = None,
    term_end: date | None = None,
    notes: str = "",
) -> Membership:
    _check_editor(actor)
    membership = Membership(
        person=person,
        organization=organization,
        role=text.clean(role) or "会员",
        term_start=term_start,
        term_end=term_end,
        notes=notes,
    )
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_update(
    *,
    actor: User | None,
    membership: Membership,
    expected_version: int | None = None,
    **fields: Any,
) -> Membership:
    _check_editor(actor)
    versioning.claim(membership, expected_version)
    _set_fields(membership, fields)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def figure_save(
    *,
    actor: User | None,
    organization: Organization,
    year: int,
    expected_version: int | None = None,
    **values: Any,
) -> EnterpriseFigure:
    """The year's figures, added or (the year being there) updated."""
    _check_editor(actor)
    figure = EnterpriseFigure.objects.filter(organization=organization, year=year).first()
    if figure is not None:
        versioning.claim(figure, expected_version)
    figure = figure or EnterpriseFigure(organization=organization, year=year)
    _set_fields(figure, values)
    figure.full_clean()
    figure.save()
    return figure


@transaction.atomic
def designation_add(
    *,
    actor: User | None,
    organization: Organization,
    kind: CodeItem,
    designated_on: date,
    **fields: Any,
) -> Designation:
    _check_editor(actor)
    designation = Designation(
        organization=organization, kind=kind, designated_on=designated_on, **fields
    )
    designation.full_clean()
    designation.save()
    return designation


@transaction.atomic
def designation_update(
    *,
    actor: User | None,
    designation: Designation,
    expected_version: int | None = None,
    **fields: Any,
) -> Designation:
    _check_editor(actor)
    versioning.claim(designation, expected_version)
    _set_fields(designation, fields)
    designation.full_clean()
    designation.save()
    return designation


@transaction.atomic
def organization_restore(*, actor: User | None, organization: Organization) -> Organization:
    _check_editor(actor)
    versioning.claim(organization)
    organization.archived_at = None
    organization.archive_reason = ""
    organization.full_clean()
    organization.save(update_fields=["archived_at", "archive_reason"])
    return organization


@transaction.atomic
def standard_check_save(
    *,
    actor: User | None,
    organization: Organization,
    year: int,
    expected_version: int | None = None,
    **items: Any,
) -> StandardCheck:
    """The year's checklist, added or (the year being there) updated."""
    _check_editor(actor)
    check = StandardCheck.objects.filter(organization=organization, year=year).first()
    if check is not None:
        versioning.claim(check, expected_version)
    check = check or StandardCheck(organization=organization, year=year)
    _set_fields(check, items)
    check.full_clean()
    check.save()
    return check


# --- code tables ----------------------------------------------------------------------------------


@transaction.atomic
def code_item_save(
    *,
    actor: User | None,
    item: CodeItem | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> CodeItem:
    if actor is not None:
        access.require_write(actor, Role.ADMIN)
    if item is not None:
        versioning.claim(item, expected_version)
    item = item or CodeItem()
    _set_fields(item, fields)
    if item.kind not in CodeKind.values:
        raise ValidationError({"kind": "未知的代码表。"})
    item.full_clean()
    item.save()
    return item


def _held_relations(obj: Model) -> list[str]:
    """Foreign keys whose related record the instance already holds: fetched from the database,
    they exist, so full_clean need not query for each of them again."""
    return [
        f.name
        for f in obj._meta.concrete_fields
        if isinstance(f, ForeignKey) and f.is_cached(obj) and getattr(obj, f.name) is not None
    ]
