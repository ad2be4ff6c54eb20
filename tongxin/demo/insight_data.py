"""The records behind seed 003's figures on 铸牢中华民族共同体意识 in schools (2022), which the
other parts of the demo do not hold:

- 400余个浸润式教学体验阵地: 412 schools named 浸润式教学体验阵地 (designations of that kind),
  the 12 schools of the registry demo and 400 more, spread over the districts like the people;
- 40余个板块8套精品示范课程: 8 course sets (outputs of kind 案例汇编) including 43 courses (板块);
- 800余场次主题活动: 826 activities of type 主题教育 (民族宗教 line), two or so at each site;
- 承办全省性活动3场: three activities held in Deyang, the province's 民宗委 among the organizers.

Written through the services like every other part of the demo; deterministic; written once (the
first provincial event marks it as loaded). The metrics count these records; nothing here is a
typed figure."""

from __future__ import annotations

import datetime as dt

from tongxin.core import services as core
from tongxin.core.models import BusinessLine, Region, Unit, UnitKind, User
from tongxin.registry import services as registry
from tongxin.registry.models import CodeItem, CodeKind, Organization
from tongxin.work import services_activities as activities
from tongxin.work import services_outputs as outputs
from tongxin.work.models import Activity, OutputKind

from .registry_data import DISTRICTS
from .work_data import CITY, on

