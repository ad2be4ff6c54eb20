"""A person's change history, read from the audit log.

Every change of a person and of the rows hanging off them (arrangements, honours, reviews,
memberships) is an AuditEvent written by the audit signals in the same transaction. The history
gathers the events of the person, of the records merged into them, and of their rows, including
rows since deleted: those are found through the "人员" value their audit rows carry
("曾蓉（12）"). Secret fields were never recorded: their changes read "（已修改，内容不记录）".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q

from tongxin.core import access
from tongxin.core.audit import SECRET_MARK, field_label, object_type_label
from tongxin.core.models import AuditAction, AuditEvent, User

from .models import AnnualReview, Honour, Membership, Person, PoliticalArrangement

PERSON_TYPE = "registry.person"
DETAIL_MODELS = {
    "registry.politicalarrangement": PoliticalArrangement,
    "registry.honour": Honour,
    "registry.annualreview": AnnualReview,
}
MEMBERSHIP_TYPE = "registry.membership"
CHANGE_ACTIONS = (AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE)
# Bookkeeping, not part of what a person's record says.
HIDDEN_FIELDS = {"created_at", "created_by"}
# Shown only to roles whose line needs them (access.can_see_beliefs), in the history as elsewhere.
BELIEF_FIELDS = {"religion", "ethnicity"}
LIMIT = 200


@dataclass(frozen=True)
class Change:
    label: str
    before: Any
    after: Any


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    actor: str
    action: str
    action_label: str
    subject: str
    detail: str
    changes: list[Change] = field(default_factory=list)


def _merged_ids(person: Person) -> set[int]:
    """The person and every record merged into them, however many merges deep."""
    ids = {person.pk}
    frontier = {person.pk}
    while frontier:
        frontier = (
            set(Person.objects.filter(merged_into__in=frontier).values_list("pk", flat=True)) - ids
        )
        ids |= frontier
    return ids


def _marker_q(person_ids: set[int]) -> Q:
    # The audit rows of a detail name its person as "姓名（id）" before and/or after the change.
    return reduce(
        or_,
        (
            Q(**{f"changes__person__{i}__endswith": f"（{pk}）"})
            for pk in sorted(person_ids)
            for i in (0, 1)
        ),
    )


def _detail_ids(person_ids: set[int]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for label, model in DETAIL_MODELS.items():
        rows = model._default_manager.filter(person_id__in=person_ids)
        found[label] = {str(pk) for pk in rows.values_list("pk", flat=True)}
    past = AuditEvent.objects.filter(object_type__in=DETAIL_MODELS).filter(_marker_q(person_ids))
    for object_type, object_id in past.values_list("object_type", "object_id"):
        found[object_type].add(object_id)
    return found


def _shown(value: Any) -> Any:
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "（无）"
    return value


def _entry(event: AuditEvent, hidden: set[str]) -> HistoryEntry:
    type_label = object_type_label(event.object_type)
    subject = (
        "基本信息" if event.object_type == PERSON_TYPE else f"{type_label}：{event.object_repr}"
    )
    changes = []
    for name, pair in (event.changes or {}).items():
        if not isinstance(pair, list | tuple) or len(pair) != 2 or name in hidden:
            continue
        if name == "person" and event.action != AuditAction.UPDATE:
            continue  # obvious on the person's own page
        before, after = _shown(pair[0]), _shown(pair[1])
        if SECRET_MARK in (before, after):
            before, after = None, SECRET_MARK  # nothing to compare: the values were never kept
        changes.append(Change(field_label(event.object_type, name), before, after))
    return HistoryEntry(
        at=event.at,
        actor=event.actor.name if event.actor and event.actor.name else event.actor_username,
        action=event.action,
        action_label=event.get_action_display(),
        subject=subject,
        detail=event.detail,
        changes=changes,
    )


def person_history(user: User, person: Person, limit: int = LIMIT) -> list[HistoryEntry]:
    """The newest ``limit`` changes of ``person`` (already fetched for ``user``), newest first."""
    person_ids = _merged_ids(person)
    details = _detail_ids(person_ids)
    # Memberships are ended, never deleted; those in scope are the ones the page shows.
    memberships = access.scope(user, Membership.objects.filter(person_id__in=person_ids))
    wanted = Q(object_type=PERSON_TYPE, object_id__in=[str(pk) for pk in person_ids])
    wanted |= Q(
        object_type=MEMBERSHIP_TYPE,
        object_id__in=[str(pk) for pk in memberships.values_list("pk", flat=True)],
    )
    for object_type, object_ids in details.items():
        if object_ids:
            wanted |= Q(object_type=object_type, object_id__in=object_ids)
    events = (
        AuditEvent.objects.filter(wanted, action__in=CHANGE_ACTIONS)
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
    hidden = HIDDEN_FIELDS if access.can_see_beliefs(user) else HIDDEN_FIELDS | BELIEF_FIELDS
    return [_entry(e, hidden) for e in events]
