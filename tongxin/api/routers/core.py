"""/me, regions and units."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from tongxin.core import access, selectors
from tongxin.core.models import Region, Unit, User

from ..errors import ErrorOut
from ..pagination import Paged

router = Router(tags=["基础"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class MeOut(Schema):
    username: str
    name: str
    role: str
    role_label: str
    region: str
    region_codes: list[str]
    lines: list[str]
    unit: str | None
    scope: str


class RegionOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    parent_code: str | None
    depth: int

    @staticmethod
    def resolve_kind_label(obj: Region) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent.code if obj.parent else None


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    region_code: str
    region_name: str
    is_active: bool

    @staticmethod
    def resolve_kind_label(obj: Unit) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_region_code(obj: Unit) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: Unit) -> str:
        return obj.region.name


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]


@router.get("/me", response={200: MeOut, **ERRORS}, summary="当前用户及其权限范围")
def me(request: HttpRequest) -> MeOut:
    user = _user(request)
    return MeOut(
        username=user.username,
        name=user.name,
        role=user.role,
        role_label=user.get_role_display(),
        region=user.region.code,
        region_codes=list(
            access.scope(user, Region.objects.order_by("path")).values_list("code", flat=True)
        ),
        lines=[line.name for line in user.lines.all()],
        unit=user.unit.name if user.unit else None,
        scope=access.scope_label(user),
    )


@router.get("/regions", response={200: list[RegionOut], **ERRORS}, summary="行政区划列表")
@paginate(Paged)
def region_list(request: HttpRequest, q: str = "") -> object:
    return selectors.region_list(_user(request), q=q.strip())


@router.get("/regions/{code}", response={200: RegionOut, **ERRORS}, summary="行政区划详情")
def region_detail(request: HttpRequest, code: str) -> Region:
    return access.get_for_user(_user(request), Region.objects.select_related("parent"), code=code)


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="单位列表")
@paginate(Paged)
def unit_list(request: HttpRequest, q: str = "", region: str = "", kind: str = "") -> object:
    user = _user(request)
    scope_region = None
    if region:
        scope_region = access.get_for_user(user, Region, code=region)
    return selectors.unit_list(user, q=q.strip(), region=scope_region, kind=kind)


@router.get("/units/{unit_id}", response={200: UnitOut, **ERRORS}, summary="单位详情")
def unit_detail(request: HttpRequest, unit_id: int) -> Unit:
    return access.get_for_user(_user(request), Unit.objects.select_related("region"), pk=unit_id)