PROVINCE = "510000"
PROVINCE_UNIT = ("四川省民族宗教事务委员会", "省民宗委")
NEW_SCHOOLS = 400
THEMED_ACTIVITIES = 826
ISSUER = "德阳市民族宗教事务局、德阳市教育局"
# (title, day, type): the events of the province Deyang hosted in 2022.
PROVINCIAL_EVENTS = [
    ("四川省学校铸牢中华民族共同体意识教育现场观摩活动", dt.date(2022, 5, 19), "品牌活动"),
    ("全省民族团结进步示范创建工作交流会", dt.date(2022, 8, 25), "论坛"),
    ("四川省“中华民族一家亲”青少年文化展演", dt.date(2022, 11, 10), "品牌活动"),
]
THEMES = (
    "铸牢中华民族共同体意识主题班会",
    "民族团结进步主题升旗仪式",
    "“石榴籽”民族团结故事会",
    "“中华民族一家亲”主题实践活动",
    "民族团结进步书画展",
    "各民族传统文化体验课",
)
# (course set, number of 板块)
COURSE_SETS = [
    ("小学低年级", 6),
    ("小学中年级", 6),
    ("小学高年级", 6),
    ("初中", 5),
    ("高中", 5),
    ("中等职业学校", 5),
    ("教师专题培训", 5),
    ("家校共育", 5),
]
MODULES = (
    "中华民族共同体概论",
    "各民族交往交流交融的历史",
    "民族团结进步故事",
    "中华优秀传统文化",
    "国家通用语言文字",
    "革命文化和社会主义先进文化",
    "民族政策与法治教育",
)
DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 … 199 in Chinese numerals, as school names write them (第十一, 第二十, 第一百零五)."""
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    head = f"{DIGITS[hundreds]}百" if hundreds else ""
    if tens == 0:
        middle = "零" if hundreds and ones else ""
    elif tens == 1 and not hundreds:
        middle = "十"
    else:
        middle = f"{DIGITS[tens]}十"
    return head + middle + (DIGITS[ones] if ones else "")


class InsightDemo:
    def __init__(self, regions: dict[str, Region], units: dict[str, Unit]) -> None:
        self.regions = regions
        self.units = units
        self.admin = User.objects.get(username="demo_admin")
        self.minzong = BusinessLine.objects.get(code="minzong")
        self.types = {c.name: c for c in CodeItem.objects.filter(kind=CodeKind.ACTIVITY_TYPE)}
        self.school = CodeItem.objects.get(kind=CodeKind.ORG_TYPE, name="学校")

    def province_unit(self) -> Unit:
        name, short = PROVINCE_UNIT
        found = Unit.objects.filter(name=name).first()
        return found or core.unit_create(
            actor=None,
            name=name,
            short_name=short,
            kind=UnitKind.GOVERNMENT,
            region=self.regions[PROVINCE],
        )

    def schools(self) -> list[Organization]:
        """The registry demo's schools, then 400 more, shared out like the people."""
        existing = list(
            Organization.objects.filter(org_type=self.school, archived_at__isnull=True).order_by(
                "pk"
            )
        )
        weights = {code: share for code, (_, share) in DISTRICTS.items()}
        total = sum(weights.values())
        made: list[Organization] = []
        for code, (name, share) in DISTRICTS.items():
            count = NEW_SCHOOLS * share // total
            if code == next(iter(DISTRICTS)):  # the remainder to the largest
                count += NEW_SCHOOLS - sum(NEW_SCHOOLS * s // total for s in weights.values())
            for n in range(1, count + 1):
                level = "中学" if n % 4 == 0 else "小学"
                made.append(
                    registry.organization_create(
                        actor=None,
                        name=f"{name}第{chinese_number(n)}{level}",
                        org_type=self.school,
                        region=self.regions[code],
                        founded_on=dt.date(1950 + n % 60, 9, 1),
                    )
                )
        return existing + made

    def immersion_sites(self, schools: list[Organization]) -> None:
        kind = CodeItem.objects.get(kind=CodeKind.DESIGNATION_KIND, code="jinrun")
        for n, school in enumerate(schools):
            batch = 1 + n * 3 // len(schools)
            registry.designation_add(
                actor=None,
                organization=school,
                kind=kind,
                batch=f"2022年第{chinese_number(batch)}批",
                designated_on=(dt.date(2022, 3, 28), dt.date(2022, 6, 28), dt.date(2022, 9, 28))[
                    batch - 1
                ],
                issuer=ISSUER,
            )

    def themed_activities(self, schools: list[Organization]) -> None:
        for n in range(THEMED_ACTIVITIES):
            school = schools[n % len(schools)]
            day = dt.date(2022, 3, 1) + dt.timedelta(days=(n * 7 + n // len(schools)) % 290)
            with on(day):
                activities.activity_create(
                    actor=self.admin,
                    type=self.types["主题教育"],
                    title=f"{school.name}{THEMES[n % len(THEMES)]}",
                    date=day,
                    region=school.region,
                    line=self.minzong,
                    organizer_organizations=[school],
                    place=school.name,
                    headcount=40 + (n * 13) % 260,
                )

    def model_courses(self) -> None:
        authors = [outputs.AuthorSpec(unit=self.units[u]) for u in ("市民宗局", "市教育局")]
        module = 0
        for n, (audience, count) in enumerate(COURSE_SETS):
            day = dt.date(2022, 8, 10 + n)
            with on(day):
                course_set = outputs.output_create(
                    actor=self.admin,
                    kind=OutputKind.COMPILATION,
                    title=f"铸牢中华民族共同体意识精品示范课程（{audience}）",
                    date=day,
                    region=self.regions[CITY],
                    line=self.minzong,
                    authors=authors,
                )
                for k in range(count):
                    outputs.output_create(
                        actor=self.admin,
                        kind=OutputKind.COURSE,
                        title=f"{audience}第{chinese_number(k + 1)}板块："
                        f"{MODULES[module % len(MODULES)]}",
                        date=day,
                        region=self.regions[CITY],
                        line=self.minzong,
                        compilation=course_set,
                        authors=authors,
                    )
                    module += 1

    def provincial_events(self, province: Unit) -> None:
        for title, day, type_ in PROVINCIAL_EVENTS:
            with on(day):
                activities.activity_create(
                    actor=self.admin,
                    type=self.types[type_],
                    title=title,
                    date=day,
                    region=self.regions[CITY],
                    line=self.minzong,
                    organizer_units=[province, self.units["市民宗局"], self.units["市教育局"]],
                    place="德阳市",
                    headcount=300,
                )


def load_insight(regions: dict[str, Region], units: dict[str, Unit]) -> bool:
    """Write these records once: the first provincial event marks them as loaded."""
    title, day, _ = PROVINCIAL_EVENTS[0]
    if Activity.objects.filter(title=title, date=day).exists():
        return False
    demo = InsightDemo(regions, units)
    province = demo.province_unit()
    schools = demo.schools()
    demo.immersion_sites(schools)
    demo.themed_activities(schools)
    demo.model_courses()
    demo.provincial_events(province)
    return True
