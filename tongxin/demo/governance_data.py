"""The governance demo: the 新阶 joint meeting set up on 2023-07-05 (seed 000), and the
department's leading group, written through the governance services on the days they happened.

The 2023-07-05 meeting adopted 《德阳市新的社会阶层人士统战工作联席会议制度》: the mechanism is
established that day with that document as its rules, and the meeting is its first plenary
(work_data.xinjie_meeting calls ``joint_meeting_establish``). Its member units are 市委网信办 and
市司法局, who spoke there for the member units, and the city units of the reference data that such
a joint meeting commonly has. The district departments that spoke (罗江区, 中江县) attended as
各区(市、县)委统战部, whom the seed names apart from the member units: the mechanism reaches them
by tasks assigned to their regions. Later: more plenaries with an issue list closed from meeting
to meeting (the 市委网信办's first item is carried over at one and closed at the next), tasks
(督办事项) dated from today
so that the overdue and due-soon lists have something to show, and the members' duty reports
(述职) of each year since 2023. Dates after 2023-07-05 are the demo's own: the seeds do not give
them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from tongxin.core.models import BusinessLine, Region, Unit, User
from tongxin.governance import services_duty as duty
from tongxin.governance import services_mechanisms as mechanisms
from tongxin.governance import services_tasks as tasks
from tongxin.governance.models import (
    AgendaItem,
    Mechanism,
    MechanismKind,
    MemberUnit,
    Task,
    TaskState,
)
from tongxin.registry.models import CodeItem, CodeKind
from tongxin.work import services_activities as activities
from tongxin.work.models import Activity, Output
from tongxin.work.services_activities import ParticipantSpec as P

# work_data imports this module to establish the mechanism at the seed's meeting; its names are
# read at call time, after both modules are loaded.
from . import work_data as work

JOINT_MEETING = "德阳市新的社会阶层人士统战工作联席会议"
LEADING_GROUP = "德阳市委统一战线工作领导小组"
ESTABLISHED = dt.date(2023, 7, 5)
# The leading group predates the demo's records; its date is the demo's own.
LEADING_GROUP_ESTABLISHED = dt.date(2021, 4, 15)
CHAIR = P("chairs", name="毛毅", title="市委统战部副部长")
REVIEW_GOOD = "履职到位，按时完成议定事项和督办事项。"
REVIEW_FAIR = "基本履职，协同配合有待加强。"


@dataclass(frozen=True)
class MemberSpec:
    unit: str  # short name, as in data.UNITS
    duties: str
    liaison: str | None = None  # username of the unit's liaison, as in data.USERS


JOINT_MEMBERS = (
    MemberSpec(
        "市委网信办",
        "负责网络新媒体从业人员的联系服务和教育引导，指导网络人士联谊会建设；"
        "协同做好涉新阶人士网络舆情研判，维护网络安全和意识形态安全。",
        "demo_liaison",
    ),
    MemberSpec(
        "市司法局",
        "负责律师、公证、司法鉴定等法律服务行业新阶人士的联系服务，指导律师行业联谊组织建设；"
        "组织新阶人士参与公共法律服务和基层社会治理。",
        "demo_sifa",
    ),
    MemberSpec(
        "市委组织部",
        "负责在新阶人士中发现、培养和推荐优秀人才，做好“两新”组织党建工作，"
        "把新阶代表人士纳入党外干部队伍建设统筹考虑。",
    ),
    MemberSpec(
        "市委宣传部",
        "负责新阶统战工作的宣传和思想引领，支持新阶人士开展主题教育和“大走访大宣讲”活动，"
        "宣传新阶人士先进典型。",
        "demo_xuanchuan",
    ),
    MemberSpec(
        "市民政局",
        "负责社会组织登记管理，指导社会组织从业人员中新阶人士的联系服务，"
        "支持新阶联谊组织依法登记、规范运行。",
        "demo_minzheng",
    ),
    MemberSpec(
        "市经信局",
        "负责民营企业和外商投资企业管理技术人员的联系服务，支持新阶人士参与产业发展和企业创新。",
    ),
    MemberSpec(
        "市教育局",
        "负责民办教育机构和教育培训行业从业人员中新阶人士的联系服务和教育引导。",
    ),
    MemberSpec(
        "市工商联",
        "负责联系非公有制企业中的管理技术人员，依托商会组织开展新阶人士教育培训和联谊活动。",
        "demo_gsl",
    ),
)

LEADING_MEMBERS = (
    MemberSpec("市委组织部", "负责党外干部的培养选拔和统筹使用，配合做好党外代表人士队伍建设。"),
    MemberSpec(
        "市委宣传部",
        "负责统一战线的宣传工作，把统一战线理论政策纳入党委（党组）理论学习中心组学习内容。",
        "demo_xuanchuan",
    ),
    MemberSpec("市民宗局", "负责民族宗教工作，推进宗教中国化和民族团结进步创建。"),
    MemberSpec("市台办", "负责对台工作和台胞台企的联系服务，推动德台经贸文化交流。"),
    MemberSpec("市侨办", "负责侨务工作，联系服务归侨侨眷和海外侨胞，引导侨商来德投资。"),
    MemberSpec(
        "市工商联",
        "负责非公有制经济人士思想政治工作和民营企业服务，推动“两个健康”。",
        "demo_gsl",
    ),
)


def _add_members(
    actor: User, mechanism: Mechanism, units: dict[str, Unit], specs: tuple[MemberSpec, ...]
) -> None:
    liaisons = {
        u.username: u
        for u in User.objects.filter(username__in=[s.liaison for s in specs if s.liaison])
    }
    for order, spec in enumerate(specs):
        mechanisms.member_add(
            actor=actor,
            mechanism=mechanism,
            unit=units[spec.unit],
            duties=spec.duties,
            liaison=liaisons[spec.liaison] if spec.liaison else None,
            order=order,
        )


def joint_meeting_establish(
    *,
    actor: User,
    units: dict[str, Unit],
    region: Region,
    line: BusinessLine,
    rules: Output,
) -> Mechanism:
    """The 新阶 joint meeting, with the rules adopted on 2023-07-05 and its member units."""
    mechanism = mechanisms.mechanism_create(
        actor=actor,
        name=JOINT_MEETING,
        kind=MechanismKind.JOINT_MEETING,
        lead_unit=units["市委统战部"],
        region=region,
        line=line,
        established_on=ESTABLISHED,
        rules_document=rules,
    )
    _add_members(actor, mechanism, units, JOINT_MEMBERS)
    return mechanism


@dataclass(frozen=True)
class ItemSpec:
    """An issue raised by a member unit (by its liaison), put on the agenda of the plenary
    ``meeting`` (an index into PLENARIES) and closed there with ``outcome``; if ``carried`` is
    given, it is carried over there with that reason and closed with ``outcome`` at the next."""

    unit: str
    title: str
    text: str
    raised_on: dt.date
    meeting: int
    outcome: str
    carried: str = ""


# (title, date) of the plenaries after the first, the 2023-07-05 meeting of seed 000.
PLENARIES = (
    ("德阳市新的社会阶层人士统战工作联席会议第二次全体会议", dt.date(2023, 12, 19)),
    ("德阳市新的社会阶层人士统战工作联席会议第三次全体会议", dt.date(2024, 6, 26)),
    ("德阳市新的社会阶层人士统战工作联席会议第四次全体会议", dt.date(2025, 6, 25)),
    ("德阳市新的社会阶层人士统战工作联席会议第五次全体会议", dt.date(2026, 6, 24)),
)
ITEMS = (
    ItemSpec(
        "市委网信办",
        "推进网络人士联谊会规范化建设和网络新媒体从业人员分类联系",
        "网络新媒体从业人员流动性大、分布散，建议明确网络人士联谊会的登记路径和"
        "成员单位分工，建立分类联系名单。",
        dt.date(2023, 11, 20),
        meeting=0,
        carried="联谊组织的登记路径需市民政局进一步研究，转下次会议审议。",
        outcome="网络人士联谊会作为市新联会的专业分会登记，由市委网信办牵头、市民政局配合，"
        "年内完成；各成员单位按分工建立分类联系名单。",
    ),
    ItemSpec(
        "市司法局",
        "建立律师行业新阶人士参与涉企矛盾纠纷调解机制",
        "建议组织律师行业新阶人士参与涉企矛盾纠纷调解，与工商联商会调解组织对接。",
        dt.date(2023, 12, 1),
        meeting=0,
        outcome="同意建立律师行业新阶人士参与涉企矛盾纠纷调解机制，由市司法局会同市工商联实施。",
    ),
    ItemSpec(
        "市民政局",
        "社会组织从业人员中新阶代表人士摸底建档",
        "建议结合社会组织年检，摸清社会组织从业人员中新阶代表人士情况并建档。",
        dt.date(2024, 6, 3),
        meeting=1,
        outcome="同意结合社会组织年检开展摸底，由市民政局牵头建档。",
    ),
    ItemSpec(
        "市工商联",
        "开展民营企业管理技术人员“同心”培训",
        "建议依托商会组织，分行业开展民营企业管理技术人员培训，纳入年度培训计划。",
        dt.date(2025, 6, 4),
        meeting=2,
        outcome="同意纳入年度培训计划，由市工商联会同市社院组织实施。",
    ),
    ItemSpec(
        "市委网信办",
        "组织网络新媒体从业人员参与网络文明建设",
        "建议组织网络人士联谊会会员参与网络文明建设，开展正能量内容创作。",
        dt.date(2026, 6, 2),
        meeting=3,
        outcome="同意由市委网信办牵头开展网络文明建设主题活动，市委宣传部配合宣传。",
    ),
)
# Raised a few days before today, waiting for the next plenary.
PENDING_ITEM = (
    "市委宣传部",
    "新阶人士“大走访大宣讲”活动年度安排",
    "建议联席会议审议下一年度“大走访大宣讲”活动安排，明确各成员单位联系的宣讲对象。",
)


def last_reported_year(today: dt.date) -> int:
    """The last year whose duty reports the demo has in and scored: a year's reports are
    submitted in the January after and scored by 20 February."""
    return today.year - 1 if today > dt.date(today.year, 2, 20) else today.year - 2


class GovernanceDemo:
    def __init__(self, regions: dict[str, Region], units: dict[str, Unit]) -> None:
        self.regions = regions
        self.units = units
        self.city = regions[work.CITY]
        self.today = timezone.localdate()
        users = {u.username: u for u in User.objects.filter(username__startswith="demo_")}
        self.admin = users["demo_admin"]
        self.keeper = users["demo_city"]  # 新阶科: keeps the joint meeting
        self.users = users
        self.xinjie = BusinessLine.objects.get(name="新阶")
        self.types = {c.name: c for c in CodeItem.objects.filter(kind=CodeKind.ACTIVITY_TYPE)}

    # --- the joint meeting ---

    def joint_meeting(self) -> Mechanism:
        """The mechanism established at the seed's meeting; a demo loaded before mechanisms
        existed gets it now, and its 2023-07-05 meeting is linked to it."""
        found = Mechanism.objects.filter(name=JOINT_MEETING, region=self.city).first()
        if found is not None:
            return found
        seed_meeting = Activity.objects.get(title=work.MEETING_TITLE, date=ESTABLISHED)
        rules = seed_meeting.adopted_outputs.get(title=work.JOINT_MEETING_RULES)
        with work.on(ESTABLISHED):
            mechanism = joint_meeting_establish(
                actor=self.admin, units=self.units, region=self.city, line=self.xinjie, rules=rules
            )
            activities.activity_update(
                actor=self.admin,
                activity=seed_meeting,
                type=self.types["联席会议"],
                mechanism=mechanism,
            )
        return mechanism

    def members(self, mechanism: Mechanism) -> dict[str, MemberUnit]:
        return {m.unit.short_name: m for m in mechanism.members.select_related("unit", "liaison")}

    def plenaries(self, mechanism: Mechanism) -> list[Activity]:
        """The later plenaries: each is put on the calendar at the one before (so that items can
        be carried over to it), and its attendance is recorded on the day."""
        planned = []
        previous = ESTABLISHED
        for title, day in PLENARIES:
            with work.on(previous, hour=16):
                planned.append(
                    activities.activity_create(
                        actor=self.keeper,
                        type=self.types["联席会议"],
                        title=title,
                        date=day,
                        start_time=dt.time(9, 0),
                        place="德阳市委统战部会议室",
                        region=self.city,
                        line=self.xinjie,
                        mechanism=mechanism,
                        organizer_units=[self.units["市委统战部"]],
                    )
                )
            previous = day
        return planned

    def raise_item(self, member: MemberUnit, title: str, text_: str, day: dt.date) -> AgendaItem:
        assert member.liaison is not None  # the demo's raising units all have a liaison
        with work.on(day):
            return mechanisms.agenda_raise(
                actor=member.liaison, member=member, title=title, text_=text_, raised_on=day
            )

    def issue_list(self, mechanism: Mechanism, members: dict[str, MemberUnit]) -> None:
        """Each plenary takes the items raised before it and those carried over to it, hears the
        raising units, and closes or carries over every item on its agenda, so that it settles;
        the 网信办's first item is carried over at one plenary and closed at the next. One item
        raised a few days ago waits for the next plenary."""
        meetings = self.plenaries(mechanism)
        # (item, the note it is settled with, the outcome at the next plenary if it is carried
        # over) of each plenary
        agendas: list[list[tuple[AgendaItem, str, str]]] = [[] for _ in meetings]
        for spec in ITEMS:
            item = self.raise_item(members[spec.unit], spec.title, spec.text, spec.raised_on)
            meeting = meetings[spec.meeting]
            with work.on(meeting.date - dt.timedelta(days=7)):
                item = mechanisms.agenda_schedule(actor=self.keeper, item=item, meeting=meeting)
            if spec.carried:
                agendas[spec.meeting].append((item, spec.carried, spec.outcome))
            else:
                agendas[spec.meeting].append((item, spec.outcome, ""))
        for n, meeting in enumerate(meetings):
            units = list(dict.fromkeys(item.raised_by.unit for item, _, _ in agendas[n]))
            with work.on(meeting.date, hour=17):
                activities.participations_add(
                    actor=self.keeper,
                    activity=meeting,
                    participants=[
                        CHAIR,
                        *[P("exchange", unit=u) for u in units],
                        *[
                            P("takes_part", unit=m.unit)
                            for m in members.values()
                            if m.unit not in units
                        ],
                    ],
                )
                for item, note, next_outcome in agendas[n]:
                    if not next_outcome:
                        mechanisms.agenda_close(actor=self.keeper, item=item, note=note)
                        continue
                    successor = mechanisms.agenda_carry_over(
                        actor=self.keeper, item=item, next_meeting=meetings[n + 1], note=note
                    )
                    agendas[n + 1].append((successor, next_outcome, ""))
                mechanisms.meeting_settle(actor=self.keeper, meeting=meeting)
        unit, title, text_ = PENDING_ITEM
        self.raise_item(members[unit], title, text_, self.today - dt.timedelta(days=9))

    # --- tasks (督办事项) ---

    def task(
        self,
        mechanism: Mechanism,
        created: dt.date,
        title: str,
        deadline: dt.date,
        expected: str,
        unit: str | None = None,
        region: str | None = None,
    ) -> Task:
        with work.on(created):
            return tasks.task_create(
                actor=self.keeper,
                title=title,
                region=self.city,
                line=self.xinjie,
                mechanism=mechanism,
                owner=self.keeper,
                deadline=deadline,
                expected_result=expected,
                assignee_unit=self.units[unit] if unit else None,
                assignee_region=self.regions[region] if region else None,
            )

    def work_on(
        self,
        task: Task,
        handler: User,
        started: dt.date,
        progress: list[tuple[dt.date, str]],
        done: tuple[dt.date, str] | None = None,
    ) -> Task:
        with work.on(started, hour=9):
            task = tasks.task_transition(task=task, to_state=TaskState.IN_PROGRESS, actor=handler)
        for day, note in progress:
            with work.on(day, hour=15):
                tasks.task_progress(task=task, actor=handler, note=note)
        if done is not None:
            day, result = done
            with work.on(day, hour=16):
                task = tasks.task_transition(
                    task=task, to_state=TaskState.DONE, actor=handler, result=result
                )
        return task

    def tasks(self, mechanism: Mechanism) -> None:
        u = self.users
        done = self.task(
            mechanism,
            dt.date(2023, 7, 10),
            "制定网络人士联谊会规范化建设方案",
            dt.date(2023, 9, 30),
            "形成网络人士联谊会规范化建设方案，报联席会议办公室。",
            unit="市委网信办",
        )
        self.work_on(
            done,
            u["demo_liaison"],
            dt.date(2023, 7, 12),
            [
                (
                    dt.date(2023, 8, 18),
                    "已完成网络新媒体从业人员摸底，方案初稿正在征求成员单位意见。",
                )
            ],
            (dt.date(2023, 9, 22), "方案已印发，明确了联谊会的组织架构、会员发展和活动制度。"),
        )
        done = self.task(
            mechanism,
            dt.date(2023, 7, 10),
            "开展律师行业新阶人士情况摸底",
            dt.date(2023, 10, 31),
            "摸清全市律师行业新阶人士情况，建立联系名单。",
            unit="市司法局",
        )
        self.work_on(
            done,
            u["demo_sifa"],
            dt.date(2023, 7, 14),
            [(dt.date(2023, 9, 5), "已向各律师事务所下发摸底表，正在汇总。")],
            (dt.date(2023, 10, 20), "摸底完成，联系名单已报联席会议办公室。"),
        )
        done = self.task(
            mechanism,
            dt.date(2023, 12, 20),
            "推动罗江区新联会规范化建设",
            dt.date(2024, 5, 31),
            "罗江区新联会完成章程修订和理事会调整，建立活动阵地。",
            region="510604",
        )
        self.work_on(
            done,
            u["demo_luojiang"],
            dt.date(2023, 12, 25),
            [(dt.date(2024, 3, 15), "章程修订稿已通过理事会审议，活动阵地正在选址。")],
            (dt.date(2024, 5, 20), "新联会章程已修订，理事会已调整，活动阵地已挂牌。"),
        )
        # Open today: the justice bureau's task is overdue, the 网信办's is due within 3 days.
        today = self.today
        overdue = self.task(
            mechanism,
            today - dt.timedelta(days=30),
            "组织律师行业新阶人士开展“法律服务进民企”活动",
            today - dt.timedelta(days=4),
            "在各区（市、县）开展“法律服务进民企”活动，形成活动总结和典型案例报联席会议办公室。",
            unit="市司法局",
        )
        self.work_on(
            overdue,
            u["demo_sifa"],
            today - dt.timedelta(days=28),
            [(today - dt.timedelta(days=10), "已在旌阳区、广汉市开展活动，活动总结正在修改完善。")],
        )
        due_soon = self.task(
            mechanism,
            today - dt.timedelta(days=20),
            "报送网络人士联谊会年度活动计划",
            today + dt.timedelta(days=2),
            "报送下一年度网络人士联谊会活动计划。",
            unit="市委网信办",
        )
        self.work_on(
            due_soon,
            u["demo_liaison"],
            today - dt.timedelta(days=18),
            [(today - dt.timedelta(days=6), "活动计划已形成初稿，正在征求会员意见。")],
        )
        district = self.task(
            mechanism,
            today - dt.timedelta(days=15),
            "开展新阶人士“大走访大宣讲”活动",
            today + dt.timedelta(days=25),
            "走访辖区新阶代表人士，开展政策宣讲，收集所思所想所盼。",
            region="510603",
        )
        self.work_on(
            district,
            u["demo_district"],
            today - dt.timedelta(days=12),
            [(today - dt.timedelta(days=5), "已走访新阶代表人士，组织宣讲一场。")],
        )
        self.task(
            mechanism,
            today - dt.timedelta(days=5),
            "摸清社会组织从业人员中新阶代表人士底数",
            today + dt.timedelta(days=40),
            "形成社会组织从业人员中新阶代表人士名单。",
            unit="市民政局",
        )

    # --- duty reports (述职) ---

    def duty_reports(
        self, mechanism: Mechanism, reviewer: User, scores: dict[str, Decimal], waiting: str = ""
    ) -> None:
        """Each year's reports since the mechanism was set up, up to the last year reported,
        submitted by the liaisons in the January after and scored in February. Scores are
        ``scores`` for the last year, a point lower for each year before; the ``waiting`` unit's
        last report still waits for its score."""
        members = [m for m in self.members(mechanism).values() if m.liaison]
        last = last_reported_year(self.today)
        # The demo's work records reach back to 2022; its duty reports begin with 2023.
        for year in range(max(mechanism.established_on.year, 2023), last + 1):
            for n, member in enumerate(members):
                assert member.liaison is not None
                with work.on(dt.date(year + 1, 1, 8 + n)):
                    report = duty.duty_report_submit(
                        actor=member.liaison,
                        member=member,
                        year=year,
                        text_=f"{member.unit.short_name}{year}年度履行{mechanism.name}成员单位"
                        f"职责情况：{member.duties}全年按分工落实会议议定事项和督办事项。",
                    )
                unit = member.unit.short_name
                if year == last and unit == waiting:
                    continue
                score = scores[unit] - (last - year)
                with work.on(dt.date(year + 1, 2, 20)):
                    duty.duty_report_score(
                        actor=reviewer,
                        report=report,
                        score=score,
                        review=REVIEW_GOOD if score >= 90 else REVIEW_FAIR,
                    )

    # --- the leading group ---

    def leading_group(self) -> Mechanism:
        """A smaller example: the leading group, its members, a meeting and the reports of the
        members with a liaison."""
        with work.on(LEADING_GROUP_ESTABLISHED):
            group = mechanisms.mechanism_create(
                actor=self.admin,
                name=LEADING_GROUP,
                kind=MechanismKind.LEADING_GROUP,
                lead_unit=self.units["市委统战部"],
                region=self.city,
                established_on=LEADING_GROUP_ESTABLISHED,
            )
            _add_members(self.admin, group, self.units, LEADING_MEMBERS)
        day = dt.date(2024, 3, 12)
        with work.on(day, hour=17):
            activities.activity_create(
                actor=self.admin,
                type=self.types["领导小组会议"],
                title="德阳市委统一战线工作领导小组2024年全体会议",
                date=day,
                place="市委常委会会议室",
                region=self.city,
                mechanism=group,
                organizer_units=[self.units["市委统战部"]],
                participants=[
                    P("speaks", name="朱莉", title="市委常委、统战部部长"),
                    CHAIR,
                    *[P("takes_part", unit=m.unit) for m in group.members.select_related("unit")],
                ],
            )
        self.duty_reports(
            group, self.admin, {"市委宣传部": Decimal("93"), "市工商联": Decimal("91")}
        )
        return group


def load_governance(regions: dict[str, Region], units: dict[str, Unit]) -> bool:
    """Write the governance demo once: the leading group, written last, marks it as loaded."""
    if Mechanism.objects.filter(name=LEADING_GROUP, region=regions[work.CITY]).exists():
        return False
    demo = GovernanceDemo(regions, units)
    joint = demo.joint_meeting()
    demo.issue_list(joint, demo.members(joint))
    demo.tasks(joint)
    demo.duty_reports(
        joint,
        demo.keeper,
        {
            "市委网信办": Decimal("95"),
            "市司法局": Decimal("92.5"),
            "市委宣传部": Decimal("90"),
            "市民政局": Decimal("87"),
            "市工商联": Decimal("91"),
        },
        waiting="市工商联",
    )
    demo.leading_group()
    return True
