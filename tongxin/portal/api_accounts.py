"""Portal API: a token for a phone number and password, the account itself, consent."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from tongxin.api.errors import ErrorOut
from tongxin.core.ids import mask_phone

from . import rates
from . import services_accounts as svc
from .api_auth import account_of

router = Router(tags=["门户：账号"])


class PortalTokenIn(Schema):
    phone: str
    password: str


class PortalTokenOut(Schema):
    token: str
    expires_in_days: int


class PortalMeOut(Schema):
    name: str
    phone: str
    region: str
    privacy_version: str
    privacy_accepted: bool


class PortalConsentIn(Schema):
    version: str


@router.post(
    "/auth/token",
    auth=None,
    response={200: PortalTokenOut, 401: ErrorOut, 429: ErrorOut},
    summary="用手机号和密码换取门户令牌",
)
def token(request: HttpRequest, payload: PortalTokenIn) -> dict[str, object]:
    rates.limit(
        request,
        group="login",
        setting="PORTAL_RATE_LOGIN",
        subject=rates.phone_subject(payload.phone),
    )
    try:
        account = svc.account_authenticate(phone=payload.phone, password=payload.password)
    except ValidationError as e:
        raise HttpError(401, e.messages[0]) from e
    from django.conf import settings

    return {
        "token": svc.portal_token_create(account=account),
        "expires_in_days": settings.PORTAL_TOKEN_DAYS,
    }


@router.post("/auth/logout", response={204: None}, summary="吊销当前门户令牌")
def logout(request: HttpRequest) -> Status[None]:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[:7].lower() == "bearer ":
        svc.portal_token_revoke(raw=header[7:].strip())
    return Status(204, None)


@router.get("/me", response=PortalMeOut, summary="本人账号")
def me(request: HttpRequest) -> dict[str, object]:
    account = account_of(request)
    return {
        "name": account.person.name,
        "phone": mask_phone(account.phone),
        "region": account.person.region.name,
        "privacy_version": svc.current_privacy_version(),
        "privacy_accepted": svc.has_current_consent(account),
    }


@router.post(
    "/consent",
    response={204: None, 429: ErrorOut},
    summary="同意当前版本的个人信息保护声明",
)
def consent(request: HttpRequest, payload: PortalConsentIn) -> Status[None]:
    account = account_of(request)
    rates.limit(request, group="consent", setting="PORTAL_RATE_SUBMIT", account=account)
    try:
        svc.consent_record(
            account=account,
            version=payload.version,
            ip=rates.client_ip(request),
            user_agent=str(request.META.get("HTTP_USER_AGENT", "")),
        )
    except ValidationError as e:
        raise HttpError(422, svc.CONSENT_REQUIRED) from e
    return Status(204, None)
