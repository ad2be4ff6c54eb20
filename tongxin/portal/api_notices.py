"""Portal API: the person's notices; reading one marks it read."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from tongxin.api.errors import ErrorOut
from tongxin.api.pagination import Paged

from . import selectors_notices as selectors
from . import services_notices as services
from .api_auth import account_of
from .models import NoticeRecipient

router = Router(tags=["门户：通知"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class PortalNoticeOut(Schema):
    id: int
    title: str
    body: str
    sender: str
    sent_at: dt.datetime
    read_at: dt.datetime | None
    unread: bool

    @staticmethod
    def resolve_id(obj: NoticeRecipient) -> int:
        return obj.notice_id

    @staticmethod
    def resolve_title(obj: NoticeRecipient) -> str:
        return obj.notice.title

    @staticmethod
    def resolve_body(obj: NoticeRecipient) -> str:
        return obj.notice.body

    @staticmethod
    def resolve_sender(obj: NoticeRecipient) -> str:
        return f"{obj.notice.region.name}统战部门"

    @staticmethod
    def resolve_sent_at(obj: NoticeRecipient) -> dt.datetime:
        return obj.notice.created_at

    @staticmethod
    def resolve_unread(obj: NoticeRecipient) -> bool:
        return obj.read_at is None


@router.get(
    "/notices",
    response={200: list[PortalNoticeOut], **ERRORS},
    summary="本人收到的通知（新的在前）",
)
@paginate(Paged)
def notice_list(request: HttpRequest) -> QuerySet[NoticeRecipient]:
    return selectors.portal_notices(account_of(request))


@router.get(
    "/notices/{notice_id}",
    response={200: PortalNoticeOut, **ERRORS},
    summary="一条通知（读取即标记为已读）",
)
def notice_detail(request: HttpRequest, notice_id: int) -> NoticeRecipient:
    recipient = selectors.portal_notice(account_of(request), notice_id)
    return services.notice_mark_read(recipient=recipient)
