"""The synthetic province: Sichuan's cities and districts (Deyang-heavy), 1,000,000 people,
organizations, 2,000,000 memberships and participations, 200,000 activities, 100,000 cases
(times ``scale``), on top of the Deyang demo (tongxin.demo.loader.load: regions, units, code
tables, demo accounts and the seed records), so every page of the app works on it.

Written through bulk paths (bench/writer.py) but with the project's own rules: ID numbers from
core.ids.make_id_number (gender and birth date taken from them as check_identity does), search
keys and blind indexes from ``Person.refresh_keys`` / ``Organization.refresh_keys``, encryption by
the model field, a case's 受理 event as services.case_create writes it. No audit rows are written
for the synthetic records: nobody created them.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from faker import Faker
from faker.providers.person.zh_CN import Provider as NameProvider

from tongxin.core import crypto, ids, services
from tongxin.core.models import BusinessLine, Region, RegionKind, Role, Unit, User
from tongxin.registry.models import CodeItem, CodeKind, Membership, Organization, Person
from tongxin.work.models import Case, CaseEvent, CaseEventKind, CaseSource, CaseStatus
from tongxin.work.models_activities import Activity, ParticipantRole, Participation

from . import writer

FULL = {
    "people": 1_000_000,
    "organizations": 20_000,
    "memberships": 800_000,
    "activities": 200_000,
    "participations": 1_200_000,
    "cases": 100_000,
}
CITY = "510600"
CHUNK = 20_000

# Other cities of Sichuan with some of their districts (GB/T 2260), and their share of the people
# outside Deyang. Deyang itself holds DEYANG_SHARE of everyone.
OTHER_CITIES: list[tuple[str, str, float, list[tuple[str, str]]]] = [
    ("510100", "成都市", 0.40, [("510104", "锦江区"), ("510105", "青羊区"), ("510106", "金牛区"),
                              ("510107", "武侯区"), ("510108", "成华区")]),
    ("510700", "绵阳市", 0.15, [("510703", "涪城区"), ("510704", "游仙区"), ("510705", "安州区")]),
    ("510300", "自贡市", 0.08, [("510302", "自流井区"), ("510303", "贡井区")]),
    ("510500", "泸州市", 0.09, [("510502", "江阳区"), ("510503", "纳溪区")]),
    ("510800", "广元市", 0.07, [("510802", "利州区"), ("510811", "昭化区")]),
    ("510900", "遂宁市", 0.07, [("510903", "船山区"), ("510904", "安居区")]),
    ("511000", "内江市", 0.07, [("511002", "市中区"), ("511011", "东兴区")]),
    ("511100", "乐山市", 0.07, [("511102", "市中区"), ("511111", "沙湾区")]),
]  # fmt: skip
DEYANG_SHARE = 0.5
DEYANG_WEIGHTS = {
    "510600": 0.04, "510603": 0.28, "510604": 0.08, "510623": 0.16, "510681": 0.15,
    "510682": 0.12, "510683": 0.12, "510600901": 0.05,
}  # fmt: skip
# Category codes (registry/codes.py CATEGORIES) by share of people; one in five has a second.
CATEGORY_WEIGHTS = {
    "01": 12, "02": 5, "03": 20, "04": 6, "05": 2, "06": 18, "07": 25, "08": 4, "09": 1,
    "10": 1, "11": 3, "12": 3,
}  # fmt: skip
ACTIVITY_WEIGHTS = {
    "zuotan": 20, "zoufang": 18, "peixun": 10, "xuanjiang": 10, "diaoyan": 8, "tuijinhui": 5,
    "kentan": 4, "duijie": 4, "zhengdang": 2, "zhuti": 6, "luntan": 3, "zhaoshang": 2,
    "pinpai": 3, "kecheng": 3, "qita": 2, "xianchang": 1, "lianxi": 1,
}  # fmt: skip
ROLE_WEIGHTS = {
    ParticipantRole.TAKES_PART: 60, ParticipantRole.ATTENDS: 20, ParticipantRole.EXCHANGE: 10,
    ParticipantRole.SPEAKS: 4, ParticipantRole.CHAIRS: 3, ParticipantRole.TRAINEE: 3,
}  # fmt: skip
STATUS_WEIGHTS = {
    CaseStatus.ACCEPTED: 8, CaseStatus.ASSIGNED: 10, CaseStatus.IN_PROGRESS: 12,
    CaseStatus.RESOLVED: 35, CaseStatus.FOLLOWED_UP: 35,
}  # fmt: skip
FIRST_DAY = dt.date(2018, 1, 1)
LAST_DAY = dt.date(2024, 12, 31)
MARKER_TABLE = "bench_meta"


@dataclass
class Counts:
    scale: float

    def __getitem__(self, key: str) -> int:
        return max(1, round(FULL[key] * self.scale))


@dataclass
class World:
    """What later parts need of earlier ones, kept as plain ids."""

    regions: list[Region] = field(default_factory=list)
    region_weights: list[float] = field(default_factory=list)
    city_of: dict[int, int] = field(default_factory=dict)  # region id -> city region id
    people_by_city: dict[int, list[int]] = field(default_factory=dict)
    orgs_by_city: dict[int, list[int]] = field(default_factory=dict)


def log(message: str) -> None:
    print(f"[generate {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- marker ---------------------------------------------------------------------------------------


def generated_scale() -> float | None:
    """The scale the database was generated at, None if it was not (completely)."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if MARKER_TABLE not in tables:
            return None
        cursor.execute(f"SELECT value FROM {MARKER_TABLE} WHERE key = 'scale'")
        row = cursor.fetchone()
    return float(row[0]) if row else None


