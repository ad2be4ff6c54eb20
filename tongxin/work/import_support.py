"""What the work imports share (activities: import_activities.py, trainees: import_trainees.py):
people named in a sheet, found in the registry the way staff name them (by name, with the
employer when two share a name, or by ID number), units by full or short name, yes/no cells.

Only people the uploader can see are found (access.scope), and archived records never are.
Lookups are batched: ``load`` fetches every name of a batch of rows in one query and keeps what
it found, so a file of thousands of rows costs a query per few hundred rows, not one per row."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from tongxin.core import access, crypto, text
from tongxin.core.models import Unit, User
from tongxin.registry.import_kinds import code_key
from tongxin.registry.models import Person

AMBIGUOUS = (
    "名册中有{count}位“{name}”（工作单位：{employers}）。请在“工作单位”列填写其工作单位以区分。"
)
AMBIGUOUS_AT = (
    "名册中有{count}位工作单位为“{employer}”的“{name}”，无法区分。"
    "请改填公民身份号码，或请名册管理人员核对是否重复登记。"
)
NOT_AT = (
    "名册中的“{name}”工作单位为{employers}，与“{employer}”不符。"
    "请核对工作单位（也可留空工作单位后重新上传）。"
)
NO_EMPLOYER = "未填写"
FLAG_INVALID = "{label}“{value}”无法识别，请填写“是”或“否”。"

_YES = {"是", "y", "yes", "true", "1", "√", "✓"}
_NO = {"否", "n", "no", "false", "0", "×", "✗"}

# Rosters pad two-character names to line up: "王　芳". The registry keeps names as typed, so
# both forms are looked for.
_INNER_SPACE = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


def flag(shown: str) -> bool | None:
    """A yes/no cell ("是", "否", "√" …): True, False, or None when it says neither."""
    value = shown.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    return None


def name_key(name: str) -> str:
    """A name as Person.name_simplified keeps it: simplified, half-width, lowercase."""
    return text.t2s(text.clean(name)).lower()


def _employer_key(employer: str) -> str:
    return text.t2s(text.clean(employer)).lower()


@dataclass
class Match:
    """What a name (and employer) found: ``person`` when exactly one; otherwise ``problem``, a
    sentence saying what to do, or "" when nobody of that name is in sight (each import says
    that in its own words)."""

    person: Person | None = None
    problem: str = ""
    candidates: list[Person] = field(default_factory=list)


class PeopleFinder:
    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.by_name: dict[str, list[Person]] = {}

    def load(self, names: Iterable[str]) -> None:
        """Fetch, in one query, the people of every name not looked for yet."""
        wanted: dict[str, str] = {}
        for name in names:
            key = name_key(name)
            if key and key not in self.by_name:
                wanted[key] = key
                wanted.setdefault(_INNER_SPACE.sub("", key), key)
        if not wanted:
            return
        found: dict[str, list[Person]] = defaultdict(list)
        people = (
            access.scope(
                self.actor,
                Person.objects.filter(archived_at__isnull=True, name_simplified__in=list(wanted)),
            )
            .select_related("region")
            .order_by("pk")
        )
        for person in people:
            found[wanted[person.name_simplified]].append(person)
        for key in set(wanted.values()):
            self.by_name[key] = found.get(key, [])

    def find(self, name: str, employer: str = "") -> Match:
        """The one person of ``name`` (loaded before), narrowed by ``employer`` when given:
        its exact name first, else a part of it ("某某科技" for "德阳某某科技有限公司")."""
        candidates = self.by_name.get(name_key(name), [])
        if not employer:
            if len(candidates) == 1:
                return Match(candidates[0])
            if not candidates:
                return Match()
            return Match(problem=self._ambiguous(name, candidates), candidates=candidates)
        key = _employer_key(employer)
        exact = [p for p in candidates if p.employer_simplified == key]
        partial = [p for p in candidates if _overlap(key, p.employer_simplified)]
        chosen = exact or partial
        if len(chosen) == 1:
            return Match(chosen[0])
        if chosen:
            message = AMBIGUOUS_AT.format(count=len(chosen), employer=employer, name=name)
            return Match(problem=message, candidates=chosen)
        if candidates:
            employers = _employers(candidates)
            return Match(problem=NOT_AT.format(name=name, employers=employers, employer=employer))
        return Match()

    def _ambiguous(self, name: str, candidates: list[Person]) -> str:
        return AMBIGUOUS.format(
            count=len(candidates), name=name, employers=_employers(candidates, quoted=False)
        )

    def by_id_numbers(self, numbers: Iterable[str]) -> dict[str, Person]:
        """The people in sight with these ID numbers (checked numbers), through the blind index:
        number → person. One query."""
        by_index: dict[str, str] = {}
        for number in numbers:
            for index in crypto.blind_indexes(number, purpose="id_number"):
                by_index[index] = number
        if not by_index:
            return {}
        people = access.scope(
            self.actor,
            Person.objects.filter(archived_at__isnull=True, id_number_index__in=list(by_index)),
        ).select_related("region")
        return {by_index[p.id_number_index]: p for p in people}


def _overlap(given: str, kept: str) -> bool:
    return bool(kept) and (given in kept or kept in given)


def _employers(people: list[Person], *, quoted: bool = True) -> str:
    names = list(dict.fromkeys(p.employer or NO_EMPLOYER for p in people))
    if quoted:
        return "、".join(f"“{n}”" for n in names[:5]) + ("等" if len(names) > 5 else "")
    return "、".join(names[:5]) + ("等" if len(names) > 5 else "")


class Units:
    """Active units in the uploader's sight, by full name or short name."""

    def __init__(self, actor: User) -> None:
        self.by_key: dict[str, list[Unit]] = defaultdict(list)
        self.full: dict[str, Unit] = {}
        for unit in access.scope(actor, Unit.objects.filter(is_active=True)).order_by("pk"):
            self.full[code_key(unit.name)] = unit
            for name in {unit.name, unit.short_name} - {""}:
                self.by_key[code_key(name)].append(unit)

    def find(self, value: str) -> tuple[Unit | None, list[Unit]]:
        """The unit of ``value``, or None and the units it could mean (none: unknown)."""
        key = code_key(value)
        if key in self.full:
            return self.full[key], []
        found = self.by_key.get(key, [])
        return (found[0], []) if len(found) == 1 else (None, found)
