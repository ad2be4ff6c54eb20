"""JSON shapes of outputs (成果): research reports, proposals, information submissions, cases,
courses, policy documents, media posts; with their authors, endorsements (批示) and adoptions
(采用).

Kinds, levels, adopters and channels are Chinese labels on the way out and may be labels or keys
on the way in. Authors, endorsements, adoptions and attachments are read from the lists the router
prefetched through access.scope (``visible_*``): a liaison sees the units among the authors, never
the people."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Field, Schema

from tongxin.core import text
from tongxin.core.models import Unit, User
from tongxin.registry.models import Organization, Person
from tongxin.work.models import Adopter, EndorsementLevel, MediaChannel, Output, OutputKind
from tongxin.work.services_outputs import AuthorSpec

from .schemas_work import (
    AttachmentOut,
    IdName,
    IdTitle,
    business_line,
    choice,
    convert,
    line_name,
    optional_choice,
    ref,
    region,
    region_code,
    visible_one,
)
from .versions import VERSION_OUT, version_field

AUTHOR_ONE = "每位作者须填写 person（人员 id）、organization（组织 id）或 unit（单位 id）之一。"


def _labels(choices: Any) -> str:
    return "、".join(str(label) for label in choices.labels)


# --- out ------------------------------------------------------------------------------------------


class AuthorOut(Schema):
    id: int
    person: IdName | None
    organization: IdName | None
    unit: IdName | None

    @staticmethod
    def resolve_person(obj: Any) -> dict[str, Any] | None:
        return ref(obj.person)

    @staticmethod
    def resolve_organization(obj: Any) -> dict[str, Any] | None:
        return ref(obj.organization)

    @staticmethod
    def resolve_unit(obj: Any) -> dict[str, Any] | None:
        return ref(obj.unit)


class EndorsementOut(Schema):
    id: int
    level: str = Field(description=_labels(EndorsementLevel))
    leader_title: str = Field(description="批示领导职务")
    date: dt.date
    text: str
    is_affirmative: bool = Field(description="肯定性批示")

    @staticmethod
    def resolve_level(obj: Any) -> str:
        return str(obj.get_level_display())


class AdoptionOut(Schema):
    id: int
    adopter: str = Field(description=_labels(Adopter))
    adopter_detail: str = Field(description="采用单位全称或刊物")
    date: dt.date
    notes: str

    @staticmethod
    def resolve_adopter(obj: Any) -> str:
        return str(obj.get_adopter_display())


class OutputOut(Schema):
    id: int
    version: int = Field(description=VERSION_OUT)
    kind: str = Field(description=_labels(OutputKind))
    title: str
    date: dt.date
    region: str
    region_name: str
    line: str | None
    summary: str
    document_number: str
    compilation: IdTitle | None = Field(description="收入的案例汇编")
    channel: str | None = Field(description="发布平台（新媒体作品）")
    reads: int | None = Field(description="阅读量（新媒体作品）")
    url: str
    authors: list[AuthorOut]
    endorsements: list[EndorsementOut]
    adoptions: list[AdoptionOut]
    attachments: list[AttachmentOut]
    created_by: str
    updated_at: dt.datetime

    @staticmethod
    def resolve_kind(obj: Output) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_region(obj: Output) -> str:
        return region_code(obj)

    @staticmethod
    def resolve_region_name(obj: Output) -> str:
        return obj.region.name

    @staticmethod
    def resolve_line(obj: Output) -> str | None:
        return line_name(obj)

    @staticmethod
    def resolve_compilation(obj: Output) -> dict[str, Any] | None:
        c = obj.visible_compilation  # type: ignore[attr-defined]
        return None if c is None else {"id": c.pk, "title": c.title}

    @staticmethod
    def resolve_channel(obj: Output) -> str | None:
        return obj.get_channel_display() if obj.channel else None

    @staticmethod
    def resolve_authors(obj: Output) -> list[Any]:
        return obj.shown_authors  # type: ignore[attr-defined]

    @staticmethod
    def resolve_endorsements(obj: Output) -> list[Any]:
        return obj.visible_endorsements  # type: ignore[attr-defined]

    @staticmethod
    def resolve_adoptions(obj: Output) -> list[Any]:
        return obj.visible_adoptions  # type: ignore[attr-defined]

    @staticmethod
    def resolve_attachments(obj: Output) -> list[Any]:
        return obj.visible_attachments  # type: ignore[attr-defined]

    @staticmethod
    def resolve_created_by(obj: Output) -> str:
        return obj.created_by.name


# --- in -------------------------------------------------------------------------------------------


class AuthorIn(Schema):
    person: int | None = Field(None, description="人员 id")
    organization: int | None = Field(None, description="组织 id")
    unit: int | None = Field(None, description="单位 id")


KIND_HELP = _labels(OutputKind) + "（或其英文值）"


class OutputIn(Schema):
    kind: str = Field(description=KIND_HELP)
    title: str
    date: dt.date = Field(description="形成或发布日期")
    region: str = Field(description="所属区域的行政区划代码")
    line: str | None = Field(None, description="条线；市级业务人员必填")
    summary: str = ""
    document_number: str = Field("", description="文号")
    compilation: int | None = Field(None, description="收入的案例汇编（成果 id）")
    channel: str = Field("", description="发布平台（仅新媒体作品）：" + _labels(MediaChannel))
    reads: int | None = Field(None, ge=0, description="阅读量（仅新媒体作品）")
    url: str = ""
    authors: list[AuthorIn] = Field(default_factory=list, description="按署名顺序")


class OutputPatch(Schema):
    """Only the keys sent are changed; authors sent replace the authors."""

    version: int | None = version_field()
    kind: str | None = None
    title: str | None = None
    date: dt.date | None = None
    region: str | None = None
    line: str | None = None
    summary: str | None = None
    document_number: str | None = None
    compilation: int | None = None
    channel: str | None = None
    reads: int | None = Field(None, ge=0)
    url: str | None = None
    authors: list[AuthorIn] | None = None


class EndorsementIn(Schema):
    level: str = Field(description=_labels(EndorsementLevel) + "（或其英文值）")
    leader_title: str = Field(description="批示领导职务，如：省委副书记")
    date: dt.date = Field(description="批示日期")
    text: str = Field("", description="批示内容")
    is_affirmative: bool = Field(True, description="肯定性批示")


class AdoptionIn(Schema):
    adopter: str = Field(description=_labels(Adopter) + "（或其英文值）")
    date: dt.date = Field(description="采用日期")
    adopter_detail: str = Field("", description="采用单位全称或刊物，如：民建中央《信息专报》")
    notes: str = ""


# --- JSON to service arguments ------------------------------------------------------------------


def _authors(user: User, items: list[dict[str, Any]]) -> list[AuthorSpec]:
    keys = ("person", "organization", "unit")
    if any(sum(a.get(k) is not None for k in keys) != 1 for a in items):
        raise ValidationError(AUTHOR_ONE)
    return [
        AuthorSpec(
            person=visible_one(user, Person, a.get("person"), "作者（人员）"),
            organization=visible_one(user, Organization, a.get("organization"), "作者（组织）"),
            unit=visible_one(user, Unit, a.get("unit"), "作者（单位）"),
        )
        for a in items
    ]


def output_fields(user: User, data: dict[str, Any]) -> dict[str, Any]:
    return convert(
        data,
        {
            "kind": lambda v: choice(OutputKind, "成果类别", v),
            "title": lambda v: text.clean(v),
            "region": region,
            "line": business_line,
            "summary": lambda v: (v or "").strip(),
            "document_number": lambda v: text.clean(v),
            "compilation": lambda pk: visible_one(user, Output, pk, "收入汇编"),
            "channel": lambda v: optional_choice(MediaChannel, "发布平台", v),
            "url": lambda v: text.clean(v),
            "authors": lambda v: _authors(user, v or []),
        },
    )


def endorsement_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = convert(data, {"level": lambda v: choice(EndorsementLevel, "批示层级", v)})
    fields["text_"] = fields.pop("text")
    return fields


def adoption_fields(data: dict[str, Any]) -> dict[str, Any]:
    return convert(data, {"adopter": lambda v: choice(Adopter, "采用单位", v)})
