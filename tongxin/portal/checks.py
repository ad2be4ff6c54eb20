"""System checks: a misnamed SMS backend fails at start, not when the first code is sent."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string


@register()
def sms_backend_importable(app_configs: Any, **kwargs: Any) -> list[Error]:
    try:
        backend = import_string(settings.PORTAL_SMS_BACKEND)
    except ImportError:
        backend = None
    if backend is None or not callable(getattr(backend, "send", None)):
        return [
            Error(
                f"TONGXIN_SMS_BACKEND={settings.PORTAL_SMS_BACKEND!r} 无效："
                "请填写一个有 send(phone, text) 方法的类的完整路径，"
                "如 tongxin.portal.messaging.ConsoleSMSBackend。",
                id="tongxin.portal.E001",
            )
        ]
    return []
