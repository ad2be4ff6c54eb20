"""One JSON shape for every API error: {"detail": "中文说明", "code": "..."}."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from tongxin.core.access import NOT_FOUND, ROLE_FORBIDDEN

logger = logging.getLogger(__name__)

NOT_AUTHENTICATED = (
    "未登录或令牌无效。请先登录，或在请求头加入“Authorization: Bearer 令牌”；"
    "令牌可在“API 令牌”页面或用 python manage.py token 用户名 生成。"
)
INVALID_INPUT = "请求参数有误，请按 details 中的说明修改后重试。"
UNPARSABLE_BODY = "请求体不是有效的 JSON：请以 Content-Type: application/json 发送 JSON 对象。"
SERVER_ERROR = "系统处理请求时出错，操作未生效。请稍后重试；如仍出错，请联系系统管理员。"


class ErrorOut(Schema):
    detail: str
    code: str


def error(
    api: NinjaAPI, request: HttpRequest, status: int, detail: str, code: str, **extra: Any
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


def install(api: NinjaAPI) -> None:
    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        response = error(api, request, 401, NOT_AUTHENTICATED, "not_authenticated")
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error(api, request, 403, str(exc) or ROLE_FORBIDDEN, "forbidden")

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error(api, request, 404, NOT_FOUND, "not_found")

    @api.exception_handler(NinjaValidationError)
    def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        details = [
            {"loc": [str(p) for p in e.get("loc", [])], "msg": str(e.get("msg", ""))}
            for e in exc.errors
        ]
        return error(api, request, 422, INVALID_INPUT, "invalid", details=details)

    @api.exception_handler(DjangoValidationError)
    def _model_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return error(api, request, 422, "；".join(exc.messages), "invalid")

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = str(exc)
        if message.startswith("Cannot parse request body"):
            return error(api, request, 400, UNPARSABLE_BODY, "invalid")
        return error(api, request, exc.status_code, message, "error")

    @api.exception_handler(Exception)
    def _crash(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s", request.path)
        return error(api, request, 500, SERVER_ERROR, "server_error")
