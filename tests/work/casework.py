"""Helpers of the visit and case page tests: records made through the services as a 旌阳 district
user would, and pages read through the test client."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from tongxin.core.models import Unit, User
from tongxin.work import services
from tongxin.work.models import Case, CaseStatus, OpinionKind, Visit, VisitMethod

from ..conftest import Cast

TODAY = timezone.localdate()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def justice() -> Unit:
    return Unit.objects.get(short_name="市司法局")


def justice_liaison(cast: Cast) -> User:
    """The cast's liaison, moved to 市司法局 (the unit the journey assigns to)."""
    cast.liaison.unit = justice()
    cast.liaison.save()
    return cast.liaison


def visit(cast: Cast, *, text: str = "企业融资难，希望协调银行授信。", **fields: Any) -> Visit:
    fields.setdefault("person", cast.records.person)
    return services.visit_record(
        actor=cast.jingyang,
        visited_on=fields.pop("visited_on", TODAY),
        method=fields.pop("method", VisitMethod.ON_SITE),
        region=fields.pop("region", cast.jingyang_region),
        visitors="王志强",
        opinions=[(OpinionKind.DIFFICULTY, text)],
        **fields,
    )


def new_case(cast: Cast, title: str = "旌阳企业融资诉求", **fields: Any) -> Case:
    return services.case_create(
        actor=cast.jingyang,
        title=title,
        text_=fields.pop("text_", "企业融资难。"),
        source=fields.pop("source", "walk_in"),
        region=fields.pop("region", cast.jingyang_region),
        **fields,
    )


def assigned(cast: Cast, case: Case | None = None, *, deadline: dt.date | None = None) -> Case:
    return services.case_transition(
        case=case or new_case(cast),
        to_status=CaseStatus.ASSIGNED,
        actor=cast.jingyang,
        units=[justice()],
        deadline=deadline or days(10),
    )


def started(cast: Cast, case: Case, by: User) -> Case:
    return services.case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=by)


def set_deadline(case: Case, deadline: dt.date) -> None:
    """Past deadlines cannot be given through the services: tests move them directly."""
    Case.objects.filter(pk=case.pk).update(deadline=deadline)


def page(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def act(client: Client, case: Case, action: str, **fields: Any) -> Any:
    """POST one action of the case page, its fields prefixed as the page's forms are."""
    data = {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(f"/cases/{case.pk}/act/", data, follow=True)


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]
