"""Template context of portal pages: the person's account and their unread notices."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .realm import current_account, is_portal_path


def portal(request: HttpRequest) -> dict[str, Any]:
    if not request.path.startswith("/portal/"):
        return {}
    account = current_account(request)
    if account is None:
        return {}
    from .models import NoticeRecipient

    unread = NoticeRecipient.objects.filter(person_id=account.person_id, read_at__isnull=True)
    return {"portal_account": account, "portal_unread": unread.count()}


__all__ = ["is_portal_path", "portal"]
