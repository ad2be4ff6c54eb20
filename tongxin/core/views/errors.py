"""Error pages in Chinese that say what to do next."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..access import NOT_FOUND, ROLE_FORBIDDEN


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ROLE_FORBIDDEN
    return render(
        request,
        "errors/error.html",
        {"code": 403, "title": "无权操作", "message": message},
        status=403,
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "errors/error.html",
        {"code": 404, "title": "页面或记录不存在", "message": NOT_FOUND},
        status=404,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "errors/error.html",
        {
            "code": 500,
            "title": "系统出错",
            "message": "系统处理请求时出错，操作未生效。请稍后重试；如仍出错，请联系系统管理员。",
        },
        status=500,
    )
