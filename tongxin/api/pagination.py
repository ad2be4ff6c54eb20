"""Pages as {"items": [...], "count": N, "page": P, "page_size": S}."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase


class Paged(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, description="页码，从1开始")
        page_size: int = Field(20, ge=1, le=settings.API_PAGE_SIZE_MAX, description="每页条数")

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> Any:
        offset = (pagination.page - 1) * pagination.page_size
        count = self._items_count(queryset)
        # A page past the end is empty without asking: an offset past 2**63 (page=10**30) is
        # more than the database's integers hold.
        items = list(queryset[offset : offset + pagination.page_size]) if offset < count else []
        return {
            "items": items,
            "count": count,
            "page": pagination.page,
            "page_size": pagination.page_size,
        }
