"""The portal's JSON API at /api/v1/portal/: its own auth (portal tokens txp_…, or the portal
session with CSRF), its own OpenAPI document; staff credentials get nothing here."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from tongxin.api import errors
from tongxin.api.api import ChineseJSONRenderer

from . import api_accounts, api_activities, api_joins, api_notices, api_opinions, api_profile
from .models import PortalAccount
from .rates import RATE_LIMITED, RateLimited
from .realm import current_account, set_account
from .services_accounts import has_current_consent, portal_token_authenticate

CONSENT_FREE = ("/me", "/consent", "/auth/logout")


def _with_consent(request: HttpRequest, account: PortalAccount | None) -> PortalAccount | None:
    """No data before consent (PIPL): until the person accepts the current privacy notice, only
    their account summary, the consent itself and logout answer."""
    if account is None:
        return None
    if not request.path.endswith(CONSENT_FREE) and not has_current_consent(account):
        raise HttpError(403, CONSENT_NEEDED)
    return account


class PortalBearer(HttpBearer):
    openapi_description = (
        "门户令牌：Authorization: Bearer txp_…（POST /api/v1/portal/auth/token 获取）"
    )

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        account = portal_token_authenticate(token)
        if account is None:
            return None
        set_account(request, account)
        return _with_consent(request, account)


class PortalSession(APIKeyCookie):
    """The browser's portal session (writes need the CSRF token, as on the portal pages)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return _with_consent(request, current_account(request))


CONSENT_NEEDED = "请先阅读并同意当前版本的《个人信息保护声明》（POST /api/v1/portal/consent）。"
PORTAL_AUTH = [PortalBearer(), PortalSession()]


class PortalAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return errors.document_common_errors(super().get_openapi_schema(**kwargs))


portal_api = PortalAPI(
    renderer=ChineseJSONRenderer(),
    title="同心 个人门户 API",
    version="1",
    description="".join(
        [
            "统战对象本人使用的接口：只返回本人的数据。",
            "认证：POST /auth/token 用手机号和密码换取门户令牌（Authorization: Bearer txp_…），",
            "或门户登录会话。工作人员的令牌和会话在此无效。",
        ]
    ),
    auth=PORTAL_AUTH,
    urls_namespace="portal_api",
)
errors.install(portal_api)


@portal_api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: Exception) -> Any:
    return errors.error(portal_api, request, 429, RATE_LIMITED, "rate_limited")


portal_api.add_router("", api_accounts.router)
portal_api.add_router("", api_profile.router)
portal_api.add_router("", api_opinions.router)
portal_api.add_router("", api_joins.router)
portal_api.add_router("", api_activities.router)
portal_api.add_router("", api_notices.router)

__all__ = ["PORTAL_AUTH", "has_current_consent", "portal_api"]
