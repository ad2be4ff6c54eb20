"""Portal API: joining an organization. The 联谊组织 and 服务团 the person may ask to join, their
applications, applying with a reason and withdrawing a pending application. Another person's
application is 404 like a missing one."""

# No ``from __future__ import annotations``: ninja evaluates the handlers' annotations.

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from tongxin.api.errors import ErrorOut
from tongxin.core import access

from . import rates
from . import selectors_joins as selectors
from . import services_joins as services
from .api_auth import account_of
from .models_requests import JoinApplication

router = Router(tags=["门户：加入组织"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class PortalOrganizationOut(Schema):
    id: int
    name: str
    org_type: str
    region: str
    is_member: bool
    pending_application: int | None


class PortalJoinOut(Schema):
    id: int
    organization_id: int
    organization: str
    reason: str
    status: str
    status_label: str
    submitted_at: dt.datetime
    reviewed_at: dt.datetime | None
    review_reason: str


class PortalJoinIn(Schema):
    organization_id: int
    reason: str


def _out(application: JoinApplication) -> dict[str, object]:
    return {
        "id": application.pk,
        "organization_id": application.organization_id,
        "organization": application.organization.name,
        "reason": application.reason,
        "status": application.status,
        "status_label": application.get_status_display(),
        "submitted_at": application.submitted_at,
        "reviewed_at": application.reviewed_at,
        "review_reason": application.review_reason,
    }


@router.get(
    "/organizations",
    response={200: list[PortalOrganizationOut], **ERRORS},
    summary="可申请加入的组织（所在地区及上级的联谊组织、服务团）",
)
def organization_list(request: HttpRequest) -> list[dict[str, object]]:
    return [
        {
            "id": c.organization.pk,
            "name": c.organization.name,
            "org_type": c.organization.org_type.name,
            "region": c.organization.region.name,
            "is_member": c.is_member,
            "pending_application": c.pending.pk if c.pending else None,
        }
        for c in selectors.organization_choices(account_of(request).person)
    ]


@router.get("/joins", response={200: list[PortalJoinOut], **ERRORS}, summary="我的入会申请")
def join_list(request: HttpRequest) -> list[dict[str, object]]:
    return [_out(a) for a in selectors.own_applications(account_of(request).person)]


@router.post(
    "/joins",
    response={201: PortalJoinOut, 429: ErrorOut, **ERRORS},
    summary="申请加入组织（每个组织同时只能有一份待审核的申请）",
)
def join_apply(request: HttpRequest, payload: PortalJoinIn) -> Status[dict[str, object]]:
    account = account_of(request)
    rates.limit(request, group="join", setting="PORTAL_RATE_SUBMIT", account=account)
    person = account.person
    organization = selectors.joinable_organizations(person).filter(pk=payload.organization_id)
    found = organization.first()
    if found is None:
        raise Http404(access.NOT_FOUND)
    application = services.join_apply(person=person, organization=found, reason=payload.reason)
    return Status(201, _out(application))


@router.get("/joins/{join_id}", response={200: PortalJoinOut, **ERRORS}, summary="一份入会申请")
def join_detail(request: HttpRequest, join_id: int) -> dict[str, object]:
    return _out(selectors.own_application(account_of(request).person, join_id))


@router.post(
    "/joins/{join_id}/withdraw",
    response={200: PortalJoinOut, 429: ErrorOut, **ERRORS},
    summary="撤回待审核的入会申请",
)
def join_withdraw(request: HttpRequest, join_id: int) -> dict[str, object]:
    account = account_of(request)
    application = selectors.own_application(account.person, join_id)
    rates.limit(request, group="join", setting="PORTAL_RATE_SUBMIT", account=account)
    return _out(services.join_withdraw(person=account.person, application=application))
