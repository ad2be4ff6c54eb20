"""Reads of 本人申报: the person's own record and requests (portal), and the staff queue within
the staff user's scope (the download is profile_export.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from tongxin.core import access
from tongxin.core.models import User
from tongxin.registry.models import Membership, Person

from .models import PortalAccount, ProfileRequest, ReviewStatus

# The fields a person may propose (services_profile), in the order every table shows them.
FIELD_LABELS = {
    "employer": "工作单位",
    "position": "职务",
    "title": "职称",
    "phone": "手机号码",
    "education": "学历",
    "honour": "新增荣誉",
}


# --- the person's own -----------------------------------------------------------------------------


def own_person(account: PortalAccount) -> Person:
    """The account's person with everything the profile page shows, in a fixed number of queries."""
    return (
        Person.objects.select_related(
            "region", "education", "political_status", "ethnicity", "religion", "stratum_group"
        )
        .prefetch_related(
            "categories",
            "honours",
            "arrangements__kind",
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("organization").order_by(
                    "-term_start", "id"
                ),
            ),
        )
        .get(pk=account.person_id)
    )


def own_requests(account: PortalAccount) -> QuerySet[ProfileRequest]:
    return ProfileRequest.objects.filter(person_id=account.person_id).select_related("reviewed_by")


def own_request(account: PortalAccount, request_id: int) -> ProfileRequest:
    """The account's own request; another person's (or none) is 404 alike."""
    return _get(own_requests(account), request_id)


def has_pending_change(account: PortalAccount) -> ProfileRequest | None:
    return own_requests(account).filter(kind="change", status=ReviewStatus.PENDING).first()


# --- how a request reads --------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    field: str
    label: str
    before: str
    after: str
    current: str


def _value(name: str, value: Any) -> str:
    if value in (None, "", {}):
        return ""
    if name == "phone":
        return str(value.get("masked", ""))
    if name == "education":
        return str(value.get("name", ""))
    if name == "honour":
        parts = [value.get("title", "")]
        extra = "，".join(
            str(p)
            for p in (
                f"{value['year']}年" if value.get("year") else "",
                value.get("level_label", ""),
                value.get("issuer", ""),
            )
            if p
        )
        return f"{parts[0]}（{extra}）" if extra else str(parts[0])
    return str(value)


def _current(person: Person, name: str) -> str:
    if name == "phone":
        return person.phone_masked
    if name == "education":
        return person.education.name if person.education else ""
    if name == "honour":
        return ""
    return str(getattr(person, name) or "")


def change_rows(profile_request: ProfileRequest, person: Person | None = None) -> list[Row]:
    """The before/after table of a change request (with the record's current value, when the
    person is given, so a reviewer sees a field changed since the request was filed)."""
    rows = []
    for name, label in FIELD_LABELS.items():
        if name not in profile_request.changes:
            continue
        rows.append(
            Row(
                field=name,
                label=label,
                before=_value(name, profile_request.before.get(name)),
                after=_value(name, profile_request.changes[name]),
                current=_current(person, name) if person is not None else "",
            )
        )
    return rows


def summary(profile_request: ProfileRequest) -> str:
    """One line for lists: "工作单位、职务" or the start of a correction's text."""
    if profile_request.kind == "correction":
        text = " ".join(profile_request.note.split())
        return text if len(text) <= 40 else text[:40] + "…"
    return "、".join(
        label for name, label in FIELD_LABELS.items() if name in profile_request.changes
    )


# --- staff ----------------------------------------------------------------------------------------


def _in_scope(user: User) -> QuerySet[ProfileRequest]:
    return access.scope(user, ProfileRequest.objects.all())


def staff_queue(
    user: User, *, status: str = ReviewStatus.PENDING, kind: str = ""
) -> QuerySet[ProfileRequest]:
    """The requests of people in ``user``'s scope, oldest waiting first when pending."""
    qs = _in_scope(user).select_related("person", "person__region", "reviewed_by")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("submitted_at", "id") if status == ReviewStatus.PENDING else qs


def pending_count(user: User) -> int:
    return _in_scope(user).filter(status=ReviewStatus.PENDING).count()


def staff_request(user: User, request_id: int) -> ProfileRequest:
    """One request of a person in ``user``'s scope; 404 for any other and for none."""
    qs = ProfileRequest.objects.select_related(
        "person", "person__region", "person__education", "reviewed_by"
    )
    return access.get_for_user(user, qs, pk=request_id)


def _get(qs: QuerySet[ProfileRequest], request_id: int) -> ProfileRequest:
    found = qs.filter(pk=request_id).first()
    if found is None:
        raise Http404(access.NOT_FOUND)
    return found


def open_requests_of(user: User, person: Person) -> QuerySet[ProfileRequest]:
    """Other requests of the same person, for the reviewer's context."""
    return _in_scope(user).filter(person=person).order_by("-submitted_at", "-id")
