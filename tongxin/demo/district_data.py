"""The districts' own work in 2022 and 2023: symposiums, lectures and research of each district's
department, its visits to the people it keeps in touch with (with what was heard), the cases it
takes on and resolves (most on time, some late) and the information it submits.

Seed 003 counts the city's figures; these records are what lies under them in each district —
they are what the districts' target assessment (目标考核), the dashboard's districts side by side
and a district's own summary count. None of them is of a type seed 003 counts (政党协商会议,
恳谈会, 对接会, 现场推进会, 招商推介, 主题教育, 培训班), and no case is of the 港澳台侨 line, so the
city's figures stay exactly those of DESIGN.md.

Deterministic (one seed); written through the services on the days they happened."""

from __future__ import annotations

import datetime as dt
import random

from tongxin.core.models import BusinessLine, Region, Unit, User
from tongxin.registry.models import CodeItem, CodeKind, Person
from tongxin.work import services as cases
from tongxin.work import services_activities as activities
from tongxin.work import services_outputs as outputs
from tongxin.work.models import (
    Activity,
    CaseSource,
    CaseStatus,
    OpinionKind,
    OutputKind,
    VisitMethod,
)

from .work_data import on

SEED = 20221
# The marker that the district demo is loaded (the first district's first symposium).
MARKER = "旌阳区新的社会阶层人士座谈会（2022年第1次）"
# Per district: (its department's short name, how busy it is — the districts differ).
DISTRICTS = {
    "510603": ("旌阳区委统战部", 1.0),
    "510604": ("罗江区委统战部", 0.5),
    "510623": ("中江县委统战部", 0.8),
    "510681": ("广汉市委统战部", 0.9),
    "510682": ("什邡市委统战部", 0.6),
    "510683": ("绵竹市委统战部", 0.7),
    "510600901": ("经开区党群工作部", 0.4),
}
KINDS = (
    ("座谈会", "新的社会阶层人士座谈会", "新阶"),
    ("宣讲", "《中国共产党统一战线工作条例》宣讲", None),
    ("调研", "民营企业发展情况专题调研", "非公经济"),
    ("座谈会", "党外知识分子座谈会", None),
)
HEARD = (
    (OpinionKind.SUGGESTION, "建议多组织新阶人士参加社会服务活动。"),
    (OpinionKind.DIFFICULTY, "企业用工招聘难，希望搭建校企对接平台。"),
    (OpinionKind.THOUGHT, "对近年来营商环境的改善评价较高。"),
    (OpinionKind.DIFFICULTY, "园区道路和配套设施不完善，影响物流。"),
)
CASE_TOPICS = (
    "企业反映用工招聘困难",
    "新阶人士反映子女入学咨询",
    "个体工商户反映经营场所租金问题",
    "民营企业反映融资担保困难",
    "律师事务所反映执业环境问题",
)


