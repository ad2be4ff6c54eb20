"""Reads of outputs (成果): the list with its filters and counts, and the detail with authors,
endorsements, adoptions, the compilation it is in or the cases it includes, the activities that
adopted it and its files. Authors come through their own rule: a liaison sees units and
organizations as authors, never people."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from tongxin.core import access, text
from tongxin.core.models import BusinessLine, Region, User

from .models import Activity, Adoption, Attachment, Endorsement, Output, OutputAuthor
from .selectors_activities import scoped_count


@dataclass(frozen=True)
class OutputFilter:
    q: str = ""
    kind: str = ""
    year: int | None = None
    region: Region | None = None
    line: BusinessLine | None = None
    endorsed: bool = False
    adopted: bool = False


def scoped_authors(user: User) -> QuerySet[OutputAuthor]:
    return access.scope(
        user, OutputAuthor.objects.select_related("person", "organization", "unit")
    ).order_by("order", "id")


def output_list(user: User, f: OutputFilter) -> QuerySet[Output]:
    qs = access.scope(user, Output.objects.all())
    query = text.line(f.q)
    if query:
        qs = qs.filter(Q(title__contains=query) | Q(title__contains=text.t2s(query)))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.year is not None:
        qs = qs.filter(date__year=f.year)
    if f.region is not None:
        qs = qs.filter(region__path__startswith=f.region.path)
    if f.line is not None:
        qs = qs.filter(line=f.line)
    if f.endorsed:
        qs = qs.filter(Exists(Endorsement.objects.filter(output=OuterRef("pk"))))
    if f.adopted:
        qs = qs.filter(Exists(Adoption.objects.filter(output=OuterRef("pk"))))
    return (
        qs.select_related("region", "line")
        .annotate(
            endorsement_count=scoped_count(user, Endorsement.objects.all(), "output"),
            adoption_count=scoped_count(user, Adoption.objects.all(), "output"),
        )
        .prefetch_related(
            Prefetch("authors", queryset=scoped_authors(user), to_attr="shown_authors")
        )
        .order_by("-date", "-id")
    )


def output_detail(user: User, output_id: Any) -> Output:
    return access.get_for_user(
        user,
        Output.objects.select_related("region", "line", "compilation", "created_by"),
        pk=output_id,
    )


@dataclass(frozen=True)
class OutputParts:
    authors: list[OutputAuthor]
    compilation: Output | None
    included: list[Output]
    endorsements: list[Endorsement]
    adoptions: list[Adoption]
    activities: list[Activity]
    attachments: list[Attachment]


def output_parts(user: User, output: Output) -> OutputParts:
    compilation = None
    if output.compilation_id is not None:
        compilation = access.scope(user, Output.objects.filter(pk=output.compilation_id)).first()
    return OutputParts(
        authors=list(scoped_authors(user).filter(output=output)),
        compilation=compilation,
        included=list(
            access.scope(user, Output.objects.filter(compilation=output))
            .select_related("region")
            .order_by("date", "id")
        ),
        endorsements=list(access.scope(user, Endorsement.objects.filter(output=output))),
        adoptions=list(access.scope(user, Adoption.objects.filter(output=output))),
        activities=list(
            access.scope(user, Activity.objects.filter(adopted_outputs=output))
            .select_related("type")
            .order_by("-date", "-id")
        ),
        attachments=list(
            access.scope(
                user, Attachment.objects.filter(output=output).select_related("uploaded_by")
            )
        ),
    )


def author_names(authors: list[OutputAuthor]) -> str:
    return "、".join(str(a) for a in authors)
