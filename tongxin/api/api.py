"""The typed JSON API at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import errors
from .auth import AUTH
from .routers import core, governance, indicators, metrics, registry, summaries, transfer, work


class ChineseJSONRenderer(JSONRenderer):
    # UTF-8 as it is, not \uXXXX escapes: readable in curl and logs, and a third smaller.
    json_dumps_params = {"ensure_ascii": False}


class TongxinAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        # The errors every operation can answer (errors.py), documented in one place.
        return errors.document_common_errors(super().get_openapi_schema(**kwargs))


api = TongxinAPI(
    renderer=ChineseJSONRenderer(),
    title="同心 API",
    version="1",
    description=(
        "同心统战工作平台接口。认证：请求头 Authorization: Bearer 令牌，或浏览器登录会话。"
        '所有数据按用户权限范围返回；错误统一为 {"detail": "中文说明", "code": "…"}。'
    ),
    auth=AUTH,
    urls_namespace="api",
    docs_decorator=login_required,
)
errors.install(api)
api.add_router("", core.router)
api.add_router("", registry.router)
api.add_router("", transfer.router)
api.add_router("", work.router)
api.add_router("", governance.router)
api.add_router("", indicators.router)
api.add_router("", metrics.router)
api.add_router("", summaries.router)