class DistrictDemo:
    def __init__(self, regions: dict[str, Region], units: dict[str, Unit]) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 (demo data, not secrets)
        self.regions = regions
        self.units = units
        self.admin = User.objects.get(username="demo_admin")
        self.types = {c.name: c for c in CodeItem.objects.filter(kind=CodeKind.ACTIVITY_TYPE)}
        self.lines = {line.name: line for line in BusinessLine.objects.all()}

    def people(self, code: str, count: int) -> list[Person]:
        qs = Person.objects.filter(region__code=code, archived_at__isnull=True).order_by("pk")
        return list(qs[:count])

    def load(self) -> None:
        for code, (department, busy) in DISTRICTS.items():
            if code not in self.regions or department not in self.units:
                continue
            for year in (2022, 2023):
                self.activities(code, department, busy, year)
                self.visits(code, busy, year)
                self.cases(code, department, busy, year)
                self.information(code, department, busy, year)

    def activities(self, code: str, department: str, busy: float, year: int) -> None:
        region = self.regions[code]
        count = max(2, round(10 * busy))
        for n in range(count):
            type_name, topic, line = KINDS[n % len(KINDS)]
            day = dt.date(year, 1 + (n * 11 // count) % 12, 6 + (n * 5) % 20)
            title = f"{region.name}{topic}（{year}年第{n // len(KINDS) + 1}次）"
            with on(day):
                activities.activity_create(
                    actor=self.admin,
                    type=self.types[type_name],
                    title=title,
                    date=day,
                    region=region,
                    line=self.lines[line] if line else None,
                    organizer_units=[self.units[department]],
                    headcount=20 + self.rng.randrange(60),
                    summary=f"{department}组织开展{topic}。",
                )

    def visits(self, code: str, busy: float, year: int) -> None:
        region = self.regions[code]
        people = self.people(code, max(3, round(16 * busy)))
        for n, person in enumerate(people):
            day = dt.date(year, 1 + (n * 7) % 12, 3 + (n * 3) % 24)
            with on(day):
                cases.visit_record(
                    actor=self.admin,
                    visited_on=day,
                    method=VisitMethod.ON_SITE if n % 3 else VisitMethod.MEETING,
                    person=person,
                    region=region,
                    visitors=f"{region.name}统战部门工作人员",
                    notes="走访联系，了解工作生活情况和所思所想所盼。",
                    opinions=[HEARD[(n + year) % len(HEARD)]],
                )

    def cases(self, code: str, department: str, busy: float, year: int) -> None:
        region = self.regions[code]
        unit = self.units[department]
        for n in range(max(2, round(8 * busy))):
            received = dt.date(year, 1 + (n * 5) % 11, 8 + n % 15)
            topic = CASE_TOPICS[(n + len(code)) % len(CASE_TOPICS)]
            with on(received):
                case = cases.case_create(
                    actor=self.admin,
                    title=f"{region.name}：{topic}",
                    text_=topic + "，请协调解决。",
                    source=CaseSource.VISIT if n % 2 else CaseSource.WALK_IN,
                    region=region,
                    category="民生诉求" if n % 2 else "涉企困难",
                    received_on=received,
                )
                case = cases.case_transition(
                    case=case,
                    to_status=CaseStatus.ASSIGNED,
                    actor=self.admin,
                    units=[unit],
                    deadline=received + dt.timedelta(days=15),
                )
            # Most resolved within the deadline; every fourth a week late.
            days = 6 + (n * 3) % 8 + (8 if n % 4 == 3 else 0)
            with on(received + dt.timedelta(days=1), hour=9):
                case = cases.case_transition(
                    case=case, to_status=CaseStatus.IN_PROGRESS, actor=self.admin
                )
            with on(received + dt.timedelta(days=days), hour=16):
                cases.case_transition(
                    case=case,
                    to_status=CaseStatus.RESOLVED,
                    actor=self.admin,
                    resolution="经协调相关部门，问题已解决，反映人表示认可。",
                )

    def information(self, code: str, department: str, busy: float, year: int) -> None:
        region = self.regions[code]
        for n in range(max(1, round(4 * busy))):
            day = dt.date(year, 2 + n * 3, 15)
            with on(day):
                info = outputs.output_create(
                    actor=self.admin,
                    kind=OutputKind.INFORMATION,
                    title=f"{region.name}统战工作信息（{year}年第{n + 1}期）",
                    date=day,
                    region=region,
                    authors=[outputs.AuthorSpec(unit=self.units[department])],
                )
            if n % 2 == 0:  # every other one endorsed by a city or district leader
                with on(day + dt.timedelta(days=10)):
                    outputs.endorsement_add(
                        actor=self.admin,
                        output=info,
                        level="city" if n % 4 == 0 else "county",
                        leader_title="市委常委、统战部部长" if n % 4 == 0 else "区委书记",
                        date=day + dt.timedelta(days=10),
                        text_="请认真总结，抓好落实。",
                    )


def load_districts(regions: dict[str, Region], units: dict[str, Unit]) -> bool:
    """Write the districts' work once; the first symposium marks it as loaded."""
    if Activity.objects.filter(title=MARKER).exists():
        return False
    DistrictDemo(regions, units).load()
    return True
