"""/outputs (成果) with their authors, endorsements (批示) and adoptions (采用).

Handlers only translate: labels and ids in, a service call (services_outputs), the output out.
Outputs come through access.scope/get_for_user; the services refuse read-only roles and links out
of sight. Each request's writes run in one transaction.
"""

# No ``from __future__ import annotations``: ninja evaluates the handlers' annotations.

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from tongxin.core import access
from tongxin.core.models import User
from tongxin.work import selectors_outputs as selectors
from tongxin.work import services_outputs as services
from tongxin.work.checks import check_writer
from tongxin.work.models import (
    Adoption,
    Attachment,
    Endorsement,
    Output,
    OutputAuthor,
    OutputKind,
)

from .. import versions
from ..errors import CONFLICTS, ErrorOut
from ..pagination import Paged
from ..schemas_outputs import (
    AdoptionIn,
    EndorsementIn,
    OutputIn,
    OutputOut,
    OutputPatch,
    adoption_fields,
    endorsement_fields,
    output_fields,
)
from ..schemas_work import (
    filter_choice,
    filter_line,
    filter_region,
    saving,
    user_of,
    year_filter,
)

router = Router(tags=["成果"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITTEN = (Output, OutputAuthor, Endorsement, Adoption)


def prefetches(user: User) -> list[Prefetch]:
    """What OutputOut reads besides the authors (selectors_outputs prefetches those as
    ``shown_authors``), each through its scope rule; the compilation only if in sight."""
    return [
        Prefetch(
            "compilation",
            queryset=access.scope(user, Output.objects.only("id", "title")),
            to_attr="visible_compilation",
        ),
        Prefetch(
            "endorsements",
            queryset=access.scope(user, Endorsement.objects.all()),
            to_attr="visible_endorsements",
        ),
        Prefetch(
            "adoptions",
            queryset=access.scope(user, Adoption.objects.all()),
            to_attr="visible_adoptions",
        ),
        Prefetch(
            "attachments",
            queryset=access.scope(user, Attachment.objects.all()),
            to_attr="visible_attachments",
        ),
    ]


def _output(user: User, output_id: int) -> Output:
    output = selectors.output_detail(user, output_id)
    authors = Prefetch("authors", queryset=selectors.scoped_authors(user), to_attr="shown_authors")
    prefetch_related_objects([output], authors, *prefetches(user))
    return output


class OutputQuery(Schema):
    kind: str = Field("", description="类别（中文或英文值），如 调研报告")
    year: int | None = year_filter("年度（按形成/发布日期）")
    region: str = Field("", description="行政区划代码，含下辖区划")
    line: str = Field("", description="条线（如 党派）")
    endorsed: bool | None = Field(None, description="true 只列有领导批示的，false 只列没有的")
    adopted: bool | None = Field(None, description="true 只列被采用的，false 只列未被采用的")


@router.get("/outputs", response={200: list[OutputOut], **ERRORS}, summary="成果列表")
@paginate(Paged)
def output_list(request: HttpRequest, filters: Query[OutputQuery]) -> QuerySet[Output]:
    user = user_of(request)
    qs = selectors.output_list(
        user,
        selectors.OutputFilter(
            kind=filter_choice(OutputKind, "成果类别", "kind", filters.kind),
            year=filters.year,
            region=filter_region(user, filters.region),
            line=filter_line("line", filters.line),
            endorsed=bool(filters.endorsed),
            adopted=bool(filters.adopted),
        ),
    )
    # The pages filter only for "with"; the API also for "without".
    if filters.endorsed is False:
        qs = qs.exclude(Exists(Endorsement.objects.filter(output=OuterRef("pk"))))
    if filters.adopted is False:
        qs = qs.exclude(Exists(Adoption.objects.filter(output=OuterRef("pk"))))
    return qs.select_related("created_by").prefetch_related(*prefetches(user))


@router.post("/outputs", response={201: OutputOut, **ERRORS}, summary="新增成果")
def output_create(request: HttpRequest, payload: OutputIn) -> Status[Output]:
    user = user_of(request)
    check_writer(user)
    with saving(*WRITTEN):
        output = services.output_create(actor=user, **output_fields(user, payload.model_dump()))
    return Status(201, _output(user, output.pk))


@router.get("/outputs/{output_id}", response={200: OutputOut, **ERRORS}, summary="成果详情")
def output_detail(request: HttpRequest, output_id: int, response: HttpResponse) -> Output:
    output = _output(user_of(request), output_id)
    versions.tagged(response, output)
    return output


@router.patch(
    "/outputs/{output_id}",
    response={200: OutputOut, **ERRORS, **CONFLICTS},
    summary="修改成果",
    description=versions.PATCH_HELP,
)
def output_update(
    request: HttpRequest,
    output_id: int,
    response: HttpResponse,
    payload: OutputPatch | None = None,
) -> Output:
    user = user_of(request)
    output = _output(user, output_id)
    check_writer(user)
    data = payload.model_dump(exclude_unset=True) if payload is not None else {}
    expected = versions.expected_version(request, data.pop("version", None))
    with saving(*WRITTEN):
        fields = output_fields(user, data)
        authors = fields.pop("authors", None)
        if fields or authors is not None:  # authors alone change the output too
            services.output_update(actor=user, output=output, expected_version=expected, **fields)
        if authors is not None:
            services.authors_set(actor=user, output=output, authors=authors)
    output = _output(user, output.pk)
    versions.tagged(response, output)
    return output


@router.post(
    "/outputs/{output_id}/endorsements",
    response={201: OutputOut, **ERRORS},
    summary="记录领导批示",
)
def endorsement_add(request: HttpRequest, output_id: int, payload: EndorsementIn) -> Status[Output]:
    user = user_of(request)
    output = _output(user, output_id)
    check_writer(user)
    with saving(*WRITTEN):
        services.endorsement_add(
            actor=user, output=output, **endorsement_fields(payload.model_dump())
        )
    return Status(201, _output(user, output.pk))


@router.delete(
    "/outputs/{output_id}/endorsements/{endorsement_id}",
    response={204: None, **ERRORS},
    summary="删除领导批示",
)
def endorsement_remove(request: HttpRequest, output_id: int, endorsement_id: int) -> Status[None]:
    user = user_of(request)
    output = _output(user, output_id)
    endorsement = access.get_for_user(user, Endorsement, pk=endorsement_id, output=output)
    services.endorsement_remove(actor=user, endorsement=endorsement)
    return Status(204, None)


@router.post(
    "/outputs/{output_id}/adoptions",
    response={201: OutputOut, **ERRORS},
    summary="记录成果被采用",
)
def adoption_add(request: HttpRequest, output_id: int, payload: AdoptionIn) -> Status[Output]:
    user = user_of(request)
    output = _output(user, output_id)
    check_writer(user)
    with saving(*WRITTEN):
        services.adoption_add(actor=user, output=output, **adoption_fields(payload.model_dump()))
    return Status(201, _output(user, output.pk))


@router.delete(
    "/outputs/{output_id}/adoptions/{adoption_id}",
    response={204: None, **ERRORS},
    summary="删除采用记录",
)
def adoption_remove(request: HttpRequest, output_id: int, adoption_id: int) -> Status[None]:
    user = user_of(request)
    output = _output(user, output_id)
    adoption = access.get_for_user(user, Adoption, pk=adoption_id, output=output)
    services.adoption_remove(actor=user, adoption=adoption)
    return Status(204, None)
