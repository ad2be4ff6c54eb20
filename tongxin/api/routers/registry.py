"""/persons, /organizations, /memberships, and /codes (the values their code fields accept).

Handlers only translate: JSON in (code-table names, region codes) to model values, a selector or a
service call, the record out. Scope comes from access.py through the selectors; permissions and
validation from the services. Every write runs in one transaction, so input refused halfway (an
unknown code after new tags were made) leaves nothing behind.
"""

# No ``from __future__ import annotations`` here: ninja's @paginate wrapper evaluates the handler's
# annotations in ninja's own namespace, where PersonQuery and friends are not defined.

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from tongxin.core import access, text
from tongxin.core.models import Region, User
from tongxin.registry import selectors, services
from tongxin.registry.models import (
    CodeItem,
    CodeKind,
    Designation,
    EnterpriseFigure,
    Membership,
    Organization,
    Person,
)

from .. import versions
from ..errors import CONFLICTS, ErrorOut
from ..pagination import Paged
from ..schemas_registry import (
    MEMBERSHIP_CONVERTERS,
    ORGANIZATION_CONVERTERS,
    ORGANIZATION_NOT_FOUND,
    PERSON_NOT_FOUND,
    UNKNOWN_KIND,
    UNKNOWN_SORT,
    CodeItemOut,
    DesignationOut,
    FigureOut,
    MembershipIn,
    MembershipOut,
    MembershipPatch,
    OrganizationIn,
    OrganizationOut,
    OrganizationPatch,
    PersonIn,
    PersonOut,
    PersonPatch,
    RevealOut,
    code_items,
    convert,
    filter_code,
    match_code,
    person_fields,
    writing,
)

