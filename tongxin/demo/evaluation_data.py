"""The department's evaluations (issue 5, point 5), set up through the indicator services on the
days they happened, from the records the registry and work demos wrote:

- 德阳非公企业50强: ranked by revenue alone, like the national list; its 2022 round published
  in March 2023 (seed 003: 首次评选并发布, 50家), its 2023 round a year later, so the two lists
  compare. A weighted set (营业收入, 纳税额, 从业人数, 研发投入, and 社会责任 entered with
  evidence) has a computed 2022 round, not published: the department's trial of a broader method.
- 入围2022四川省民营企业100强 (12家): designations of kind 四川省民营企业100强 (batch 2022年,
  issuer 四川省工商业联合会), not an indicator set. The provincial federation ranks; the
  department only records who entered its list. A designation is how the registry already keeps
  a title given by batch (同心德阳基地, 示范场所), so the entrants show on each enterprise's page,
  filter in the organization list, and count by batch — the count is ``private_100_entrants``.
- 联谊组织标准化建设星级评定: the 2022 checklist (章程、理事会、阵地、制度、活动) and the
  members → score and stars, published; 2023 computed.
- “同心德阳”统战工作基地考评: 2023, three indicators entered with evidence by 李文静 (demo_city).
- 民主党派竞争激励考评: the parties' 2022 reports, endorsed and adopted (the work demo's 7/5/3),
  and 社会服务 entered with evidence; published.
- 区（市、县）统战工作目标考核: 2022 activities, visits, endorsed outputs, on-time cases of each
  district, and 重点任务落实 scored by the assessment team; computed.

Deterministic: one seed; entered values follow the subjects in the order the round lists them."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.db.models import QuerySet

from tongxin.core.models import BusinessLine, Region, User
from tongxin.governance import services_indicators as sets
from tongxin.governance import services_rounds as rounds
from tongxin.governance.models_indicators import (
    IndicatorSet,
    ScoringRule,
    SourceKind,
    SubjectType,
    TieRule,
)
from tongxin.governance.models_rounds import EvaluationRound
from tongxin.registry import services as registry
from tongxin.registry.models import (
    CodeItem,
    CodeKind,
    Designation,
    EnterpriseFigure,
    Organization,
)

from .work_data import CITY, on

SEED = 20230328

TOP_50 = "德阳非公企业50强"
TOP_50_WEIGHTED = "德阳非公企业综合评价"
LIANYI = "联谊组织标准化建设星级评定"
BASES = "“同心德阳”统战工作基地考评"
PARTIES = "民主党派竞争激励考评"
DISTRICTS = "区（市、县）统战工作目标考核"

PRIVATE_100 = "private_100"  # code of the designation kind 四川省民营企业100强
PRIVATE_100_ISSUER = "四川省工商业联合会"
# The 2022 provincial list ranks the enterprises by their 2021 revenue (as the national list
# does); the demo's entrants are the 12 largest Deyang enterprises of 2021.
PRIVATE_100_LISTS = [(2022, dt.date(2022, 9, 27), 2021, 12)]  # (list, published, revenue of, n)

ENTERED = SourceKind.ENTERED
COMPUTED = SourceKind.COMPUTED
RANK, LINEAR, THRESHOLDS = ScoringRule.RANK, ScoringRule.LINEAR, ScoringRule.THRESHOLDS


def private_100_entrants(year: int) -> QuerySet[Designation]:
    """The enterprises on the 四川省民营企业100强 list of ``year`` (its batch), not revoked."""
    return Designation.objects.filter(
        kind__kind=CodeKind.DESIGNATION_KIND,
        kind__code=PRIVATE_100,
        batch=f"{year}年",
        revoked_on__isnull=True,
    )


class EvaluationDemo:
    def __init__(self, regions: dict[str, Region]) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 (demo data, not secrets)
        self.city = regions[CITY]
        users = {u.username: u for u in User.objects.filter(username__startswith="demo_")}
        self.admin = users["demo_admin"]
        self.economy = users["demo_feigong"]  # 张海峰, 经济科: keeps the 50强 sets (非公经济)
        self.keeper = users["demo_city"]  # 李文静, 新阶科
        self.lines = {line.name: line for line in BusinessLine.objects.all()}

    # --- helpers ---

    def create_set(
        self,
        day: dt.date,
        actor: User,
        *,
        indicators: list[dict[str, object]],
        line: str | None = None,
        **fields: object,
    ) -> IndicatorSet:
        with on(day):
            indicator_set = sets.set_create(
                actor=actor,
                region=self.city,
                line=self.lines[line] if line else None,
                **fields,  # type: ignore[arg-type]
            )
            for spec in indicators:
                sets.indicator_add(actor=actor, indicator_set=indicator_set, **spec)  # type: ignore[arg-type]
        return indicator_set

    def open_round(
        self, day: dt.date, actor: User, indicator_set: IndicatorSet, year: int
    ) -> EvaluationRound:
        with on(day):
            return rounds.round_create(actor=actor, indicator_set=indicator_set, year=year)

    def compute(self, day: dt.date, actor: User, evaluation: EvaluationRound) -> EvaluationRound:
        with on(day, hour=15):
            return rounds.round_compute(actor=actor, evaluation=evaluation)

    def publish(self, day: dt.date, actor: User, evaluation: EvaluationRound) -> EvaluationRound:
        with on(day, hour=16):
            return rounds.round_publish(actor=actor, evaluation=evaluation)

    def enter(
        self,
        day: dt.date,
        actor: User,
        evaluation: EvaluationRound,
        name: str,
        values: Sequence[tuple[Organization | Region, int, str]],
    ) -> None:
        """(subject, value, evidence) for the entered indicator ``name``."""
        indicator = evaluation.set.indicators.get(name=name)
        with on(day, hour=11):
            for subject, value, evidence in values:
                rounds.value_enter(
                    actor=actor,
                    evaluation=evaluation,
                    indicator=indicator,
                    subject=subject,
                    value=value,
                    evidence=evidence,
                )

    def subjects(self, evaluation: EvaluationRound) -> list[Organization]:
        pks = [s.pk for s in rounds.round_subjects(evaluation)]
        found = Organization.objects.in_bulk(pks)
        return [found[pk] for pk in pks]

    # --- 非公企业50强 ---

    def top_50(self) -> None:
        """By revenue alone: one indicator scored by rank, so that the totals fall exactly in
        the order of revenue (weight × (n − rank + 1) / n is distinct for each rank while n ≤
        10000, the cent rounding keeping them apart); equal revenue share a rank (1, 2, 2, 4)."""
        top = self.create_set(
            dt.date(2023, 1, 9),
            self.economy,
            name=TOP_50,
            subject_type=SubjectType.ENTERPRISE,
            eligibility="non_public_local",
            line="非公经济",
            list_size=50,
            tie_rule=TieRule.SHARED,
            description=(
                "参照全国工商联“中国民营企业500强”的做法，以企业考评年度营业收入为唯一指标，"
                "从高到低排序，取前50名；营业收入相同者并列。"
            ),
            indicators=[
                dict(
                    name="营业收入",
                    weight=100,
                    rule=RANK,
                    source_kind=COMPUTED,
                    metric="enterprise.revenue",
                    description="按营业收入在全部参评企业中的名次计分，名次越前得分越高。",
                )
            ],
        )
        first = self.open_round(dt.date(2023, 2, 20), self.economy, top, 2022)
        self.compute(dt.date(2023, 3, 10), self.economy, first)
        self.publish(dt.date(2023, 3, 28), self.economy, first)
        second = self.open_round(dt.date(2024, 2, 19), self.economy, top, 2023)
        self.compute(dt.date(2024, 3, 8), self.economy, second)
        self.publish(dt.date(2024, 3, 26), self.economy, second)

    def top_50_weighted(self) -> None:
        weighted = self.create_set(
            dt.date(2023, 4, 10),
            self.economy,
            name=TOP_50_WEIGHTED,
            subject_type=SubjectType.ENTERPRISE,
            eligibility="non_public_local",
            line="非公经济",
            list_size=50,
            tie_rule=TieRule.FIRST_INDICATOR,
            description=(
                "在营业收入之外兼顾纳税、就业、创新和社会责任的综合评价（试行），"
                "与“德阳非公企业50强”并行测算，暂不发布。"
            ),
            indicators=[
                dict(name="营业收入", weight=40, rule=RANK, source_kind=COMPUTED,
                     metric="enterprise.revenue"),
                dict(name="纳税额", weight=20, rule=RANK, source_kind=COMPUTED,
                     metric="enterprise.tax"),
                dict(name="从业人数", weight=10, rule=RANK, source_kind=COMPUTED,
                     metric="enterprise.employees"),
                dict(name="研发投入", weight=15, rule=RANK, source_kind=COMPUTED,
                     metric="enterprise.rd_spend"),
                dict(
                    name="社会责任",
                    weight=15,
                    rule=LINEAR,
                    lower_bound=0,
                    upper_bound=100,
                    source_kind=ENTERED,
                    unit_label="分",
                    description="由市工商联按公益捐赠、参与“万企兴万村”、稳岗就业和安全环保"
                    "情况评分（百分制），附评价表。",
                ),
            ],
        )  # fmt: skip
        evaluation = self.open_round(dt.date(2023, 4, 10), self.economy, weighted, 2022)
        values = []
        for firm in self.subjects(evaluation):
            donated = self.rng.randrange(2, 260)
            villages = self.rng.randrange(0, 4)
            score = min(100, 55 + donated // 8 + 6 * villages + self.rng.randrange(0, 8))
            values.append(
                (
                    firm,
                    score,
                    f"市工商联《2022年度民营企业社会责任评价表》：公益捐赠{donated}万元，"
                    f"参与“万企兴万村”结对项目{villages}个，全年无重大安全生产和环保事故。",
                )
            )
        self.enter(dt.date(2023, 4, 20), self.economy, evaluation, "社会责任", values)
        self.compute(dt.date(2023, 4, 28), self.economy, evaluation)

    def private_100(self) -> None:
        kind = CodeItem.objects.get(kind=CodeKind.DESIGNATION_KIND, code=PRIVATE_100)
        for year, published, revenue_year, count in PRIVATE_100_LISTS:
            largest = (
                EnterpriseFigure.objects.filter(
                    year=revenue_year,
                    revenue__isnull=False,
                    organization__is_non_public=True,
                    organization__org_type__kind=CodeKind.ORG_TYPE,
                    organization__org_type__code="qiye",
                    organization__region__path__startswith=self.city.path,
                    organization__archived_at__isnull=True,
                )
                .select_related("organization")
                .order_by("-revenue", "organization__name_pinyin")[:count]
            )
            with on(published):
                for figure in largest:
                    registry.designation_add(
                        actor=None,
                        organization=figure.organization,
                        kind=kind,
                        batch=f"{year}年",
                        designated_on=published,
                        issuer=PRIVATE_100_ISSUER,
                        notes=f"入围{year}四川省民营企业100强（以{revenue_year}年营业收入排序）",
                    )

    # --- 联谊组织 ---

    def lianyi(self) -> None:
        """标准化建组织、指标化强激励 (seed 000): the checklist carries most of the score."""
        lianyi = self.create_set(
            dt.date(2022, 12, 5),
            self.keeper,
            name=LIANYI,
            subject_type=SubjectType.ORGANIZATION,
            eligibility="lianyi",
            line="新阶",
            star_cutoffs=[[5, 90], [4, 75], [3, 60]],
            description=(
                "坚持标准化建组织、规范化抓管理、指标化强激励：以标准化建设检查达标项数为主，"
                "兼顾成员队伍规模，评定五星、四星、三星联谊组织。"
            ),
            indicators=[
                dict(
                    name="标准化建设",
                    weight=80,
                    rule=THRESHOLDS,
                    thresholds=[[1, "0.2"], [2, "0.4"], [3, "0.6"], [4, "0.8"], [5, 1]],
                    source_kind=COMPUTED,
                    metric="organization.standard_items",
                    description="章程、理事会、阵地、制度、活动，每达标1项得16分。",
                ),
                dict(
                    name="成员队伍",
                    weight=20,
                    rule=LINEAR,
                    lower_bound=0,
                    upper_bound=60,
                    source_kind=COMPUTED,
                    metric="organization.members",
                    description="成员60人及以上得满分，不足的按人数折算。",
                ),
            ],
        )
        first = self.open_round(dt.date(2023, 1, 5), self.keeper, lianyi, 2022)
        self.compute(dt.date(2023, 1, 12), self.keeper, first)
        self.publish(dt.date(2023, 1, 18), self.keeper, first)
        second = self.open_round(dt.date(2024, 1, 8), self.keeper, lianyi, 2023)
        self.compute(dt.date(2024, 1, 15), self.keeper, second)

    # --- 同心德阳基地 ---

    def bases(self) -> None:
        """The first 10 bases (第一批, named 2022-09-28) evaluated after their first full year;
        the set is the department's, its values entered by 李文静 from the bases' files."""
        bases = self.create_set(
            dt.date(2023, 11, 6),
            self.admin,
            name=BASES,
            subject_type=SubjectType.DESIGNATION,
            eligibility="tongxin_base",
            star_cutoffs=[[5, 90], [4, 80], [3, 70]],
            description="对已命名的“同心德阳”统战工作基地按阵地建设、活动开展、示范带动考评，"
            "评定星级，实行动态管理。",
            indicators=[
                dict(name="阵地建设", weight=35, rule=LINEAR, lower_bound=0, upper_bound=100,
                     source_kind=ENTERED, unit_label="分",
                     description="有场所、有标识、有制度、有展陈，考评组现场查看评分（百分制）。"),
                dict(name="活动开展", weight=35, rule=LINEAR, lower_bound=0, upper_bound=100,
                     source_kind=ENTERED, unit_label="分",
                     description="全年开展统战主题活动的场次和参与人次，按活动台账评分（百分制）。"),
                dict(name="示范带动", weight=30, rule=LINEAR, lower_bound=0, upper_bound=100,
                     source_kind=ENTERED, unit_label="分",
                     description="接待参观交流、经验做法被推广的情况，按佐证材料评分（百分制）。"),
            ],
        )  # fmt: skip
        evaluation = self.open_round(dt.date(2023, 12, 1), self.keeper, bases, 2023)
        venue, events, example = [], [], []
        for base in self.subjects(evaluation):
            area = self.rng.randrange(80, 600, 10)
            held = self.rng.randrange(4, 16)
            people = held * self.rng.randrange(20, 60)
            visits = self.rng.randrange(2, 14)
            venue.append(
                (
                    base,
                    min(100, 70 + area // 25),
                    f"2023年12月考评组现场查看：阵地面积{area}平方米，标识牌、工作制度上墙，"
                    "设统战政策宣传展陈。",
                )
            )
            events.append(
                (
                    base,
                    min(100, 62 + 3 * held),
                    f"活动台账：2023年开展统战主题活动{held}场，参与{people}人次。",
                )
            )
            example.append(
                (
                    base,
                    min(100, 66 + 3 * visits),
                    f"接待参观学习{visits}批次；经验做法在全市基层统战工作现场推进会上交流。",
                )
            )
        self.enter(dt.date(2023, 12, 11), self.keeper, evaluation, "阵地建设", venue)
        self.enter(dt.date(2023, 12, 13), self.keeper, evaluation, "活动开展", events)
        self.enter(dt.date(2023, 12, 15), self.keeper, evaluation, "示范带动", example)
        self.compute(dt.date(2024, 1, 10), self.keeper, evaluation)

    # --- 民主党派 ---

    def parties(self) -> None:
        parties = self.create_set(
            dt.date(2022, 12, 12),
            self.admin,
            name=PARTIES,
            subject_type=SubjectType.PARTY_COMMITTEE,
            eligibility="party_committee",
            line="党派",
            description="支持民主党派围绕市委中心工作建言献策、服务社会，按调研成果和社会服务"
            "情况考评，激励比学赶超。",
            indicators=[
                dict(name="调研报告", weight=30, rule=THRESHOLDS,
                     thresholds=[[1, "0.6"], [2, "0.8"], [3, 1]],
                     source_kind=COMPUTED, metric="party.research_reports",
                     description="形成1篇得18分，2篇得24分，3篇及以上得满分。"),
                dict(name="获领导批示", weight=25, rule=THRESHOLDS,
                     thresholds=[[1, "0.8"], [2, 1]],
                     source_kind=COMPUTED, metric="party.reports_endorsed",
                     description="获市级及以上领导批示1篇得20分，2篇及以上得满分。"),
                dict(name="被采用", weight=25, rule=THRESHOLDS, thresholds=[[1, "0.8"], [2, 1]],
                     source_kind=COMPUTED, metric="party.reports_adopted",
                     description="被党派中央、全国人大、全国政协等采用1篇得20分，2篇及以上得满分。"),
                dict(name="社会服务", weight=20, rule=LINEAR, lower_bound=0, upper_bound=12,
                     source_kind=ENTERED, unit_label="次",
                     description="全年开展义诊、助学、法律咨询等社会服务活动次数，12次及以上得满分；"
                     "附党派市委会活动台账。"),
            ],
        )  # fmt: skip
        evaluation = self.open_round(dt.date(2023, 1, 6), self.admin, parties, 2022)
        services = ("义诊", "助学", "法律咨询", "科技下乡", "送文化下乡")
        values = []
        for party in self.subjects(evaluation):
            held = self.rng.randrange(5, 15)
            served = held * self.rng.randrange(60, 200)
            kinds = "、".join(self.rng.sample(services, 3))
            values.append(
                (
                    party,
                    held,
                    f"{party.short_name or party.name}2022年度社会服务活动台账：开展{kinds}等"
                    f"活动{held}次，服务群众{served}人次，经市委统战部党派科核实。",
                )
            )
        self.enter(dt.date(2023, 1, 10), self.admin, evaluation, "社会服务", values)
        self.compute(dt.date(2023, 1, 16), self.admin, evaluation)
        self.publish(dt.date(2023, 1, 20), self.admin, evaluation)

    # --- 目标考核 ---

    def districts(self) -> None:
        """统战工作纳入市委党务目标考核 (seed 003): the districts' records of the year, and the
        assessment team's score of the key tasks."""
        target = self.create_set(
            dt.date(2022, 12, 20),
            self.admin,
            name=DISTRICTS,
            subject_type=SubjectType.REGION,
            eligibility="districts",
            description="统战工作纳入市委党务目标考核：按各区（市、县）和德阳经开区全年开展活动、"
            "走访联系、诉求办理、成果获批示情况和重点任务落实情况考核。",
            indicators=[
                dict(name="开展活动", weight=25, rule=LINEAR, lower_bound=0, upper_bound=4,
                     source_kind=COMPUTED, metric="region.activities",
                     description="全年开展统战活动4场及以上得满分，不足的按场次折算。"),
                dict(name="走访联系", weight=20, rule=LINEAR, lower_bound=0, upper_bound=12,
                     source_kind=COMPUTED, metric="region.visits",
                     description="全年走访统战对象12次及以上得满分，不足的按次数折算。"),
                dict(name="诉求按期办结", weight=20, rule=THRESHOLDS,
                     thresholds=[[60, "0.6"], [80, "0.8"], [95, 1]],
                     source_kind=COMPUTED, metric="region.cases_on_time",
                     description="按期办结率95%及以上得满分，80%得16分，60%得12分；"
                     "当年没有诉求的记为无数据。"),
                dict(name="成果获批示", weight=15, rule=LINEAR, lower_bound=0, upper_bound=2,
                     source_kind=COMPUTED, metric="region.outputs_endorsed",
                     description="成果获肯定性批示2篇及以上得满分。"),
                dict(name="重点任务落实", weight=20, rule=LINEAR, lower_bound=0, upper_bound=100,
                     source_kind=ENTERED, unit_label="分",
                     description="市委党务目标考核考核组对统战重点任务落实情况的评分（百分制）。"),
            ],
        )  # fmt: skip
        evaluation = self.open_round(dt.date(2023, 1, 9), self.admin, target, 2022)
        pks = [s.pk for s in rounds.round_subjects(evaluation)]
        found = Region.objects.in_bulk(pks)
        values = []
        for region in (found[pk] for pk in pks):
            score = self.rng.randrange(80, 99)
            values.append(
                (
                    region,
                    score,
                    f"市委党务目标考核考核组2023年1月对{region.name}统战工作的现场考核记录："
                    "查阅年度工作台账，听取汇报，重点任务逐项核查。",
                )
            )
        self.enter(dt.date(2023, 1, 13), self.admin, evaluation, "重点任务落实", values)
        self.compute(dt.date(2023, 1, 17), self.admin, evaluation)


def load_evaluations(regions: dict[str, Region]) -> bool:
    """Write the evaluations once: the target assessment, written last, marks them as loaded."""
    if IndicatorSet.objects.filter(name=DISTRICTS, region=regions[CITY]).exists():
        return False
    demo = EvaluationDemo(regions)
    demo.private_100()
    demo.top_50()
    demo.top_50_weighted()
    demo.lianyi()
    demo.bases()
    demo.parties()
    demo.districts()
    return True
