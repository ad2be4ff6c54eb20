"""One JSON shape for every API error: {"detail": "中文说明", "code": "..."}."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from tongxin.core.access import NOT_FOUND, ROLE_FORBIDDEN
from tongxin.core.versioning import EditConflict

from .versions import conflict_status

logger = logging.getLogger(__name__)

NOT_AUTHENTICATED = (
    "未登录或令牌无效。请先登录，或在请求头加入“Authorization: Bearer 令牌”；"
    "令牌可在“API 令牌”页面或用 python manage.py token 用户名 生成。"
)
INVALID_INPUT = "请求参数有误，请按 details 中的说明修改后重试。"
UNPARSABLE_BODY = "请求体不是有效的 JSON：请以 Content-Type: application/json 发送 JSON 对象。"
UNPARSABLE_FORM = (
    "请求体不是有效的表单：上传文件请以 Content-Type: multipart/form-data 发送，"
    "JSON 请以 Content-Type: application/json 发送。"
)
UNSTORABLE_VALUE = (
    "请求中有数据库无法处理的值（如空字符 \\u0000，或超出范围的数字）。请删除或改正后重试。"
)
SERVER_ERROR = "系统处理请求时出错，操作未生效。请稍后重试；如仍出错，请联系系统管理员。"


class ErrorOut(Schema):
    detail: str
    code: str


ERROR_REF = "#/components/schemas/ErrorOut"


# What a PATCH answers when the record changed since the client read it (versions.py).
CONFLICTS: dict[int, type[Schema]] = {409: ErrorOut, 412: ErrorOut}


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

    @api.exception_handler(EditConflict)
    def _conflict(request: HttpRequest, exc: EditConflict) -> HttpResponse:
        # 412 when the client asked with If-Match, 409 for a body version (versions.py).
        return error(api, request, conflict_status(request), exc.messages[0], "edit_conflict")

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = str(exc)
        if message.startswith("Cannot parse request body"):
            return error(api, request, 400, UNPARSABLE_BODY, "invalid")
        return error(api, request, exc.status_code, message, "error")

    @api.exception_handler(DataError)
    def _unstorable(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The database refusing a value the client sent (PostgreSQL refuses NUL in any text,
        # a filter's included), before or instead of anything being written.
        logger.warning("API refused a value on %s: %s", request.path, exc)
        return error(api, request, 422, UNSTORABLE_VALUE, "invalid")

    @api.exception_handler(MultiPartParserError)
    def _unparsable_form(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A body declared multipart/form-data that is not (no boundary, JSON sent as a form).
        return error(api, request, 400, UNPARSABLE_FORM, "invalid")

    @api.exception_handler(Exception)
    def _crash(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s", request.path)
        return error(api, request, 500, SERVER_ERROR, "server_error")


def document_common_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add to every operation of the OpenAPI document the errors the handlers above give any
    request, whatever the operation declares: 400 for a body that cannot be parsed, 422 for
    parameters or a body that fail validation."""
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            shape = {"content": {"application/json": {"schema": {"$ref": ERROR_REF}}}}
            if "requestBody" in operation:
                responses.setdefault(400, {"description": "Bad Request", **shape})
            if "requestBody" in operation or operation.get("parameters"):
                responses.setdefault(422, {"description": "Unprocessable Content", **shape})
    return schema