router = Router(tags=["名册"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]


def _filter_region(user: User, code: str) -> Region | None:
    return access.get_for_user(user, Region, code=text.clean(code)) if text.clean(code) else None


# --- people -----------------------------------------------------------------------------------


class PersonQuery(Schema):
    q: str = Field(
        "", description="姓名、拼音或首字母（如 zr）、繁简体、工作单位、完整身份证号或手机号"
    )
    region: str = Field("", description="行政区划代码，含下辖区划")
    category: str = Field("", description="统战对象类别（中文名称或别名）")
    stratum_group: str = Field("", description="新阶类别（中文名称或别名）")
    organization: int | None = Field(None, description="所在组织 id")
    rep_level: str = Field("", description="代表人士级别（中文名称）")
    representative: bool | None = Field(None, description="是否代表人士")
    tag: str = Field("", description="标签")
    archived: bool = Field(False, description="true 只列已归档的记录")
    sort: str = Field("pinyin", description="、".join(selectors.PERSON_SORTS))


@router.get("/persons", response={200: list[PersonOut], **ERRORS}, summary="人员列表")
@paginate(Paged)
def person_list(request: HttpRequest, filters: Query[PersonQuery]) -> QuerySet[Person]:
    user = _user(request)
    if filters.sort not in selectors.PERSON_SORTS:
        options = "、".join(selectors.PERSON_SORTS)
        raise ValidationError(UNKNOWN_SORT.format(value=filters.sort, options=options))
    organization = None
    if filters.organization is not None:
        organization = access.get_for_user(user, Organization, pk=filters.organization)
    return selectors.person_list(
        user,
        selectors.PersonFilter(
            q=filters.q,
            region=_filter_region(user, filters.region),
            category=filter_code(CodeKind.CATEGORY, "category", filters.category),
            stratum_group=filter_code(
                CodeKind.STRATUM_GROUP, "stratum_group", filters.stratum_group
            ),
            organization=organization,
            rep_level=filter_code(CodeKind.REP_LEVEL, "rep_level", filters.rep_level),
            representative=filters.representative,
            tag=text.clean(filters.tag),
            archived=filters.archived,
            sort=filters.sort,
        ),
    )


@router.post("/persons", response={201: PersonOut, **ERRORS}, summary="新增人员")
def person_create(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    user = _user(request)
    with writing(Person):
        fields = person_fields(request, payload.model_dump())
        person = services.person_create(actor=user, **fields)
        return Status(201, selectors.person_detail(user, person.pk))


@router.get("/persons/{person_id}", response={200: PersonOut, **ERRORS}, summary="人员详情")
def person_detail(request: HttpRequest, person_id: int, response: HttpResponse) -> Person:
    person = selectors.person_detail(_user(request), person_id)
    versions.tagged(response, person)
    return person


@router.patch(
    "/persons/{person_id}",
    response={200: PersonOut, **ERRORS, **CONFLICTS},
    summary="修改人员",
    description=versions.PATCH_HELP,
)
def person_update(
    request: HttpRequest,
    person_id: int,
    response: HttpResponse,
    payload: PersonPatch | None = None,
) -> Person:
    user = _user(request)
    person = selectors.person_detail(user, person_id)
    data = payload.model_dump(exclude_unset=True) if payload is not None else {}
    expected = versions.expected_version(request, data.pop("version", None))
    archived = data.pop("archived", None)
    reason = data.pop("archive_reason", None) or ""
    archiving = bool(archived) and not person.is_archived
    restoring = archived is False and person.is_archived
    with writing(Person):
        fields = person_fields(request, data, person)
        if fields:
            services.person_update(actor=user, person=person, expected_version=expected, **fields)
            expected = None  # checked: an archive below goes on from the version just taken
        if archiving:
            services.person_archive(
                actor=user, person=person, reason=reason, expected_version=expected
            )
        elif restoring:
            services.person_restore(actor=user, person=person, expected_version=expected)
        elif not fields:  # an empty PATCH is still a write: read-only roles get 403
            access.require_write(user, *services.EDITORS)
        person = selectors.person_detail(user, person.pk)
    versions.tagged(response, person)
    return person


@router.post(
    "/persons/{person_id}/reveal",
    response={200: RevealOut, **ERRORS},
    summary="查看完整身份证号和手机号（记入审计日志）",
)
def person_reveal(request: HttpRequest, person_id: int) -> dict[str, str]:
    user = _user(request)
    person = selectors.person_detail(user, person_id)
    return services.person_reveal(actor=user, person=person)


# --- organizations ----------------------------------------------------------------------------


class OrganizationQuery(Schema):
    q: str = Field("", description="名称、简称、拼音或首字母")
    region: str = Field("", description="行政区划代码，含下辖区划")
    org_type: str = Field("", description="组织类型或细类（中文名称）")
    designation: str = Field("", description="命名称号（中文名称或别名）")
    archived: bool = Field(False, description="true 只列已归档的记录")


def _organization(user: User, organization_id: int) -> Organization:
    return access.get_for_user(
        user,
        Organization.objects.select_related("region", "org_type", "org_subtype"),
        pk=organization_id,
    )


@router.get("/organizations", response={200: list[OrganizationOut], **ERRORS}, summary="组织列表")
@paginate(Paged)
def organization_list(
    request: HttpRequest, filters: Query[OrganizationQuery]
) -> QuerySet[Organization]:
    user = _user(request)
    org_type = None
    if text.clean(filters.org_type):
        org_type = match_code(code_items(CodeKind.ORG_TYPE), filters.org_type) or filter_code(
            CodeKind.ORG_SUBTYPE, "org_type", filters.org_type
        )
    return selectors.organization_list(
        user,
        selectors.OrganizationFilter(
            q=filters.q,
            region=_filter_region(user, filters.region),
            org_type=org_type,
            designation_kind=filter_code(
                CodeKind.DESIGNATION_KIND, "designation", filters.designation
            ),
            archived=filters.archived,
        ),
    )


@router.post("/organizations", response={201: OrganizationOut, **ERRORS}, summary="新增组织")
def organization_create(request: HttpRequest, payload: OrganizationIn) -> Status[Organization]:
    user = _user(request)
    with writing(Organization):
        fields = convert(payload.model_dump(), ORGANIZATION_CONVERTERS)
        organization = services.organization_create(actor=user, **fields)
        return Status(201, _organization(user, organization.pk))


@router.get(
    "/organizations/{organization_id}",
    response={200: OrganizationOut, **ERRORS},
    summary="组织详情",
)
def organization_detail(
    request: HttpRequest, organization_id: int, response: HttpResponse
) -> Organization:
    organization = _organization(_user(request), organization_id)
    versions.tagged(response, organization)
    return organization


@router.patch(
    "/organizations/{organization_id}",
    response={200: OrganizationOut, **ERRORS, **CONFLICTS},
    summary="修改组织",
    description=versions.PATCH_HELP,
)
def organization_update(
    request: HttpRequest,
    organization_id: int,
    response: HttpResponse,
    payload: OrganizationPatch | None = None,
) -> Organization:
    user = _user(request)
    organization = _organization(user, organization_id)
    data = payload.model_dump(exclude_unset=True) if payload is not None else {}
    expected = versions.expected_version(request, data.pop("version", None))
    archived = data.pop("archived", None)
    reason = data.pop("archive_reason", None) or ""
    archiving = bool(archived) and not organization.is_archived
    with writing(Organization):
        fields = convert(data, ORGANIZATION_CONVERTERS)
        if archived is False and organization.is_archived:
            fields.update(archived_at=None, archive_reason="")
        if fields:
            services.organization_update(
                actor=user, organization=organization, expected_version=expected, **fields
            )
            expected = None  # checked: an archive below goes on from the version just taken
        if archiving:
            services.organization_archive(
                actor=user, organization=organization, reason=reason, expected_version=expected
            )
        elif not fields:  # an empty PATCH is still a write: read-only roles get 403
            access.require_write(user, *services.EDITORS)
        organization = _organization(user, organization.pk)
    versions.tagged(response, organization)
    return organization


@router.get(
    "/organizations/{organization_id}/figures",
    response={200: list[FigureOut], **ERRORS},
    summary="企业年度数据（金额单位：万元）",
)
@paginate(Paged)
def organization_figures(request: HttpRequest, organization_id: int) -> QuerySet[EnterpriseFigure]:
    user = _user(request)
    organization = _organization(user, organization_id)
    return access.scope(user, organization.figures.order_by("-year"))


@router.get(
    "/organizations/{organization_id}/designations",
    response={200: list[DesignationOut], **ERRORS},
    summary="命名称号",
)
@paginate(Paged)
def organization_designations(request: HttpRequest, organization_id: int) -> QuerySet[Designation]:
    user = _user(request)
    organization = _organization(user, organization_id)
    return access.scope(
        user, organization.designations.select_related("kind").order_by("-designated_on", "id")
    )


# --- memberships ------------------------------------------------------------------------------


def _membership(user: User, membership_id: int) -> Membership:
    return access.get_for_user(
        user, Membership.objects.select_related("person", "organization"), pk=membership_id
    )


def _visible(user: User, model: type[Person] | type[Organization], pk: int, message: str) -> Any:
    found = access.scope(user, model.objects.filter(pk=pk)).first()
    if found is None:
        raise ValidationError(message.format(value=pk))
    return found


@router.get("/memberships", response={200: list[MembershipOut], **ERRORS}, summary="组织成员")
@paginate(Paged)
def membership_list(
    request: HttpRequest,
    person: int | None = Query(None, description="人员 id"),
    organization: int | None = Query(None, description="组织 id"),
) -> QuerySet[Membership]:
    qs = access.scope(_user(request), Membership.objects.select_related("person", "organization"))
    if person is not None:
        qs = qs.filter(person_id=person)
    if organization is not None:
        qs = qs.filter(organization_id=organization)
    return qs.order_by("organization__name_pinyin", "-term_start", "id")


@router.post("/memberships", response={201: MembershipOut, **ERRORS}, summary="新增组织成员")
def membership_create(request: HttpRequest, payload: MembershipIn) -> Status[Membership]:
    user = _user(request)
    data = payload.model_dump()
    with writing(Membership):
        errors = {}
        try:
            person = _visible(user, Person, data.pop("person"), PERSON_NOT_FOUND)
        except ValidationError as exc:
            errors["person"] = exc.messages
        try:
            organization = _visible(
                user, Organization, data.pop("organization"), ORGANIZATION_NOT_FOUND
            )
        except ValidationError as exc:
            errors["organization"] = exc.messages
        if errors:
            raise ValidationError(errors)
        fields = convert(data, MEMBERSHIP_CONVERTERS)
        membership = services.membership_add(
            actor=user, person=person, organization=organization, **fields
        )
        return Status(201, _membership(user, membership.pk))


@router.get(
    "/memberships/{membership_id}", response={200: MembershipOut, **ERRORS}, summary="成员详情"
)
def membership_detail(
    request: HttpRequest, membership_id: int, response: HttpResponse
) -> Membership:
    membership = _membership(_user(request), membership_id)
    versions.tagged(response, membership)
    return membership


@router.patch(
    "/memberships/{membership_id}",
    response={200: MembershipOut, **ERRORS, **CONFLICTS},
    summary="修改成员",
    description=versions.PATCH_HELP,
)
def membership_update(
    request: HttpRequest,
    membership_id: int,
    response: HttpResponse,
    payload: MembershipPatch | None = None,
) -> Membership:
    user = _user(request)
    membership = _membership(user, membership_id)
    data = payload.model_dump(exclude_unset=True) if payload is not None else {}
    expected = versions.expected_version(request, data.pop("version", None))
    with writing(Membership):
        fields = convert(data, MEMBERSHIP_CONVERTERS)
        if fields:
            services.membership_update(
                actor=user, membership=membership, expected_version=expected, **fields
            )
        else:  # an empty PATCH is still a write: read-only roles get 403
            access.require_write(user, *services.EDITORS)
        membership = _membership(user, membership.pk)
    versions.tagged(response, membership)
    return membership


# --- code tables ------------------------------------------------------------------------------


@router.get("/codes", response={200: list[CodeItemOut], **ERRORS}, summary="代码表（在用的值）")
@paginate(Paged)
def code_list(
    request: HttpRequest,
    kind: str = Query("", description="、".join(CodeKind.values)),
    q: str = Query("", description="名称或别名中的文字"),
) -> QuerySet[CodeItem]:
    qs = access.scope(_user(request), CodeItem.objects.filter(is_active=True))
    if kind:
        if kind not in CodeKind.values:
            options = "、".join(CodeKind.values)
            raise ValidationError(UNKNOWN_KIND.format(value=kind, options=options))
        qs = qs.filter(kind=kind)
    if text.clean(q):
        wanted = text.t2s(text.clean(q))
        qs = qs.filter(models.Q(name__contains=wanted) | models.Q(aliases__contains=wanted))
    return qs.select_related("parent").order_by("kind", "order", "id")
