"""The work demo: a year and a half of the department's work (2022 and the first half of 2023),
written through the work services on the dates it happened, so that events, deadlines and
timelines read as they would have.

What seed 003 counts for 2022 is here as records (6 政党协商会议, 5 face-to-face 恳谈会/对接会,
4 quarterly 现场推进会, 3 涉台涉侨 promotions with 46 projects and 10 new Taiwan-funded
enterprises, credit of 62.38亿元 for 港澳台侨 enterprises, 73 resolved difficulties of those
enterprises, 7 reports of the democratic parties of which 5 endorsed and 3 adopted, 7 affirmative
endorsements by provincial leaders, 200余 trainees, the 4th batch of 16 seconded cadres of 49 in
all), and so is the 2023-07-05 meeting of seed 000. The metrics count them; nothing here is a
typed figure of a report.

Deterministic: one seed, dates fixed, people picked in a stable order from those loaded."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from tongxin.core.models import BusinessLine, Region, Unit, User
from tongxin.registry import services as registry
from tongxin.registry.models import CodeItem, CodeKind, Organization, Person
from tongxin.work import services as cases
from tongxin.work import services_activities as activities
from tongxin.work import services_cadres as cadres
from tongxin.work import services_outputs as outputs
from tongxin.work.models import (
    Activity,
    Case,
    CaseSource,
    CaseStatus,
    OpinionKind,
    OutputKind,
    VisitMethod,
)
from tongxin.work.services_activities import ParticipantSpec as P

from . import governance_data

SEED = 20220101
TZ = ZoneInfo("Asia/Shanghai")
CITY = "510600"
DISTRICTS = ("510603", "510604", "510623", "510681", "510682", "510683", "510600901")
MEETING_TITLE = "德阳市新的社会阶层人士统战工作推进会"
JOINT_MEETING_RULES = "德阳市新的社会阶层人士统战工作联席会议制度"
# Credit signed for 港澳台侨 enterprises in 2022, in 万元: 62.38亿元 in all.
CREDITS_2022 = [
    Decimal(x)
    for x in (
        "85000.00",
        "62000.00",
        "58000.00",
        "55500.00",
        "52000.00",
        "50000.00",
        "48800.00",
        "45000.00",
        "42000.00",
        "40000.00",
        "38500.00",
        "47000.00",
    )
]
# 涉台涉侨招商 of 2022: (title, day, projects promoted, new Taiwan-funded enterprises landed).
PROMOTIONS_2022 = [
    ("德阳—台湾产业合作招商推介会", dt.date(2022, 4, 26), 16, 4),
    ("海外侨商德阳行招商推介会", dt.date(2022, 8, 19), 15, 3),
    ("川台智能制造产业对接招商推介会", dt.date(2022, 10, 27), 15, 3),
]
NEW_ENTERPRISES = sum(landed for *_, landed in PROMOTIONS_2022)
BANKS = (
    "中国工商银行德阳分行",
    "中国农业银行德阳分行",
    "中国银行德阳分行",
    "中国建设银行德阳分行",
    "德阳农商银行",
    "德阳银行",
)
HKTW_CASE_TOPICS = (
    "用工招聘困难，希望协调人社部门组织专场招聘",
    "厂房扩建用地手续办理缓慢",
    "出口退税到账周期长，资金周转紧张",
    "台胞子女入学需要协调学位",
    "物流通道受阻，原材料运输困难",
    "申请技改补贴，需要政策辅导",
    "融资难，希望对接银行授信",
    "水电气报装时间长",
    "知识产权被侵权，希望依法维权",
    "港籍高管办理居留许可需要协助",
)


@contextmanager
def on(day: dt.date, hour: int = 10) -> Iterator[None]:
    """Run the services as on ``day``: their clocks, deadlines and event times read that day."""
    with time_machine.travel(
        dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False
    ):
        yield


class WorkDemo:
    def __init__(self, regions: dict[str, Region], units: dict[str, Unit]) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 (demo data, not secrets)
        self.regions = regions
        self.units = units
        self.admin = User.objects.get(username="demo_admin")
        self.district = User.objects.get(username="demo_district")
        self.sifa = User.objects.get(username="demo_sifa")
        self.lines = {line.name: line for line in BusinessLine.objects.all()}
        self.types = {c.name: c for c in CodeItem.objects.filter(kind=CodeKind.ACTIVITY_TYPE)}
        self.enterprises = list(
            Organization.objects.filter(org_type__name="企业", archived_at__isnull=True).order_by(
                "pk"
            )
        )
        self.hktw = [o for o in self.enterprises if o.is_taiwan_funded or o.is_overseas_funded]

    # --- helpers ---

    def people(self, category: str, count: int, region: str | None = None) -> list[Person]:
        qs = Person.objects.filter(categories__name=category, archived_at__isnull=True)
        if region:
            qs = qs.filter(region__code=region)
        return list(qs.order_by("pk")[:count])

    def activity(
        self,
        type_: str,
        title: str,
        day: dt.date,
        line: str | None = None,
        region: str = CITY,
        **fields: object,
    ) -> Activity:
        with on(day):
            return activities.activity_create(
                actor=self.admin,
                type=self.types[type_],
                title=title,
                date=day,
                region=self.regions[region],
                line=self.lines[line] if line else None,
                **fields,  # type: ignore[arg-type]
            )

    # --- 2022 ---

    def party_consultations(self) -> None:
        parties = list(Organization.objects.filter(org_type__name="民主党派组织").order_by("pk"))
        speakers = self.people("民主党派成员", 12)
        topics = (
            "经济社会发展形势",
            "优化营商环境",
            "乡村振兴",
            "重大项目建设",
            "民生实事",
            "年度协商计划执行情况",
        )
        for n, topic in enumerate(topics):
            day = dt.date(2022, 2 * n + 1, 18)
            self.activity(
                "政党协商会议",
                f"2022年第{n + 1}次政党协商会议：{topic}",
                day,
                "党派",
                place="市委常委会会议室",
                organizer_units=[self.units["市委统战部"]],
                organizer_organizations=parties,
                participants=[P("exchange", person=p) for p in speakers[2 * n : 2 * n + 2]],
            )

    def face_to_face(self) -> None:
        meetings = [
            ("恳谈会", "民营企业家“面对面”恳谈会（装备制造专场）", dt.date(2022, 3, 22), CITY),
            ("对接会", "民营企业政银企对接会", dt.date(2022, 5, 12), CITY),
            ("恳谈会", "民营企业家“面对面”恳谈会（旌阳区专场）", dt.date(2022, 6, 16), "510603"),
            ("对接会", "民营企业人才供需对接会", dt.date(2022, 9, 8), CITY),
            ("恳谈会", "民营企业家“面对面”恳谈会（广汉市专场）", dt.date(2022, 11, 17), "510681"),
        ]
        bosses = self.people("非公有制经济人士", 25)
        for n, (type_, title, day, region) in enumerate(meetings):
            # A district's own meeting hears that district's entrepreneurs first.
            group = bosses[5 * n : 5 * n + 5]
            if region != CITY:
                local = self.people("非公有制经济人士", 5, region)
                group = (local + [p for p in group if p not in local])[:5]
            activity = self.activity(
                type_,
                title,
                day,
                "非公经济",
                region=region,
                place="德阳市民营经济服务中心",
                organizer_units=[self.units["市委统战部"], self.units["市工商联"]],
                headcount=40 + 5 * n,
                participants=[P("exchange", person=p) for p in group[:3]]
                + [P("takes_part", person=p) for p in group[3:5]],
            )
            for boss in group[:1]:
                with on(day):
                    case = cases.case_create(
                        actor=self.admin,
                        title=f"{boss.employer or boss.name}：融资和用工诉求",
                        text_="恳谈会上反映：企业扩大生产急需流动资金，希望协调银行授信。",
                        source=CaseSource.FACE_TO_FACE,
                        region=activity.region,
                        requester_person=boss,
                        line=self.lines["非公经济"],
                    )
                    unit = self.units["市经信局"]
                    case = cases.case_transition(
                        case=case,
                        to_status=CaseStatus.ASSIGNED,
                        actor=self.admin,
                        units=[unit],
                        deadline=day + dt.timedelta(days=30),
                    )
                self.handle(case, day, unit, days=12 + n, follow_up=True)

    def site_meetings(self) -> None:
        hosts = ("510681", "510623", "510683", "510682")
        for quarter, host in enumerate(hosts, start=1):
            day = dt.date(2022, 3 * quarter, 24)
            self.activity(
                "现场推进会",
                f"2022年第{quarter}季度基层统战工作现场推进会",
                day,
                place=f"{self.regions[host].name}",
                organizer_units=[self.units["市委统战部"]],
                participants=[P("exchange", unit=u) for u in self.district_departments()[:3]],
            )

    def district_departments(self) -> list[Unit]:
        return [
            u
            for u in self.units.values()
            if u.short_name.endswith("委统战部") and u.region.code != CITY
        ]

    def promotions(self) -> None:
        """涉台涉侨招商: 3 promotions, 46 projects, 10 new Taiwan-funded enterprises landed."""
        plan = PROMOTIONS_2022
        enterprise = CodeItem.objects.get(kind=CodeKind.ORG_TYPE, name="企业")
        taizi = CodeItem.objects.get(kind=CodeKind.ORG_SUBTYPE, name="台资企业")
        made = 0
        for title, day, projects, landed in plan:
            new = []
            for _ in range(landed):
                made += 1
                region = self.regions[DISTRICTS[made % len(DISTRICTS)]]
                with on(day):
                    new.append(
                        registry.organization_create(
                            actor=None,
                            name=f"德阳台商第{made}号精密制造有限公司",
                            short_name=f"台商{made}号公司",
                            org_type=enterprise,
                            org_subtype=taizi,
                            region=region,
                            founded_on=day,
                            is_non_public=True,
                            is_taiwan_funded=True,
                        )
                    )
            activity = self.activity(
                "招商推介",
                title,
                day,
                "港澳台侨",
                place="德阳国际会议中心",
                organizer_units=[self.units["市台办"], self.units["市侨办"]],
                landed_enterprises=new,
                headcount=120,
            )
            for n in range(projects):
                activities.project_add(
                    actor=self.admin,
                    activity=activity,
                    name=f"{title[:4]}推介项目{n + 1:02d}",
                    investment=Decimal(self.rng.randrange(2000, 80000)),
                    signed=n % 3 == 0,
                )
        # The credit signing of the year, for 港澳台侨 enterprises.
        signing = self.activity(
            "对接会",
            "港澳台侨企业政银企融资对接会",
            dt.date(2022, 6, 28),
            "港澳台侨",
            place="德阳国际会议中心",
            organizer_units=[self.units["市台办"], self.units["市侨办"]],
        )
        borrowers = (self.hktw or self.enterprises)[: len(CREDITS_2022)]
        for n, amount in enumerate(CREDITS_2022[: len(borrowers)]):
            activities.credit_add(
                actor=self.admin,
                activity=signing,
                enterprise=borrowers[n],
                bank=BANKS[n % len(BANKS)],
                amount=amount,
            )

    def hktw_cases(self, resolved: int = 73) -> None:
        """Difficulties of 港澳台侨 enterprises, handled by the city units through the year."""
        handlers = [self.units[s] for s in ("市台办", "市侨办", "市经信局", "市司法局")]
        firms = self.hktw or self.enterprises
        if not firms:
            return
        for n in range(resolved):
            firm = firms[n % len(firms)]
            received = dt.date(2022, 1, 10) + dt.timedelta(days=(n * 4) % 330)
            unit = handlers[n % len(handlers)]
            with on(received):
                case = cases.case_create(
                    actor=self.admin,
                    title=f"{firm.short_name or firm.name}：{HKTW_CASE_TOPICS[n % 10][:14]}",
                    text_=HKTW_CASE_TOPICS[n % 10] + "。",
                    source=CaseSource.LIAISON if n % 3 else CaseSource.WALK_IN,
                    region=self.regions[CITY],
                    requester_organization=firm,
                    line=self.lines["港澳台侨"],
                    category="涉企困难",
                    received_on=received,
                )
                case = cases.case_transition(
                    case=case,
                    to_status=CaseStatus.ASSIGNED,
                    actor=self.admin,
                    units=[unit],
                    deadline=received + dt.timedelta(days=20),
                )
            self.handle(case, received, unit, days=5 + (n * 7) % 24, follow_up=n % 2 == 0)

    def handle(self, case: Case, received: dt.date, unit: Unit, days: int, follow_up: bool) -> None:
        actor = self.sifa if unit == self.units["市司法局"] else self.admin
        with on(received + dt.timedelta(days=1), hour=9):
            case = cases.case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=actor)
        with on(received + dt.timedelta(days=days), hour=16):
            case = cases.case_transition(
                case=case,
                to_status=CaseStatus.RESOLVED,
                actor=actor,
                resolution="经协调相关部门，问题已解决，企业表示认可。",
            )
        if follow_up:
            with on(received + dt.timedelta(days=days + 7), hour=15):
                cases.case_transition(
                    case=case,
                    to_status=CaseStatus.FOLLOWED_UP,
                    actor=self.admin,
                    satisfaction="satisfied",
                )

    def party_reports(self) -> None:
        """7 research reports of the democratic parties: 5 endorsed by provincial or city leaders,
        3 adopted by 党派中央, 全国人大 or 全国政协."""
        parties = list(Organization.objects.filter(org_type__name="民主党派组织").order_by("pk"))
        topics = (
            "成渝地区双城经济圈建设中德阳装备制造业协同发展",
            "县域医疗卫生服务能力提升",
            "职业教育产教融合",
            "农村集体经济发展",
            "民营企业数字化转型",
            "基层中医药服务",
            "三星堆文化旅游融合发展",
        )
        endorsements = [
            ("province", "省委副书记"),
            ("province", "副省长"),
            ("province", "省政协副主席"),
            ("city", "市委书记"),
            ("city", "市长"),
        ]
        adoptions = ["party_central", "npc", "cppcc"]
        for n, topic in enumerate(topics):
            day = dt.date(2022, 3 + n, 15)
            with on(day):
                report = outputs.output_create(
                    actor=self.admin,
                    kind=OutputKind.RESEARCH_REPORT,
                    title=f"关于{topic}的调研报告",
                    date=day,
                    region=self.regions[CITY],
                    line=self.lines["党派"],
                    authors=[outputs.AuthorSpec(organization=parties[n % len(parties)])]
                    if parties
                    else [],
                )
            if n < len(endorsements):
                level, leader = endorsements[n]
                outputs.endorsement_add(
                    actor=self.admin,
                    output=report,
                    level=level,
                    leader_title=leader,
                    date=day + dt.timedelta(days=20),
                    text_="报告很有价值，请有关部门研究吸纳。",
                )
            if n < len(adoptions):
                outputs.adoption_add(
                    actor=self.admin,
                    output=report,
                    adopter=adoptions[n],
                    date=day + dt.timedelta(days=45),
                )

    def department_outputs(self) -> None:
        """Information and reports of the department: four more affirmative endorsements by
        provincial leaders (seven in the year with the parties' three)."""
        titles = (
            "德阳市“4321工作法”推动新阶统战工作",
            "德阳市非公有制经济人士“同心德阳”行动",
            "德阳市港澳台侨企业服务机制",
            "德阳市宗教活动场所规范管理经验",
        )
        for n, title in enumerate(titles):
            day = dt.date(2022, 4 + 2 * n, 8)
            with on(day):
                info = outputs.output_create(
                    actor=self.admin,
                    kind=OutputKind.INFORMATION,
                    title=title,
                    date=day,
                    region=self.regions[CITY],
                    authors=[outputs.AuthorSpec(unit=self.units["市委统战部"])],
                )
            outputs.endorsement_add(
                actor=self.admin,
                output=info,
                level="province",
                leader_title="省委常委、统战部部长",
                date=day + dt.timedelta(days=12),
                text_="德阳的做法值得总结推广。",
            )
        with on(dt.date(2022, 9, 1)):
            outputs.output_create(
                actor=self.admin,
                kind=OutputKind.POLICY,
                title="德阳市促进民营经济健康发展十五条措施",
                date=dt.date(2022, 9, 1),
                region=self.regions[CITY],
                line=self.lines["非公经济"],
                document_number="德委办发〔2022〕15号",
                authors=[outputs.AuthorSpec(unit=self.units["市委统战部"])],
            )
        for n in range(6):
            day = dt.date(2022, 2 * n + 1, 20)
            with on(day):
                outputs.output_create(
                    actor=self.admin,
                    kind=OutputKind.MEDIA_POST,
                    title=f"“同心德阳”微信公众号：统战故事第{n + 1}期",
                    date=day,
                    region=self.regions[CITY],
                    line=self.lines["宣传"],
                    channel="wechat",
                    reads=3000 + 1700 * n,
                    authors=[outputs.AuthorSpec(unit=self.units["市委统战部"])],
                )

    def trainings(self) -> None:
        classes = [
            (
                "2022年全市新的社会阶层人士代表人士培训班",
                dt.date(2022, 4, 11),
                3,
                "新阶",
                "新的社会阶层人士",
                48,
            ),
            (
                "2022年全市民营经济人士理想信念教育培训班",
                dt.date(2022, 5, 23),
                4,
                "非公经济",
                "非公有制经济人士",
                46,
            ),
            ("2022年全市党外干部培训班", dt.date(2022, 6, 13), 5, "干部", "党外知识分子", 44),
            ("2022年民主党派新成员培训班", dt.date(2022, 9, 19), 3, "党派", "民主党派成员", 42),
            (
                "2022年全市民族宗教界代表人士培训班",
                dt.date(2022, 10, 24),
                3,
                "民族宗教",
                "宗教界人士",
                40,
            ),
        ]
        for title, start, days, line, category, size in classes:
            with on(start):
                training = cadres.training_create(
                    actor=self.admin,
                    title=title,
                    start_date=start,
                    end_date=start + dt.timedelta(days=days - 1),
                    hours=Decimal(8 * days),
                    region=self.regions[CITY],
                    line=self.lines[line],
                    organizer=self.units["市社院"],
                    place="德阳市社会主义学院",
                )
                cadres.trainees_add(
                    actor=self.admin, training=training, people=self.people(category, size)
                )

    def secondments(self) -> None:
        """挂职锻炼 of non-party cadres, four batches: 11, 10, 12 and 16 (the 4th, in 2022)."""
        pool = self.people("党外知识分子", 60) + self.people("无党派人士", 30)
        seen: set[int] = set()
        cadres_ = [p for p in pool if not (p.pk in seen or seen.add(p.pk))]  # type: ignore[func-returns-value]
        # 上挂 to city bureaus, 下派 to the governments of the districts and counties.
        up = ["德阳市发展和改革委员会", "德阳市经济和信息化局", "德阳市民政局", "德阳市教育局"]
        down = ["旌阳区人民政府", "中江县人民政府", "广汉市人民政府", "什邡市人民政府"]
        start = 0
        for batch, (size, year) in enumerate(((11, 2019), (10, 2020), (12, 2021), (16, 2022)), 1):
            for n, person in enumerate(cadres_[start : start + size]):
                day = dt.date(year, 3, 1)
                with on(day):
                    cadres.secondment_create(
                        actor=self.admin,
                        person=person,
                        direction="up" if n % 2 else "down",
                        batch=batch,
                        start_date=day,
                        end_date=dt.date(year + 1, 2, 28),
                        region=self.regions[CITY],
                        host_name=up[n // 2 % len(up)] if n % 2 else down[n // 2 % len(down)],
                        post="挂职副局长" if n % 2 else "挂职副县（市、区）长",
                    )
            start += size

    def dual_reports(self) -> None:
        reps = Person.objects.filter(is_representative=True, archived_at__isnull=True).order_by(
            "pk"
        )
        for n, person in enumerate(reps[:30]):
            with on(dt.date(2022, 12, 10)):
                cadres.dual_report_save(
                    actor=self.admin,
                    person=person,
                    year=2022,
                    visits_made=2 + n % 4,
                    visit_notes="走访所联系的党外人士和基层群众，了解所思所想所盼。",
                    report_title="2022年度履职和走访情况报告",
                    reported_on=dt.date(2022, 12, 10),
                )

    def visits(self) -> None:
        """旌阳区's visits to entrepreneurs and new-stratum people, with what was heard."""
        people = self.people("非公有制经济人士", 8, "510603") + self.people(
            "新的社会阶层人士", 8, "510603"
        )
        heard = [
            (OpinionKind.SUGGESTION, "建议定期组织新阶人士参加政策宣讲。"),
            (OpinionKind.DIFFICULTY, "企业反映办理消防验收周期长，影响投产。"),
            (OpinionKind.THOUGHT, "对德阳营商环境的改善感受明显，愿意扩大投资。"),
        ]
        for n, person in enumerate(people):
            day = dt.date(2022, 1 + n % 12, 5 + n)
            with on(day):
                cases.visit_record(
                    actor=self.district,
                    visited_on=day,
                    method=VisitMethod.ON_SITE if n % 3 else VisitMethod.MEETING,
                    person=person,
                    region=self.regions["510603"],
                    visitors="王志强、旌阳区委统战部工作人员",
                    notes="上门走访，了解企业经营和个人思想状况。",
                    opinions=[heard[n % 3]],
                )

    def open_work(self) -> None:
        """Cases still being handled today: some due soon, some overdue, for the workbench."""
        firms = [o for o in self.enterprises if o.region.code == "510603"][:4]
        today = timezone.localdate()
        for n, firm in enumerate(firms):
            received = today - dt.timedelta(days=25 - 3 * n)
            with on(received):
                case = cases.case_create(
                    actor=self.district,
                    title=f"{firm.short_name or firm.name}：{HKTW_CASE_TOPICS[n][:14]}",
                    text_=HKTW_CASE_TOPICS[n] + "。",
                    source=CaseSource.VISIT,
                    region=self.regions["510603"],
                    requester_organization=firm,
                    category="涉企困难",
                )
                case = cases.case_transition(
                    case=case,
                    to_status=CaseStatus.ASSIGNED,
                    actor=self.district,
                    units=[self.units["市司法局"]],
                    deadline=received + dt.timedelta(days=20 + 2 * n),
                )
            with on(received + dt.timedelta(days=2)):
                case = cases.case_transition(
                    case=case, to_status=CaseStatus.IN_PROGRESS, actor=self.sifa
                )
                cases.case_progress(case=case, actor=self.sifa, note="已与企业电话沟通，正在协调。")

    # --- 2023 ---

    def xinjie_meeting(self) -> Activity:
        """Seed 000: the 2023-07-05 meeting, its speakers, chair, exchange speeches and the
        document it adopted. The joint meeting that document sets up is established that day and
        the meeting is recorded as its first plenary (only a 联席会议 names its mechanism)."""
        day = dt.date(2023, 7, 5)
        with on(day, hour=9):
            rules = outputs.output_create(
                actor=self.admin,
                kind=OutputKind.POLICY,
                title=JOINT_MEETING_RULES,
                date=day,
                region=self.regions[CITY],
                line=self.lines["新阶"],
                authors=[outputs.AuthorSpec(unit=self.units["市委统战部"])],
            )
        with on(day):
            mechanism = governance_data.joint_meeting_establish(
                actor=self.admin,
                units=self.units,
                region=self.regions[CITY],
                line=self.lines["新阶"],
                rules=rules,
            )
        members = [m.unit for m in mechanism.members.select_related("unit")]
        speakers = [
            self.units[s] for s in ("市委网信办", "市司法局", "罗江区委统战部", "中江县委统战部")
        ]
        others = [u for u in members + self.district_departments() if u not in speakers]
        others.append(self.units["经开区党群工作部"])
        return self.activity(
            "联席会议",
            MEETING_TITLE,
            day,
            "新阶",
            mechanism=mechanism,
            start_time=dt.time(9, 30),
            place="德阳市委统战部会议室",
            organizer_units=[self.units["市委统战部"]],
            adopted_outputs=[rules],
            summary=(
                "深入学习贯彻党的二十大精神和习近平总书记关于做好新时代党的统一战线工作的重要思想，"
                "坚持“4321工作法”，扎实推动我市新阶统战工作高质量发展。"
            ),
            participants=[
                P("speaks", name="朱莉", title="市委常委、统战部部长"),
                P("attends", name="曾蓉", title="市委统战部常务副部长、市台办主任、市侨办主任"),
                P("chairs", name="毛毅", title="市委统战部副部长"),
                *[P("exchange", unit=u) for u in speakers],
                *[P("takes_part", unit=u) for u in dict.fromkeys(others)],
            ],
        )


def load_work(regions: dict[str, Region], units: dict[str, Unit]) -> bool:
    """Write the work demo once: the 2023-07-05 meeting marks it as loaded."""
    if Activity.objects.filter(title=MEETING_TITLE, date=dt.date(2023, 7, 5)).exists():
        return False
    demo = WorkDemo(regions, units)
    demo.party_consultations()
    demo.face_to_face()
    demo.site_meetings()
    demo.promotions()
    demo.hktw_cases()
    demo.party_reports()
    demo.department_outputs()
    demo.trainings()
    demo.secondments()
    demo.dual_reports()
    demo.visits()
    demo.xinjie_meeting()
    demo.open_work()
    return True
