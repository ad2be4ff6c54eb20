"""Portal API: the person's own record, their change and correction requests (file, list, read,
withdraw) and the download of everything kept about them. Another person's request is 404 like a
missing one; staff tokens and sessions get nothing here (the portal API's own auth)."""

# No ``from __future__ import annotations``: ninja evaluates the handlers' annotations.

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from ninja import Router, Schema, Status

from tongxin.api.errors import ErrorOut

from . import rates
from . import selectors_profile as selectors
from . import services_profile as services
from .api_auth import account_of
from .models import ProfileRequest, ProfileRequestKind

router = Router(tags=["门户：我的信息"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
RATE_GROUP = "profile"
SEND_HELP = (
    "kind=change：在 changes 中给出要改的项（employer 工作单位、position 职务、title 职称、"
    "phone 手机号码、education 学历代码项编号、honour 新增荣誉 {title, year, level, issuer}），"
    "未给出的项不变；与现有信息相同的申报会被拒绝；同一时间只能有一份待审核的变更申报。"
    "kind=correction：在 text 中写明哪项信息有误、正确内容是什么。"
    "每个账号每小时提交次数有限制，超过返回 429。"
)


class PortalHonourOut(Schema):
    title: str
    year: int | None
    level: str
    issuer: str


class PortalMembershipOut(Schema):
    organization: str
    role: str
    term_start: dt.date | None
    term_end: dt.date | None


class PortalArrangementOut(Schema):
    kind: str
    level: str
    term: str
    role: str
    start_year: int | None
    end_year: int | None


class PortalProfileOut(Schema):
    name: str
    email: str  # the portal account's, where notices with email go
    gender: str
    birth_date: dt.date | None
    phone: str  # masked
    employer: str
    position: str
    title: str
    education: str
    education_id: int | None
    political_status: str
    region: str
    categories: list[str]
    honours: list[PortalHonourOut]
    memberships: list[PortalMembershipOut]
    political_arrangements: list[PortalArrangementOut]


class PortalChangeRowOut(Schema):
    field: str
    label: str
    before: str
    after: str


class PortalRequestOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    submitted_at: dt.datetime
    changes: list[PortalChangeRowOut]
    note: str
    reviewed_at: dt.datetime | None
    review_reason: str


class PortalHonourIn(Schema):
    title: str = ""
    year: int | None = None
    level: str = ""
    issuer: str = ""


class PortalChangesIn(Schema):
    employer: str | None = None
    position: str | None = None
    title: str | None = None
    phone: str | None = None
    education: int | None = None
    honour: PortalHonourIn | None = None


class PortalRequestIn(Schema):
    kind: Literal["change", "correction"] = "change"
    changes: PortalChangesIn = PortalChangesIn()
    note: str = ""
    text: str = ""


def _request_out(r: ProfileRequest) -> dict[str, Any]:
    status_label = (
        "已处理"
        if r.kind == ProfileRequestKind.CORRECTION and r.status == "approved"
        else r.get_status_display()
    )
    return {
        "id": r.pk,
        "kind": r.kind,
        "kind_label": r.get_kind_display(),
        "status": r.status,
        "status_label": status_label,
        "submitted_at": r.submitted_at,
        "changes": [
            {"field": row.field, "label": row.label, "before": row.before, "after": row.after}
            for row in selectors.change_rows(r)
        ],
        "note": r.note,
        "reviewed_at": r.reviewed_at,
        "review_reason": r.review_reason,
    }


@router.get("/profile", response={200: PortalProfileOut, **ERRORS}, summary="本人信息")
def profile(request: HttpRequest) -> dict[str, Any]:
    account = account_of(request)
    person = selectors.own_person(account)
    return {
        "name": person.name,
        "email": account.email,
        "gender": person.get_gender_display(),
        "birth_date": person.birth_date,
        "phone": person.phone_masked,
        "employer": person.employer,
        "position": person.position,
        "title": person.title,
        "education": person.education.name if person.education else "",
        "education_id": person.education_id,
        "political_status": person.political_status.name if person.political_status else "",
        "region": person.region.name,
        "categories": [c.name for c in person.categories.all()],
        "honours": [
            {"title": h.title, "year": h.year, "level": h.get_level_display(), "issuer": h.issuer}
            for h in person.honours.all()
        ],
        "memberships": [
            {
                "organization": m.organization.name,
                "role": m.role,
                "term_start": m.term_start,
                "term_end": m.term_end,
            }
            for m in person.memberships.all()
        ],
        "political_arrangements": [
            {
                "kind": a.kind.name,
                "level": a.get_level_display(),
                "term": a.term,
                "role": a.role,
                "start_year": a.start_year,
                "end_year": a.end_year,
            }
            for a in person.arrangements.all()
        ],
    }


class PortalEmailIn(Schema):
    email: str = ""


class PortalEmailOut(Schema):
    email: str


@router.post(
    "/profile/email",
    response={200: PortalEmailOut, 429: ErrorOut, **ERRORS},
    summary="设置接收通知的电子邮箱",
    description=(
        "email 为空表示清除。带邮件的通知会发到这个邮箱；格式不正确返回 422。"
        "每个账号每小时提交次数有限制，超过返回 429。"
    ),
)
def email_set(request: HttpRequest, payload: PortalEmailIn) -> dict[str, str]:
    account = account_of(request)
    rates.limit(request, group=RATE_GROUP, setting="PORTAL_RATE_SUBMIT", account=account)
    saved = services.account_set_email(account=account, email=payload.email)
    return {"email": saved.email}


@router.get(
    "/profile/requests", response={200: list[PortalRequestOut], **ERRORS}, summary="我的申报"
)
def request_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_request_out(r) for r in selectors.own_requests(account_of(request))]


@router.post(
    "/profile/requests",
    response={201: PortalRequestOut, 429: ErrorOut, **ERRORS},
    summary="申报信息变更或申请更正",
    description=SEND_HELP,
)
def request_create(request: HttpRequest, payload: PortalRequestIn) -> Status:
    account = account_of(request)
    rates.limit(request, group=RATE_GROUP, setting="PORTAL_RATE_SUBMIT", account=account)
    if payload.kind == ProfileRequestKind.CORRECTION:
        created = services.correction_submit(account=account, text=payload.text or payload.note)
    else:
        proposal = payload.changes.model_dump(exclude_unset=True)
        created = services.change_submit(account=account, proposal=proposal, note=payload.note)
    return Status(201, _request_out(created))


@router.get(
    "/profile/requests/{request_id}", response={200: PortalRequestOut, **ERRORS}, summary="一份申报"
)
def request_detail(request: HttpRequest, request_id: int) -> dict[str, Any]:
    return _request_out(selectors.own_request(account_of(request), request_id))


@router.post(
    "/profile/requests/{request_id}/withdraw",
    response={200: PortalRequestOut, 429: ErrorOut, **ERRORS},
    summary="撤回待审核的申报",
)
def request_withdraw(request: HttpRequest, request_id: int) -> dict[str, Any]:
    account = account_of(request)
    rates.limit(request, group=RATE_GROUP, setting="PORTAL_RATE_SUBMIT", account=account)
    return _request_out(services.request_withdraw(account=account, request_id=request_id))


@router.get(
    "/profile/export",
    response={200: None, 429: ErrorOut, **ERRORS},
    summary="下载本人信息",
    description="format=json（默认）或 xlsx。下载会记入审计日志。",
)
def export(request: HttpRequest, format: Literal["json", "xlsx"] = "json") -> HttpResponse:
    account = account_of(request)
    rates.limit(request, group="profile_export", setting="PORTAL_RATE_SUBMIT", account=account)
    download = services.own_data_export(account=account, fmt=format)
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = content_disposition_header(True, download.name)
    return response