def _mark(scale: float) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (key TEXT PRIMARY KEY, value TEXT)"
        )
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")
        cursor.execute(f"INSERT INTO {MARKER_TABLE} VALUES ('scale', %s)", [str(scale)])


# --- regions --------------------------------------------------------------------------------------


def _regions(world: World) -> None:
    province = Region.objects.get(code="510000")
    for code, name, _, districts in OTHER_CITIES:
        city = Region.objects.filter(code=code).first() or services.region_create(
            actor=None, code=code, name=name, kind=RegionKind.CITY, parent=province
        )
        for d_code, d_name in districts:
            if not Region.objects.filter(code=d_code).exists():
                services.region_create(
                    actor=None, code=d_code, name=d_name, kind=RegionKind.DISTRICT, parent=city
                )
    by_code = {r.code: r for r in Region.objects.all()}
    for code, weight in DEYANG_WEIGHTS.items():
        world.regions.append(by_code[code])
        world.region_weights.append(DEYANG_SHARE * weight)
        world.city_of[by_code[code].pk] = by_code[CITY].pk
    for code, _, share, districts in OTHER_CITIES:
        members = [code, *(d for d, _ in districts)]
        for member in members:
            weight = (1 - DEYANG_SHARE) * share * (0.1 if member == code else 0.9 / len(districts))
            world.regions.append(by_code[member])
            world.region_weights.append(weight)
            world.city_of[by_code[member].pk] = by_code[code].pk


# --- people ---------------------------------------------------------------------------------------


