"""Writes of outputs (成果) with their authors, endorsements (批示) and adoptions (采用)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tongxin.core import text, versioning
from tongxin.core.models import BusinessLine, Region, Unit, User
from tongxin.registry.models import Organization, Person

from .checks import check_owner_writable, check_region_line, check_visible, check_writer, tidy
from .models import Adoption, Endorsement, Output, OutputAuthor, OutputKind

TITLE_REQUIRED = "请填写成果标题。"
KIND_INVALID = "请选择成果类别。"
AUTHOR_REQUIRED = "每位作者须是一位人员、一个组织或一个单位，请选择其一。"
COMPILATION_WRONG = "只能收入“案例汇编”类成果，请重新选择汇编。"
MEDIA_ONLY = "发布平台和阅读量只用于新媒体作品；其他类别请留空。"
LEADER_REQUIRED = "请填写批示领导的职务，如：省委副书记。"


@dataclass(frozen=True)
class AuthorSpec:
    person: Person | None = None
    organization: Organization | None = None
    unit: Unit | None = None


def _check(actor: User, output: Output) -> None:
    if output.kind not in OutputKind.values:
        raise ValidationError({"kind": KIND_INVALID})
    if not output.title:
        raise ValidationError({"title": TITLE_REQUIRED})
    if output.compilation is not None and output.compilation.kind != OutputKind.COMPILATION:
        raise ValidationError({"compilation": COMPILATION_WRONG})
    if output.kind != OutputKind.MEDIA_POST and (output.channel or output.reads is not None):
        raise ValidationError({"channel": MEDIA_ONLY})
    check_region_line(actor, output.region, output.line)
    check_visible(actor, "compilation", "收入汇编", [output.compilation])


@transaction.atomic
def output_create(
    *,
    actor: User,
    kind: str,
    title: str,
    date: dt.date,
    region: Region,
    line: BusinessLine | None = None,
    authors: Sequence[AuthorSpec] = (),
    **fields: Any,
) -> Output:
    check_writer(actor)
    output = Output(
        kind=kind,
        title=text.line(title),
        date=date,
        region=region,
        line=line,
        created_by=actor,
        **tidy(Output, fields),
    )
    _check(actor, output)
    output.full_clean()
    output.save()
    authors_set(actor=actor, output=output, authors=authors)
    return output


@transaction.atomic
def output_update(
    *, actor: User, output: Output, expected_version: int | None = None, **fields: Any
) -> Output:
    check_owner_writable(actor, output)
    versioning.claim(output, expected_version)
    for name, value in tidy(Output, fields).items():
        setattr(output, name, value)
    _check(actor, output)
    output.full_clean()
    output.save()
    return output


@transaction.atomic
def authors_set(*, actor: User, output: Output, authors: Sequence[AuthorSpec]) -> None:
    """Replace the authors, in the order given."""
    check_owner_writable(actor, output)
    for spec in authors:
        if sum(x is not None for x in (spec.person, spec.organization, spec.unit)) != 1:
            raise ValidationError({"authors": AUTHOR_REQUIRED})
    check_visible(actor, "authors", "作者（人员）", [a.person for a in authors])
    check_visible(actor, "authors", "作者（组织）", [a.organization for a in authors])
    check_visible(actor, "authors", "作者（单位）", [a.unit for a in authors])
    output.authors.all().delete()
    for order, spec in enumerate(authors):
        author = OutputAuthor(
            output=output,
            person=spec.person,
            organization=spec.organization,
            unit=spec.unit,
            order=order,
        )
        author.full_clean()
        author.save()


@transaction.atomic
def endorsement_add(
    *,
    actor: User,
    output: Output,
    level: str,
    leader_title: str,
    date: dt.date,
    text_: str = "",
    is_affirmative: bool = True,
) -> Endorsement:
    check_owner_writable(actor, output)
    if not text.line(leader_title):
        raise ValidationError({"leader_title": LEADER_REQUIRED})
    endorsement = Endorsement(
        output=output,
        level=level,
        leader_title=text.line(leader_title),
        date=date,
        text=text.prose(text_),
        is_affirmative=is_affirmative,
    )
    endorsement.full_clean()
    endorsement.save()
    return endorsement


@transaction.atomic
def endorsement_remove(*, actor: User, endorsement: Endorsement) -> None:
    check_owner_writable(actor, endorsement.output)
    endorsement.delete()


@transaction.atomic
def adoption_add(
    *,
    actor: User,
    output: Output,
    adopter: str,
    date: dt.date,
    adopter_detail: str = "",
    notes: str = "",
) -> Adoption:
    check_owner_writable(actor, output)
    adoption = Adoption(
        output=output,
        adopter=adopter,
        adopter_detail=text.line(adopter_detail),
        date=date,
        notes=text.line(notes),
    )
    adoption.full_clean()
    adoption.save()
    return adoption


@transaction.atomic
def adoption_remove(*, actor: User, adoption: Adoption) -> None:
    check_owner_writable(actor, adoption.output)
    adoption.delete()