class Names:
    """Faker zh_CN's surnames (with their weights) and given names, recombined for variety."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.surnames = list(NameProvider.last_names.keys())
        self.weights = list(NameProvider.last_names.values())
        given = list(NameProvider.first_names)
        self.chars = sorted({ch for name in given for ch in name})
        self.given = given

    def batch(self, n: int) -> list[str]:
        rng = self.rng
        surnames = rng.choices(self.surnames, self.weights, k=n)
        out = []
        for surname in surnames:
            if rng.random() < 0.5:
                out.append(surname + rng.choice(self.given))
            else:
                out.append(surname + "".join(rng.choices(self.chars, k=rng.choice((1, 2, 2)))))
        return out


class IdNumbers:
    """Unique ID numbers built by core.ids.make_id_number (never one already on record)."""

    def __init__(self, rng: random.Random, taken: set[str]) -> None:
        self.rng = rng
        self.taken = taken

    def make(self, area: str, first: dt.date, last: dt.date) -> tuple[str, dt.date, str]:
        span = (last - first).days
        while True:
            birth = first + dt.timedelta(days=self.rng.randrange(span))
            gender = "M" if self.rng.random() < 0.55 else "F"
            number = ids.make_id_number(area, birth, self.rng.randrange(100), gender)
            if number not in self.taken:
                self.taken.add(number)
                return number, birth, gender


def _creator() -> User:
    # The records are the department's own: entered by its (first) administrator.
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    if admin is None:
        raise SystemExit("生成基准数据前需要一个管理员账号：请先运行 python manage.py demo。")
    return admin


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def _codes(kind: str) -> dict[str, CodeItem]:
    return {c.code: c for c in CodeItem.objects.filter(kind=kind)}


class _KeyStub:
    """What ``Person.refresh_keys`` reads and writes, without a model instance (whose post_init
    hooks cost more than the rest of a row)."""

    def __init__(self, name: str, employer: str) -> None:
        self.name, self.employer, self.id_number, self.phone = name, employer, "", ""


class SearchKeys:
    """Person.refresh_keys, once per distinct name and employer (a province repeats both); the
    blind indexes, which differ per person, are computed per person by the same crypto call."""

    def __init__(self) -> None:
        self.names: dict[str, tuple[str, str, str]] = {}
        self.employers: dict[str, str] = {}

    def __call__(self, name: str, employer: str, id_number: str, phone: str) -> dict[str, str]:
        if name not in self.names:
            stub = _KeyStub(name, "")
            Person.refresh_keys(stub)  # type: ignore[arg-type]
            self.names[name] = (stub.name_simplified, stub.name_pinyin, stub.name_initials)  # type: ignore[attr-defined]
        if employer not in self.employers:
            stub = _KeyStub("", employer)
            Person.refresh_keys(stub)  # type: ignore[arg-type]
            self.employers[employer] = stub.employer_simplified  # type: ignore[attr-defined]
        simplified, pinyin, initials = self.names[name]
        return {
            "name_simplified": simplified,
            "name_pinyin": pinyin,
            "name_initials": initials,
            "employer_simplified": self.employers[employer],
            "id_number_index": crypto.blind_index(id_number, purpose="id_number"),
            "phone_index": crypto.blind_index(phone, purpose="phone"),
        }


NAME_POOL = 120_000  # distinct names of a province's roster (names repeat, as in life)


def _people(world: World, counts: Counts, rng: random.Random, fake: Faker) -> None:
    total = counts["people"]
    categories = _codes(CodeKind.CATEGORY)
    cat_codes = list(CATEGORY_WEIGHTS)
    cat_weights = list(CATEGORY_WEIGHTS.values())
    ethnicities = list(CodeItem.objects.filter(kind=CodeKind.ETHNICITY).order_by("order", "id"))
    han = ethnicities[0]
    political = list(CodeItem.objects.filter(kind=CodeKind.POLITICAL_STATUS))
    education = list(CodeItem.objects.filter(kind=CodeKind.EDUCATION))
    groups = list(CodeItem.objects.filter(kind=CodeKind.STRATUM_GROUP))
    levels = list(CodeItem.objects.filter(kind=CodeKind.REP_LEVEL))
    employers = [fake.company() for _ in range(5000)]
    positions = ["总经理", "董事长", "副总经理", "技术总监", "律师", "会计师", "教师", "医生",
                 "工程师", "主任", "经理", "职员", "自由职业者"]  # fmt: skip
    pool = Names(rng).batch(min(NAME_POOL, max(1000, total // 4)))
    taken = {p.id_number for p in Person.objects.only("id_number") if p.id_number}
    id_numbers = IdNumbers(rng, taken)
    keys = SearchKeys()
    creator = _creator()
    pk = writer.next_id(Person)
    through = Person.categories.through
    rows = writer.Rows(Person)
    now = timezone.now()
    done = 0
    log(f"people: {total}")
    while done < total:
        n = min(CHUNK, total - done)
        regions = rng.choices(world.regions, world.region_weights, k=n)
        people: list[tuple[Any, ...]] = []
        links: list[tuple[int, int]] = []
        for name, region in zip(rng.choices(pool, k=n), regions, strict=True):
            number, birth, gender = id_numbers.make(region.code[:6], dt.date(1950, 1, 1),
                                                    dt.date(2000, 1, 1))  # fmt: skip
            cat = rng.choices(cat_codes, cat_weights)[0]
            phone = _phone(rng) if rng.random() < 0.9 else ""
            employer = rng.choice(employers)
            representative = rng.random() < 0.05
            people.append(
                rows.make(
                    pk=pk,
                    name=name,
                    gender=gender,
                    birth_date=birth,
                    id_number=number,
                    phone=phone,
                    ethnicity=han if rng.random() < 0.93 else rng.choice(ethnicities),
                    political_status=rng.choice(political),
                    education=rng.choice(education),
                    employer=employer,
                    position=rng.choice(positions),
                    region=region,
                    stratum_group=rng.choice(groups) if cat == "07" else None,
                    is_representative=representative,
                    representative_level=rng.choice(levels) if representative else None,
                    created_at=now,
                    created_by=creator,
                    **keys(name, employer, number, phone),
                )
            )
            links.append((pk, categories[cat].pk))
            if rng.random() < 0.2:
                second = rng.choices(cat_codes, cat_weights)[0]
                if second != cat:
                    links.append((pk, categories[second].pk))
            world.people_by_city.setdefault(world.city_of[region.pk], []).append(pk)
            pk += 1
        writer.write(Person, rows.columns, people)
        writer.write(through, ["person_id", "codeitem_id"], links)
        done += n
        if done % 100_000 < CHUNK:
            log(f"people: {done}/{total}")


# --- organizations and memberships ----------------------------------------------------------------


def _organizations(world: World, counts: Counts, rng: random.Random, fake: Faker) -> None:
    total = counts["organizations"]
    types = list(CodeItem.objects.filter(kind=CodeKind.ORG_TYPE, parent__isnull=True))
    enterprise = next(t for t in types if t.code == "qiye")
    pk = writer.next_id(Organization)
    orgs: list[Organization] = []
    names: set[tuple[str, int]] = set(Organization.objects.values_list("name", "region_id"))
    while len(orgs) < total:
        region = rng.choices(world.regions, world.region_weights)[0]
        org_type = enterprise if rng.random() < 0.6 else rng.choice(types)
        base = fake.company() if org_type is enterprise else f"{region.name}{org_type.name}"
        name = f"{base}{rng.randrange(1, 10_000)}号" if org_type is not enterprise else base
        if (name, region.pk) in names:
            continue
        names.add((name, region.pk))
        org = Organization(
            pk=pk,
            name=name,
            org_type=org_type,
            region=region,
            is_non_public=org_type is enterprise,
            is_taiwan_funded=org_type is enterprise and rng.random() < 0.03,
            is_overseas_funded=org_type is enterprise and rng.random() < 0.03,
            created_at=timezone.now(),
        )
        org.refresh_keys()
        orgs.append(org)
        world.orgs_by_city.setdefault(world.city_of[region.pk], []).append(pk)
        pk += 1
    writer.write(
        Organization, writer.concrete_columns(Organization), writer.object_rows(Organization, orgs)
    )
    log(f"organizations: {total}")


def _skewed(rng: random.Random, items: list[int]) -> int:
    # A few people take part in much: the first of each city's list far more often than the last.
    return items[int(len(items) * rng.random() ** 3)]


def _memberships(world: World, counts: Counts, rng: random.Random) -> None:
    total = counts["memberships"]
    roles = ["会员"] * 8 + ["理事", "常务理事", "副会长", "会长", "秘书长"]
    cities = [c for c in world.people_by_city if world.orgs_by_city.get(c)]
    weights = [len(world.people_by_city[c]) for c in cities]

    def rows() -> Iterator[tuple[Any, ...]]:
        for _ in range(total):
            city = rng.choices(cities, weights)[0]
            start = FIRST_DAY + dt.timedelta(days=rng.randrange(2000))
            end = start + dt.timedelta(days=365 * 5) if rng.random() < 0.3 else None
            yield (
                _skewed(rng, world.people_by_city[city]),
                rng.choice(world.orgs_by_city[city]),
                rng.choice(roles),
                start,
                end,
                "",
            )

    cols = ["person_id", "organization_id", "role", "term_start", "term_end", "notes"]
    writer.write(Membership, cols, rows())
    log(f"memberships: {total}")


# --- activities and participations ----------------------------------------------------------------


def _activities(world: World, counts: Counts, rng: random.Random) -> dict[int, int]:
    """Writes the activities; returns activity id -> city region id."""
    total = counts["activities"]
    types = _codes(CodeKind.ACTIVITY_TYPE)
    codes = [c for c in ACTIVITY_WEIGHTS if c in types]
    weights = [ACTIVITY_WEIGHTS[c] for c in codes]
    lines = list(BusinessLine.objects.all())
    creator = _creator()
    span = (LAST_DAY - FIRST_DAY).days
    pk = writer.next_id(Activity)
    city_of_activity: dict[int, int] = {}
    now = timezone.now()
    rows = writer.Rows(Activity)
    activities: list[tuple[Any, ...]] = []
    for _ in range(total):
        region = rng.choices(world.regions, world.region_weights)[0]
        type_ = types[rng.choices(codes, weights)[0]]
        line = type_.line if type_.line_id else rng.choice([*lines, None])
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(span))
        activities.append(
            rows.make(
                pk=pk,
                type=type_,
                title=f"{region.name}{type_.name}（{day:%Y年%m月}第{rng.randrange(1, 9)}次）",
                date=day,
                region=region,
                line=line,
                created_by=creator,
                created_at=now,
            )
        )
        city_of_activity[pk] = world.city_of[region.pk]
        pk += 1
        if len(activities) >= CHUNK:
            writer.write(Activity, rows.columns, activities)
            activities = []
    writer.write(Activity, rows.columns, activities)
    log(f"activities: {total}")
    return city_of_activity


def _participations(
    world: World, counts: Counts, rng: random.Random, city_of_activity: dict[int, int]
) -> None:
    total = counts["participations"]
    activity_ids = list(city_of_activity)
    per_activity = max(1, round(total / len(activity_ids)))
    roles = list(ROLE_WEIGHTS)
    role_weights = list(ROLE_WEIGHTS.values())

    def rows() -> Iterator[tuple[Any, ...]]:
        written = 0
        for activity_id in activity_ids:
            if written >= total:
                return
            people = world.people_by_city[city_of_activity[activity_id]]
            n = min(total - written, max(1, int(rng.expovariate(1 / per_activity))), len(people))
            chosen: set[int] = set()
            while len(chosen) < n:
                chosen.add(_skewed(rng, people))
            for order, person_id in enumerate(chosen):
                yield (
                    activity_id,
                    person_id,
                    None,
                    "",
                    rng.choices(roles, role_weights)[0],
                    "",
                    "",
                    order,
                )
            written += n
        # Whatever the exponential left short goes to the busiest activities, one each.
        index = 0
        while written < total:
            activity_id = activity_ids[index % len(activity_ids)]
            index += 1
            people = world.people_by_city[city_of_activity[activity_id]]
            person_id = people[-1 - (index // len(activity_ids)) % len(people)]
            yield (activity_id, person_id, None, "", ParticipantRole.TAKES_PART, "", "", 99)
            written += 1

    cols = ["activity_id", "person_id", "unit_id", "name", "role", "title", "note", "order"]
    seen: set[tuple[int, int]] = set()

    def unique() -> Iterator[tuple[Any, ...]]:
        for row in rows():
            key = (row[0], row[1])
            if key not in seen:
                seen.add(key)
                yield row

    written = writer.write(Participation, cols, unique())
    log(f"participations: {written}")


# --- cases ----------------------------------------------------------------------------------------


def _cases(world: World, counts: Counts, rng: random.Random) -> None:
    total = counts["cases"]
    lines = list(BusinessLine.objects.all())
    units = list(Unit.objects.all())
    creator = _creator()
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    sources = [s.value for s in CaseSource]
    topics = [
        "融资难",
        "用地审批",
        "用工招聘",
        "子女入学",
        "物流运输",
        "知识产权",
        "税费政策",
        "水电气保障",
    ]
    span = (LAST_DAY - FIRST_DAY).days
    pk = writer.next_id(Case)
    rows = writer.Rows(Case)
    cases: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    case_units: list[tuple[int, int]] = []
    for _ in range(total):
        region = rng.choices(world.regions, world.region_weights)[0]
        received = FIRST_DAY + dt.timedelta(days=rng.randrange(span))
        status = rng.choices(statuses, weights)[0]
        resolved = status in (CaseStatus.RESOLVED, CaseStatus.FOLLOWED_UP)
        resolved_at = (
            timezone.make_aware(dt.datetime.combine(received, dt.time(10)))
            + dt.timedelta(days=rng.randrange(1, 60))
            if resolved
            else None
        )
        topic = rng.choice(topics)
        people = world.people_by_city.get(world.city_of[region.pk], [])
        case = rows.make(
            pk=pk,
            title=f"{topic}问题（{region.name}）",
            text=f"反映{topic}方面的困难，请协调解决。",
            source=rng.choice(sources),
            requester_person_id=rng.choice(people) if people and rng.random() < 0.7 else None,
            category=topic,
            region=region,
            line=rng.choice(lines),
            deadline=received + dt.timedelta(days=30),
            status=status,
            resolution="已协调解决。" if resolved else "",
            satisfaction="satisfied" if status == CaseStatus.FOLLOWED_UP else "",
            received_on=received,
            resolved_at=resolved_at,
            created_by=creator,
        )
        cases.append(case)
        at = timezone.make_aware(dt.datetime.combine(received, dt.time(9)))
        events.append((pk, at, creator.pk, CaseEventKind.TRANSITION, CaseStatus.ACCEPTED,
                       CaseStatus.ACCEPTED, "受理"))  # fmt: skip
        if status != CaseStatus.ACCEPTED:
            events.append((pk, resolved_at or at, creator.pk, CaseEventKind.TRANSITION,
                           CaseStatus.ACCEPTED, status, ""))  # fmt: skip
            case_units.append((pk, rng.choice(units).pk))
        pk += 1
        if len(cases) >= CHUNK:
            _write_cases(rows, cases, events, case_units)
            cases, events, case_units = [], [], []
    _write_cases(rows, cases, events, case_units)
    log(f"cases: {total}")


def _write_cases(
    rows: writer.Rows,
    cases: list[tuple[Any, ...]],
    events: list[tuple[Any, ...]],
    case_units: list[tuple[int, int]],
) -> None:
    writer.write(Case, rows.columns, cases)
    cols = ["case_id", "at", "actor_id", "kind", "from_status", "to_status", "note"]
    writer.write(CaseEvent, cols, events)
    writer.write(Case.units.through, ["case_id", "unit_id"], case_units)


# --- the whole ----------------------------------------------------------------------------------


def _sqlite_fast() -> Callable[[], None]:
    """For the generator's bulk load only: no fsync; restored afterwards."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return lambda: None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-400000")
        cursor.execute("PRAGMA temp_store=MEMORY")

    def restore() -> None:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=NORMAL")

    return restore


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def generate(*, scale: float, seed: int = 2022, demo_people: int | None = None) -> dict[str, int]:
    """Generate the province on top of the already loaded demo. Returns the row counts."""
    counts = Counts(scale)
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    world = World()
    restore = _sqlite_fast()
    try:
        with transaction.atomic():
            _regions(world)
            _people(world, counts, rng, fake)
            _organizations(world, counts, rng, fake)
            _memberships(world, counts, rng)
            city_of_activity = _activities(world, counts, rng)
            _participations(world, counts, rng, city_of_activity)
            _cases(world, counts, rng)
            writer.reset_sequences([Person, Organization, Membership, Activity, Participation,
                                    Case, CaseEvent, Person.categories.through,
                                    Case.units.through])  # fmt: skip
            _mark(scale)
    finally:
        restore()
    analyze()
    return counts_now()


def counts_now() -> dict[str, int]:
    return {
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "participations": Participation.objects.count(),
        "activities": Activity.objects.count(),
        "cases": Case.objects.count(),
    }


def ensure(*, scale: float) -> dict[str, Any]:
    """Migrate, load the demo and generate, unless the database already holds ``scale``."""
    from django.core.management import call_command

    from tongxin.demo.loader import load

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    # Pages are rendered with the manifest storage, as in production.
    call_command("collectstatic", verbosity=0, interactive=False)
    if generated_scale() == scale:
        log(f"data at scale {scale} already present: reused")
        return {"generated": False, "seconds": round(time.perf_counter() - started, 1),
                **counts_now()}  # fmt: skip
    if generated_scale() is not None:
        raise SystemExit(
            "基准数据库中已有其他规模或未完成的数据：请删除该数据库后重新运行 make bench。"
        )
    # The demo is loaded in one transaction: its accounts mean all of it is there.
    if not User.objects.filter(username="demo_admin").exists():
        log("loading the Deyang demo (tongxin.demo.loader.load)")
        load()
    counts = generate(scale=scale)
    log(f"done: {counts}")
    return {"generated": True, "seconds": round(time.perf_counter() - started, 1), **counts}
