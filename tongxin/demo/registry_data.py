"""The registry demo: fictional people and enterprises of Deyang, with the organizations and
designations the seeds name, generated deterministically (one seed, no clock, no database).

``generate(people=…)`` describes the whole dataset as plain values; ``loader`` writes it through
the registry services. Organizations, figures and designations do not depend on the number of
people, so a small test load holds exactly the designations a full load holds (10 同心德阳 bases
and 12 宗教中国化 model sites in 2022, as seed 003 counts them).

ID numbers are built from Deyang area codes with ``ids.make_id_number`` (never Faker's ``ssn``,
which fails the check most of the time); the code is the one in use in the birth year where
there was one, as on a real card, and the current one for a few, which checks warn about.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from stdnum.cn import uscc

from tongxin.core.ids import make_id_number

SEED = 20230705
PEOPLE = 3000
CITY = "510600"
JINGKAI = "510600901"

# People per district: the city proper (旌阳区) and 广汉市 hold the most.
DISTRICTS: dict[str, tuple[str, int]] = {
    "510603": ("旌阳区", 30),
    "510681": ("广汉市", 17),
    "510623": ("中江县", 13),
    "510682": ("什邡市", 11),
    "510683": ("绵竹市", 11),
    JINGKAI: ("德阳经开区", 11),
    "510604": ("罗江区", 7),
}
# Area codes a district's people were issued, with the year each came into use (GB/T 2260).
AREA_CODES: dict[str, list[tuple[str, int]]] = {
    "510603": [("510602", 1984), ("510603", 1996)],
    JINGKAI: [("510602", 1984), ("510603", 1996)],
    "510604": [("510602", 1984), ("510626", 1996), ("510604", 2017)],
    "510623": [("510623", 1983)],
    "510681": [("510624", 1983), ("510681", 1989)],
    "510682": [("510625", 1983), ("510682", 1995)],
    "510683": [("510622", 1983), ("510683", 1996)],
}

XINJIE = "新的社会阶层人士"
FEIGONG = "非公有制经济人士"
DANGPAI = "民主党派成员"
WUDANGPAI = "无党派人士"
ZHISHI = "党外知识分子"
MINZU = "少数民族人士"
ZONGJIAO = "宗教界人士"
LIUXUE = "出国和归国留学人员"
GANGAO = "香港同胞、澳门同胞"
TAIWAN = "台湾同胞及其在大陆的亲属"
QIAO = "华侨、归侨及侨眷"
QITA = "其他需要联系和团结的人员"
CATEGORY_WEIGHTS = {
    XINJIE: 34,
    FEIGONG: 26,
    DANGPAI: 9,
    ZHISHI: 8,
    WUDANGPAI: 4,
    MINZU: 4,
    ZONGJIAO: 3,
    LIUXUE: 4,
    GANGAO: 1,
    TAIWAN: 2,
    QIAO: 3,
    QITA: 2,
}

# (short name, full name, political status of a member, what a member is called)
PARTIES = [
    ("民革德阳市委会", "中国国民党革命委员会德阳市委员会", "民革党员", "党员", 12),
    ("民盟德阳市委会", "中国民主同盟德阳市委员会", "民盟盟员", "盟员", 20),
    ("民建德阳市委会", "中国民主建国会德阳市委员会", "民建会员", "会员", 18),
    ("民进德阳市委会", "中国民主促进会德阳市委员会", "民进会员", "会员", 15),
    ("农工党德阳市委会", "中国农工民主党德阳市委员会", "农工党党员", "党员", 15),
    ("致公党德阳市委会", "中国致公党德阳市委员会", "致公党党员", "党员", 8),
    ("九三学社德阳市委会", "九三学社德阳市委员会", "九三学社社员", "社员", 12),
]
CITY_XINLIANHUI = "德阳市新的社会阶层人士联谊会"
DISTRICT_XINLIANHUI = {
    "510603": "德阳市旌阳区",
    "510604": "德阳市罗江区",
    "510623": "中江县",
    "510681": "广汉市",
    "510682": "什邡市",
    "510683": "绵竹市",
    JINGKAI: "德阳经开区",
}
WANGLIAN = "德阳市网络人士联谊会"
LAWYERS = "德阳市律师行业新的社会阶层人士联谊会"
ACCOUNTANTS = "德阳市注册会计师行业新的社会阶层人士联谊会"
RETURNEES = "德阳市欧美同学会（留学人员联谊会）"
SERVICE_TEAM = "德阳市新的社会阶层人士服务团"
FEDERATION = "德阳市工商业联合会"
THINK_TANK = "德阳市乡村振兴研究院"
LIANYI_ORGS = [
    CITY_XINLIANHUI,
    *(f"{prefix}新的社会阶层人士联谊会" for prefix in DISTRICT_XINLIANHUI.values()),
    WANGLIAN,
    LAWYERS,
    ACCOUNTANTS,
    RETURNEES,
]

BASE = "同心德阳统战工作基地"
RELIGIOUS_MODEL = "坚持我国宗教中国化方向示范场所"
ETHNIC_MODEL = "民族团结进步示范单位"
XINJIE_BASE = "新的社会阶层人士统战工作实践创新基地"

SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程"
    "吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵"
    "万钱严赖覃洪武莫孔单解仇查区翟"
)
# Common surnames come first and are drawn more often (roughly Zipf, as in a census).
SURNAME_WEIGHTS = [1 / (rank + 4) ** 0.9 for rank in range(len(SURNAMES))]
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "尉迟")
MALE = "伟强军磊勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆建国志文海峰林东亮成龙博睿晨阳"
FEMALE = "芳娜敏静丽艳娟霞秀玲燕红琳莉婷雪慧颖洁佳倩蓉梅晶琴兰萍月璐欣悦瑶涵怡妍"
TIBETAN = ("扎西", "卓玛", "次仁", "拉姆", "多吉", "央金", "格桑", "措姆", "泽仁", "旺姆")
BRAND = "恒昌兴隆盛鑫瑞泰华宏达丰祥和润通德安永嘉信诚正宇航天启明辉远腾川蜀旌汉亭罗江绵竹石云"
INDUSTRIES = (
    "重型装备",
    "机械制造",
    "电气",
    "新材料",
    "精密铸造",
    "汽车零部件",
    "清洁能源",
    "化工",
    "食品",
    "酒业",
    "农业科技",
    "生物医药",
    "电子科技",
    "建筑工程",
    "物流",
    "商贸",
    "文化旅游",
    "环保科技",
    "智能科技",
    "磷化工",
)
ROADS = (
    "人民路",
    "建设路",
    "长江路",
    "黄河路",
    "珠江路",
    "泰山路",
    "岷江路",
    "嘉陵江路",
    "文庙街",
    "工农街",
    "中山路",
    "南街",
    "北街",
    "青衣江路",
    "天山路",
    "庐山路",
)


@dataclass(frozen=True)
class OrgSpec:
    name: str
    short_name: str
    org_type: str
    region: str
    org_subtype: str = ""
    parent: str = ""
    founded_on: dt.date | None = None
    legal_registration: str = ""
    is_non_public: bool = False
    is_taiwan_funded: bool = False
    is_overseas_funded: bool = False
    credit_code: str = ""
    address: str = ""
    religion: str = ""  # of a 宗教活动场所: its clergy's religion


@dataclass(frozen=True)
class FigureSpec:
    organization: str
    year: int
    revenue: Decimal
    tax: Decimal
    employees: int
    rd_spend: Decimal


@dataclass(frozen=True)
class DesignationSpec:
    organization: str
    kind: str
    batch: str
    designated_on: dt.date
    issuer: str


@dataclass(frozen=True)
class CheckSpec:
    organization: str
    year: int
    items: dict[str, bool]


@dataclass
class MembershipSpec:
    organization: str
    role: str
    term_start: dt.date | None
    term_end: dt.date | None


@dataclass(frozen=True)
class ArrangementSpec:
    kind: str
    level: str
    term: str
    role: str
    start_year: int
    end_year: int


@dataclass
class PersonSpec:
    name: str
    region: str
    categories: list[str]
    id_number: str
    phone: str
    gender: str
    birth: dt.date
    ethnicity: str = "汉族"
    religion: str = ""
    political_status: str = "群众"
    education: str = ""
    title: str = ""
    employer: str = ""
    position: str = ""
    stratum_group: str = ""
    stratum_subtype: str = ""
    representative_level: str = ""
    political_performance: str = ""
    tags: list[str] = field(default_factory=list)
    memberships: list[MembershipSpec] = field(default_factory=list)
    arrangements: list[ArrangementSpec] = field(default_factory=list)
    honours: list[tuple[str, str, int, str]] = field(default_factory=list)
    reviews: list[tuple[int, str]] = field(default_factory=list)

    @property
    def is_representative(self) -> bool:
        return bool(self.representative_level)


@dataclass(frozen=True)
class Dataset:
    organizations: list[OrgSpec]
    figures: list[FigureSpec]
    designations: list[DesignationSpec]
    checks: list[CheckSpec]
    people: list[PersonSpec]


def generate(*, people: int = PEOPLE, seed: int = SEED) -> Dataset:
    # Two generators: the organizations stay the same whatever the number of people.
    orgs = _Organizations(random.Random(seed))  # noqa: S311 - demo data, not a secret
    crowd = _People(random.Random(seed + 1), orgs.specs)  # noqa: S311
    return Dataset(
        organizations=orgs.specs,
        figures=orgs.figures,
        designations=orgs.designations(),
        checks=orgs.checks(),
        people=crowd.make(people),
    )


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _district(rng: random.Random) -> str:
    return _weighted(rng, {code: w for code, (_, w) in DISTRICTS.items()})


def _region_name(code: str) -> str:
    return "德阳市" if code == CITY else DISTRICTS[code][0]


def _credit_code(rng: random.Random, region: str) -> str:
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    # GB 11714 check character of the organization code inside the USCC.
    value = sum(int(c, 36) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - value % 11
    org_code = body + {10: "X", 11: "0"}.get(check, str(check))
    first17 = f"91{region[:6]}{org_code}"
    return first17 + uscc.calc_check_digit(first17)


class _Organizations:
    """The organizations the seeds name, with enterprise figures, designations and checklists."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.specs: list[OrgSpec] = []
        self.figures: list[FigureSpec] = []
        self._names: set[str] = set()
        self._lianyi()
        self._parties()
        self._chambers()
        self.religious_sites = self._religious_sites()
        self.enterprises = self._enterprises()
        self.schools = self._schools()
        self._others()

    def add(self, spec: OrgSpec) -> OrgSpec:
        assert spec.name not in self._names, spec.name
        self._names.add(spec.name)
        self.specs.append(spec)
        return spec

    def _date(self, year: int) -> dt.date:
        return dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randrange(360))

    def _address(self, region: str) -> str:
        return f"{_region_name(region)}{self.rng.choice(ROADS)}{self.rng.randrange(1, 300)}号"

    def _lianyi(self) -> None:
        registered = "registered"
        self.add(
            OrgSpec(
                CITY_XINLIANHUI,
                "市新联会",
                "联谊组织",
                CITY,
                "新的社会阶层人士联谊会",
                founded_on=dt.date(2017, 6, 28),
                legal_registration=registered,
            )
        )
        for region, prefix in DISTRICT_XINLIANHUI.items():
            self.add(
                OrgSpec(
                    f"{prefix}新的社会阶层人士联谊会",
                    f"{DISTRICTS[region][0]}新联会",
                    "联谊组织",
                    region,
                    "新的社会阶层人士联谊会",
                    parent=CITY_XINLIANHUI,
                    founded_on=self._date(self.rng.choice((2018, 2019, 2020))),
                    legal_registration=self.rng.choice((registered, registered, "in_progress")),
                )
            )
        for name, short, subtype, year in (
            (WANGLIAN, "市网联会", "网络人士联谊会", 2019),
            (LAWYERS, "律师行业联谊会", "律师行业联谊组织", 2020),
            (ACCOUNTANTS, "会计行业联谊会", "会计行业联谊组织", 2021),
            (RETURNEES, "德阳欧美同学会", "欧美同学会（留学人员联谊会）", 2016),
        ):
            self.add(
                OrgSpec(
                    name,
                    short,
                    "联谊组织",
                    CITY,
                    subtype,
                    founded_on=self._date(year),
                    legal_registration=registered,
                )
            )
        self.add(
            OrgSpec(SERVICE_TEAM, "新阶服务团", "服务团", CITY, founded_on=dt.date(2021, 4, 16))
        )
        self.add(
            OrgSpec(
                "德阳市新阶人士乡村振兴服务团",
                "乡村振兴服务团",
                "服务团",
                CITY,
                founded_on=dt.date(2022, 5, 20),
            )
        )

    def _parties(self) -> None:
        for short, full, *_ in PARTIES:
            self.add(
                OrgSpec(
                    full,
                    short,
                    "民主党派组织",
                    CITY,
                    founded_on=self._date(self.rng.randrange(1984, 1996)),
                    address=self._address(CITY),
                )
            )

    def _chambers(self) -> None:
        self.add(
            OrgSpec(
                FEDERATION,
                "德阳市工商联",
                "工商联及商会",
                CITY,
                founded_on=dt.date(1984, 5, 1),
                legal_registration="registered",
            )
        )
        for name, region in (
            ("德阳市浙江商会", CITY),
            ("德阳市福建商会", CITY),
            ("德阳市重庆商会", CITY),
            ("德阳市装备制造业商会", CITY),
            ("德阳市青年企业家商会", CITY),
            ("德阳市女企业家商会", CITY),
            ("广汉市川渝商会", "510681"),
            ("什邡市食品产业商会", "510682"),
            ("绵竹市酒类产业商会", "510683"),
            ("中江县农业产业商会", "510623"),
            ("德阳经开区企业商会", JINGKAI),
        ):
            self.add(
                OrgSpec(
                    name,
                    "",
                    "工商联及商会",
                    region,
                    parent=FEDERATION,
                    founded_on=self._date(self.rng.randrange(2005, 2021)),
                    legal_registration="registered",
                    address=self._address(region),
                )
            )

    def _religious_sites(self) -> list[OrgSpec]:
        sites = []
        plan = [
            ("佛教寺院", "佛教", ("寺", "寺", "庵"), 22),
            ("道教宫观", "道教", ("观", "宫"), 8),
            ("清真寺", "伊斯兰教", ("清真寺",), 4),
            ("天主教堂", "天主教", ("天主堂",), 3),
            ("基督教堂", "基督教", ("基督教堂", "福音堂"), 5),
        ]
        words = "慈云普照福兴隆昌净莲觉圆明华严静安宁寿祥灵泉玉清凤凰紫霞"
        for subtype, religion, suffixes, count in plan:
            for _ in range(count):
                region = _district(self.rng)
                if suffixes[0] in ("寺", "观", "宫"):
                    name = "".join(self.rng.choice(words) for _ in range(2))
                    name += self.rng.choice(suffixes)
                else:  # Mosques and churches are known by their town.
                    name = DISTRICTS[region][0][:2] + self.rng.choice(suffixes)
                if name in self._names:
                    continue
                status = self.rng.choices(("registered", "in_progress", "unregistered"), (4, 2, 4))[
                    0
                ]
                sites.append(
                    self.add(
                        OrgSpec(
                            name,
                            "",
                            "宗教活动场所",
                            region,
                            subtype,
                            legal_registration=status,
                            address=self._address(region),
                            religion=religion,
                            founded_on=self._date(self.rng.randrange(1985, 2010)),
                        )
                    )
                )
        return sites

    def _enterprises(self, count: int = 200) -> list[OrgSpec]:
        made: list[OrgSpec] = []
        while len(made) < count:
            region = JINGKAI if self.rng.random() < 0.15 else _district(self.rng)
            kind = self.rng.choices(("民营企业", "台资企业", "侨资企业"), (178, 12, 10))[0]
            brand = self.rng.choice(BRAND) + self.rng.choice(BRAND)
            prefix = self.rng.choice(("四川", "德阳", "德阳市", DISTRICTS[region][0][:2]))
            suffix = self.rng.choice(("有限公司", "有限公司", "股份有限公司", "集团有限公司"))
            name = f"{prefix}{brand}{self.rng.choice(INDUSTRIES)}{suffix}"
            if name in self._names or brand[0] == brand[1]:
                continue
            made.append(
                self.add(
                    OrgSpec(
                        name,
                        f"{brand}{'集团' if '集团' in suffix else '公司'}",
                        "企业",
                        region,
                        kind,
                        founded_on=self._date(self.rng.randrange(1994, 2021)),
                        is_non_public=True,
                        is_taiwan_funded=kind == "台资企业",
                        is_overseas_funded=kind == "侨资企业",
                        credit_code=_credit_code(self.rng, region),
                        address=self._address(region),
                    )
                )
            )
        # Revenue is lognormal; 15 large groups make the top of the 非公企业50强 list.
        sizes = sorted((self.rng.lognormvariate(math.log(12000), 1.2) for _ in made), reverse=True)
        for rank, org in enumerate(sorted(made, key=lambda _: self.rng.random())):
            base = sizes[rank] * (3 if rank < 15 else 1)
            self._figures(org.name, base)
        return made

    def _figures(self, org: str, base: float) -> None:
        cents = Decimal("0.01")
        revenue = base
        for year in (2021, 2022, 2023):
            tax = revenue * self.rng.uniform(0.02, 0.07)
            rd = revenue * self.rng.uniform(0.005, 0.05)
            self.figures.append(
                FigureSpec(
                    org,
                    year,
                    Decimal(revenue).quantize(cents),
                    Decimal(tax).quantize(cents),
                    max(8, int(revenue / self.rng.uniform(80, 200))),
                    Decimal(rd).quantize(cents),
                )
            )
            revenue *= 1 + self.rng.gauss(0.08, 0.12)

    def _schools(self) -> list[OrgSpec]:
        schools = []
        for i, word in enumerate(
            (
                "实验",
                "城北",
                "城南",
                "东湖",
                "西山",
                "云溪",
                "青衣",
                "石亭",
                "民族",
                "同心",
                "光明",
                "育才",
            )
        ):
            region = list(DISTRICTS)[i % len(DISTRICTS)]
            level = "中学" if i % 3 == 0 else "小学"
            schools.append(
                self.add(
                    OrgSpec(
                        f"{_region_name(region)}{word}{level}",
                        "",
                        "学校",
                        region,
                        founded_on=self._date(self.rng.randrange(1960, 2010)),
                        address=self._address(region),
                    )
                )
            )
        return schools

    def _others(self) -> None:
        self.add(
            OrgSpec(
                THINK_TANK,
                "乡村振兴研究院",
                "智库",
                CITY,
                founded_on=dt.date(2022, 3, 18),
                legal_registration="registered",
                address=self._address(CITY),
            )
        )
        for name, region in (
            ("旌阳区同心驿站", "510603"),
            ("罗江区新阶人士之家", "510604"),
            ("广汉市同心服务中心", "510681"),
            ("绵竹市统战文化展示馆", "510683"),
        ):
            self.add(
                OrgSpec(
                    name,
                    "",
                    "统战工作阵地",
                    region,
                    founded_on=self._date(2021),
                    address=self._address(region),
                )
            )

    def designations(self) -> list[DesignationSpec]:
        by_size = self._largest_enterprises()
        party = "中共德阳市委统战部"
        out = []
        bases = [
            *by_size[:4],
            "旌阳区同心驿站",
            "罗江区新阶人士之家",
            "广汉市同心服务中心",
            "绵竹市统战文化展示馆",
            THINK_TANK,
            self.schools[0].name,
        ]
        out += [DesignationSpec(n, BASE, "第一批", dt.date(2022, 9, 28), party) for n in bases]
        sites = {
            s.religion: [x for x in self.religious_sites if x.religion == s.religion]
            for s in self.religious_sites
        }
        chosen = (
            sites["佛教"][:6]
            + sites["道教"][:2]
            + sites["伊斯兰教"][:1]
            + sites["天主教"][:1]
            + sites["基督教"][:2]
        )
        out += [
            DesignationSpec(
                s.name, RELIGIOUS_MODEL, "2022年度", dt.date(2022, 11, 18), "德阳市民族宗教事务局"
            )
            for s in chosen
        ]
        ethnic = [
            (sites["伊斯兰教"][0].name, dt.date(2021, 9, 27)),
            (self.schools[8].name, dt.date(2021, 9, 27)),
            (self.schools[3].name, dt.date(2023, 9, 26)),
            (by_size[7], dt.date(2023, 9, 26)),
            (by_size[11], dt.date(2023, 9, 26)),
        ]
        out += [
            DesignationSpec(n, ETHNIC_MODEL, f"{d.year}年", d, "中共德阳市委、德阳市人民政府")
            for n, d in ethnic
        ]
        practice = [
            (LIANYI_ORGS[1], "第一批", dt.date(2021, 12, 10)),
            (LIANYI_ORGS[4], "第一批", dt.date(2021, 12, 10)),
            (WANGLIAN, "第二批", dt.date(2023, 10, 20)),
            (LIANYI_ORGS[7], "第二批", dt.date(2023, 10, 20)),
        ]
        out += [DesignationSpec(n, XINJIE_BASE, b, d, party) for n, b, d in practice]
        return out

    def _largest_enterprises(self) -> list[str]:
        revenue = {f.organization: f.revenue for f in self.figures if f.year == 2022}
        return sorted(revenue, key=lambda n: -revenue[n])

    def checks(self) -> list[CheckSpec]:
        out = []
        for name in LIANYI_ORGS:
            full = name == CITY_XINLIANHUI
            before = {item: full or self.rng.random() < 0.7 for item in _CHECK_ITEMS}
            after = {item: met or self.rng.random() < 0.7 for item, met in before.items()}
            out += [CheckSpec(name, 2022, before), CheckSpec(name, 2023, after)]
        return out


_CHECK_ITEMS = ("has_charter", "has_council", "has_venue", "has_rules", "has_activities")

MOBILE_PREFIXES = (
    *(f"13{d}" for d in range(10)),
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "175",
    "176",
    "177",
    "178",
    *(f"18{d}" for d in range(10)),
    "191",
    "198",
    "199",
)
# (subtype, its group, weight, employer pattern, posts)
STRATA = [
    (
        "民营企业管理人员",
        "民营企业和外商投资企业管理技术人员",
        22,
        "enterprise",
        ("总经理", "副总经理", "财务总监", "人力资源总监", "部门经理"),
    ),
    (
        "民营企业技术人员",
        "民营企业和外商投资企业管理技术人员",
        14,
        "enterprise",
        ("总工程师", "技术总监", "研发部经理", "工程师"),
    ),
    (
        "外商投资企业管理技术人员",
        "民营企业和外商投资企业管理技术人员",
        4,
        "foreign",
        ("总经理", "技术总监", "质量经理"),
    ),
    ("律师", "中介组织和社会组织从业人员", 10, "四川{b}律师事务所", ("主任", "合伙人", "专职律师")),
    (
        "注册会计师",
        "中介组织和社会组织从业人员",
        6,
        "德阳{b}会计师事务所有限公司",
        ("所长", "合伙人", "注册会计师"),
    ),
    (
        "社会组织从业人员",
        "中介组织和社会组织从业人员",
        6,
        "德阳市{b}社会工作服务中心",
        ("理事长", "秘书长", "社工"),
    ),
    (
        "其他中介组织从业人员",
        "中介组织和社会组织从业人员",
        3,
        "德阳{b}资产评估有限公司",
        ("总经理", "评估师"),
    ),
    (
        "自由撰稿人、独立演员歌手等文艺工作者",
        "自由职业人员",
        7,
        "自由职业",
        ("作家", "书法家", "歌手", "画家"),
    ),
    ("其他自由职业人员", "自由职业人员", 8, "自由职业", ("设计师", "心理咨询师", "翻译")),
    (
        "网络作家、网络主播",
        "新媒体从业人员",
        9,
        "德阳{b}文化传媒有限公司",
        ("网络主播", "网络作家"),
    ),
    (
        "新媒体企业从业人员",
        "新媒体从业人员",
        11,
        "德阳{b}网络科技有限公司",
        ("创始人", "运营总监", "主编"),
    ),
]
# Where 党外知识分子 work, with (title, post) pairs that fit the place.
_DOCTORS = (("主任医师", "科主任"), ("副主任医师", "医师"), ("主治医师", "医师"))
_TEACHERS = (("正高级教师", "副校长"), ("高级教师", "教研组长"), ("一级教师", "教师"))
INSTITUTIONS = {
    "{r}人民医院": _DOCTORS,
    "{r}中医医院": _DOCTORS,
    "{r}第一中学": _TEACHERS,
    "{r}实验小学": _TEACHERS[1:],
    "四川{b}职业技术学院": (("教授", "教授"), ("副教授", "副教授"), ("讲师", "讲师")),
    "德阳市{b}研究所": (("研究员", "研究员"), ("高级工程师", "副所长"), ("工程师", "工程师")),
}
CLERGY = {
    "佛教": ("住持", "监院", "僧人"),
    "道教": ("住持", "道长", "道士"),
    "伊斯兰教": ("教长", "阿訇", "管委会主任"),
    "天主教": ("神父", "修女", "堂委会主任"),
    "基督教": ("牧师", "长老", "堂委会主任"),
}
HONOURS = [
    ("德阳市优秀中国特色社会主义事业建设者", "city", "中共德阳市委、德阳市人民政府"),
    ("四川省优秀中国特色社会主义事业建设者", "province", "中共四川省委统战部等"),
    ("德阳市优秀新的社会阶层人士", "city", "中共德阳市委统战部"),
    ("德阳市五一劳动奖章", "city", "德阳市总工会"),
    ("德阳市优秀政协委员", "city", "政协德阳市委员会"),
    ("德阳市优秀民营企业家", "city", "德阳市人民政府"),
    ("德阳市参政议政先进个人", "city", "中共德阳市委统战部"),
    ("四川省民族团结进步模范个人", "province", "四川省人民政府"),
]
TAGS = ("重点联系", "青年", "返乡创业", "同心德阳", "网络达人", "建言献策", "挂职锻炼", "乡村振兴")
# (level of a 代表人士, arrangement level, current term, years, previous term, years)
TERMS = {
    "全国": ("national", "第十四届", 2023, 2028, "第十三届", 2018),
    "省级": ("province", "第十三届", 2023, 2027, "第十二届", 2018),
    "市级": ("city", "第九届", 2021, 2026, "第八届", 2016),
    "县级": ("county", "第十届", 2021, 2026, "第九届", 2016),
}
REP_CHANCE = {
    DANGPAI: 0.22,
    WUDANGPAI: 0.3,
    ZONGJIAO: 0.2,
    MINZU: 0.12,
    FEIGONG: 0.12,
    ZHISHI: 0.1,
    XINJIE: 0.06,
}
# Leading posts, in order, filled by the representatives of each organization first.
LEADS = {
    "联谊组织": ("会长", "副会长", "秘书长", "理事", "会员"),
    "服务团": ("团长", "副团长", "秘书长", "骨干成员", "成员"),
    "工商联及商会": ("会长", "副会长", "秘书长", "理事", "会员"),
    "民主党派组织": ("主委", "副主委", "秘书长", "委员", ""),
}


class _People:
    def __init__(self, rng: random.Random, orgs: list[OrgSpec]) -> None:
        self.rng = rng
        self.orgs = {o.name: o for o in orgs}
        self.ids: set[str] = set()
        self.phones: set[str] = set()
        enterprises = [o for o in orgs if o.org_type == "企业"]
        # Each demo enterprise gets one chairman, its 非公有制经济人士, in the order people come.
        self.chairs = {
            kind: [o for o in enterprises if o.org_subtype == kind]
            for kind in ("民营企业", "台资企业", "侨资企业")
        }
        self.by_region: dict[str, list[OrgSpec]] = defaultdict(list)
        for org in enterprises:
            self.by_region[org.region].append(org)
        self.foreign = [o for o in enterprises if o.is_taiwan_funded or o.is_overseas_funded]
        self.sites = [o for o in orgs if o.org_type == "宗教活动场所"]
        self.chambers = [o for o in orgs if o.org_type == "工商联及商会" and o.parent]

    def make(self, count: int) -> list[PersonSpec]:
        people = self._named()[:count]
        while len(people) < count:
            people.append(self._person(_weighted(self.rng, CATEGORY_WEIGHTS)))
        self._assign_roles(people)
        return people

    # --- identity -----------------------------------------------------------------------------

    def _birth(self, low: int, high: int, mode: int) -> dt.date:
        year = round(self.rng.triangular(low, high, mode))
        return dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randrange(365))

    def _id_number(self, region: str, birth: dt.date, gender: str) -> str:
        codes = AREA_CODES[region]
        usable = [code for code, start in codes if start <= birth.year]
        code = usable[-1] if usable else codes[0][0]
        if self.rng.random() < 0.15:
            code = codes[-1][0]
        while True:
            number = make_id_number(code, birth, self.rng.randrange(100), gender)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def _phone(self) -> str:
        while True:
            phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            # 13812345678 is the shared test cast's probe phone: never a demo person's.
            if phone not in self.phones and phone != "13812345678":
                self.phones.add(phone)
                return phone

    def _name(self, gender: str, ethnicity: str) -> str:
        if ethnicity == "藏族":
            return self.rng.choice(TIBETAN) + self.rng.choice(TIBETAN)
        if ethnicity == "回族" and self.rng.random() < 0.6:
            surname = self.rng.choice("马白沙穆哈")
        elif self.rng.random() < 0.01:
            surname = self.rng.choice(COMPOUND_SURNAMES)
        else:
            surname = self.rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
        chars = FEMALE if gender == "F" else MALE
        given = "".join(self.rng.choice(chars) for _ in range(self.rng.choice((1, 2, 2))))
        return surname + given

    def _new(
        self, name: str, region: str, categories: list[str], gender: str, birth: dt.date
    ) -> PersonSpec:
        return PersonSpec(
            name=name,
            region=region,
            categories=categories,
            gender=gender,
            birth=birth,
            id_number=self._id_number(region, birth, gender),
            phone=self._phone(),
        )

    # --- the people the demo shows off in search ----------------------------------------------

    def _named(self) -> list[PersonSpec]:
        zeng = self._new("曾蓉", "510603", [XINJIE], "F", dt.date(1986, 3, 14))
        self._stratum(zeng, "律师")
        zeng.employer, zeng.position, zeng.education = "四川同德律师事务所", "合伙人", "硕士研究生"
        zeng.tags = ["重点联系"]
        self._representative(zeng, "市级", arrangement="政协委员")
        zeng.memberships = [self._join(LAWYERS), self._join(self._xinlianhui("510603"))]
        shan = self._new("单小红", "510681", [DANGPAI, ZHISHI], "F", dt.date(1979, 8, 2))
        shan.political_status, shan.education = "民进会员", "大学本科"
        shan.employer, shan.position, shan.title = "广汉市第一中学", "教师", "高级教师"
        shan.memberships.append(self._join("中国民主促进会德阳市委员会"))
        chairman = self.chairs["台资企业"].pop(0)
        chen = self._new("陳建國", chairman.region, [TAIWAN, FEIGONG], "M", dt.date(1968, 10, 1))
        self._chair(chen, chairman)
        yuchi = self._new("尉迟明", JINGKAI, [XINJIE], "M", dt.date(1994, 5, 20))
        self._stratum(yuchi, "网络作家、网络主播")
        yuchi.position = "网络主播"
        yuchi.memberships = [self._join(WANGLIAN)]
        return [zeng, shan, chen, yuchi]

    # --- everyone else --------------------------------------------------------------------------

    def _person(self, primary: str) -> PersonSpec:
        rng = self.rng
        gender = "F" if rng.random() < 0.36 else "M"
        young = primary in (XINJIE, LIUXUE)
        birth = self._birth(1970, 2001, 1988) if young else self._birth(1950, 1998, 1974)
        ethnicity = "汉族"
        if primary == MINZU or rng.random() < 0.01:
            ethnicity = rng.choices(("回族", "藏族", "羌族", "彝族"), (4, 2, 3, 1))[0]
        person = self._new(self._name(gender, ethnicity), _district(rng), [primary], gender, birth)
        person.ethnicity = ethnicity
        self._extra_categories(person, primary)
        self._profile(person, primary)
        self._politics(person)
        if rng.random() < REP_CHANCE.get(primary, 0.05):
            level = rng.choices(("市级", "县级", "省级", "全国"), (50, 36, 13, 1))[0]
            self._representative(person, level)
        elif rng.random() < 0.03:
            person.arrangements.append(
                ArrangementSpec("政协委员", "county", "第十届", "委员", 2021, 2026)
            )
        if rng.random() < 0.08:
            self._honour(person)
        if rng.random() < 0.2:
            person.tags = sorted(set(rng.sample(TAGS, rng.choice((1, 1, 2)))))
        if person.arrangements:
            person.reviews = [
                (y, rng.choices(("excellent", "competent", "basic"), (25, 70, 5))[0])
                for y in (2022, 2023)
            ]
        return person

    def _extra_categories(self, person: PersonSpec, primary: str) -> None:
        extras = {
            DANGPAI: [(ZHISHI, 0.5), (FEIGONG, 0.15)],
            WUDANGPAI: [(ZHISHI, 0.6)],
            LIUXUE: [(XINJIE, 0.3), (ZHISHI, 0.2)],
            XINJIE: [(LIUXUE, 0.08), (DANGPAI, 0.04)],
            FEIGONG: [(DANGPAI, 0.08), (QIAO, 0.05)],
            TAIWAN: [(FEIGONG, 0.3)],
            QIAO: [(FEIGONG, 0.3)],
            MINZU: [(ZONGJIAO, 0.15)],
        }
        for category, chance in extras.get(primary, []):
            if self.rng.random() < chance and category not in person.categories:
                person.categories.append(category)
        if person.ethnicity != "汉族" and MINZU not in person.categories:
            person.categories.append(MINZU)

    def _profile(self, person: PersonSpec, primary: str) -> None:
        rng = self.rng
        cats = person.categories
        if ZONGJIAO in cats:
            self._clergy(person)
        elif primary == XINJIE or XINJIE in cats:
            self._stratum(person, rng.choices([s[0] for s in STRATA], [s[2] for s in STRATA])[0])
        elif FEIGONG in cats:
            kind = {TAIWAN: "台资企业", QIAO: "侨资企业"}.get(primary, "民营企业")
            queue = self.chairs[kind] or self.chairs["民营企业"]
            if queue and rng.random() < 0.6:
                self._chair(person, queue.pop(0))
            else:
                brand = rng.choice(BRAND) + rng.choice(BRAND) + rng.choice(INDUSTRIES)
                person.employer = f"{DISTRICTS[person.region][0]}{brand}有限公司"
                person.position = rng.choice(("董事长", "总经理", "执行董事", "负责人"))
                person.education = rng.choice(("大学专科", "大学本科", "高中", "硕士研究生"))
                if rng.random() < 0.25:
                    person.memberships.append(self._join(self._chamber(person.region)))
        else:
            pattern = rng.choice(list(INSTITUTIONS))
            title, post = rng.choice(INSTITUTIONS[pattern])
            region = DISTRICTS[person.region][0]
            person.employer = pattern.format(r=region, b=rng.choice(BRAND) + rng.choice(BRAND))
            person.title, person.position = title, post
            person.education = rng.choice(("博士研究生", "硕士研究生", "大学本科", "大学本科"))
            if primary == LIUXUE and rng.random() < 0.4:
                person.memberships.append(self._join(RETURNEES))
            if title in ("教授", "研究员") and rng.random() < 0.3:
                person.memberships.append(self._join(THINK_TANK, "特聘研究员"))

    def _stratum(self, person: PersonSpec, subtype: str) -> None:
        rng = self.rng
        spec = next(s for s in STRATA if s[0] == subtype)
        person.stratum_subtype, person.stratum_group = subtype, spec[1]
        person.position = rng.choice(spec[4])
        person.education = rng.choice(("大学专科", "大学本科", "大学本科", "硕士研究生"))
        if spec[3] in ("enterprise", "foreign"):
            nearby = self.by_region[person.region]
            if spec[3] == "foreign":
                nearby = self.foreign
            person.employer = rng.choice(nearby).name
        else:
            person.employer = spec[3].format(b=rng.choice(BRAND) + rng.choice(BRAND))
        if subtype == "律师":
            person.title = rng.choice(("", "三级律师", "二级律师", "一级律师"))
        # Most new-stratum people belong to no organization yet (seed 000: coverage is the work).
        home = {
            "律师": (LAWYERS, 0.55),
            "注册会计师": (ACCOUNTANTS, 0.55),
            "网络作家、网络主播": (WANGLIAN, 0.45),
            "新媒体企业从业人员": (WANGLIAN, 0.45),
        }
        org, chance = home.get(subtype, (self._xinlianhui(person.region), 0.3))
        if rng.random() < chance:
            person.memberships.append(self._join(org))
        if rng.random() < 0.04:
            person.memberships.append(self._join(CITY_XINLIANHUI))
        if rng.random() < 0.03:
            person.memberships.append(self._join(SERVICE_TEAM))

    def _chair(self, person: PersonSpec, enterprise: OrgSpec) -> None:
        person.region = enterprise.region
        person.id_number = self._replace_id(person)
        person.employer, person.position = enterprise.name, "董事长"
        person.education = self.rng.choice(("大学专科", "大学本科", "硕士研究生"))
        person.memberships.append(
            MembershipSpec(enterprise.name, "董事长", enterprise.founded_on, None)
        )
        if self.rng.random() < 0.45:
            person.memberships.append(self._join(self._chamber(enterprise.region)))

    def _replace_id(self, person: PersonSpec) -> str:
        # The person moved to where the enterprise is: issue the card there instead.
        self.ids.discard(person.id_number)
        return self._id_number(person.region, person.birth, person.gender)

    def _clergy(self, person: PersonSpec) -> None:
        if person.ethnicity == "回族":
            religions = ["伊斯兰教"]
        elif person.ethnicity == "藏族":
            religions = ["佛教"]
        else:
            religions = list(CLERGY)
        site = self.rng.choice([s for s in self.sites if s.religion in religions])
        person.region = site.region
        person.id_number = self._replace_id(person)
        person.religion = site.religion
        person.employer, person.position = site.name, self.rng.choice(CLERGY[site.religion])
        person.education = self.rng.choice(("高中", "中等专科", "大学专科", "大学本科"))
        person.memberships.append(MembershipSpec(site.name, person.position, None, None))

    def _politics(self, person: PersonSpec) -> None:
        rng = self.rng
        cats = person.categories
        if DANGPAI in cats:
            party = rng.choices(PARTIES, [p[4] for p in PARTIES])[0]
            person.political_status = party[2]
            person.memberships.append(self._join(party[1]))
        elif WUDANGPAI in cats:
            person.political_status = "无党派人士"
        elif person.religion:  # clergy
            pass
        elif cats[0] in (XINJIE, FEIGONG, MINZU) and rng.random() < 0.18:
            person.political_status = "中共党员"
        elif person.birth.year >= 1992 and rng.random() < 0.3:
            person.political_status = "共青团员"
        if person.political_status in ("中共党员", "共青团员"):
            return  # members of the Party and the League hold no religious belief
        if not person.religion and rng.random() < 0.06:
            person.religion = rng.choice(("佛教", "佛教", "道教", "基督教", "伊斯兰教"))
        if person.ethnicity == "回族" and rng.random() < 0.8:
            person.religion = "伊斯兰教"

    def _representative(self, person: PersonSpec, level: str, arrangement: str = "") -> None:
        rng = self.rng
        person.representative_level = level
        person.political_performance = rng.choice(
            (
                "拥护中国共产党的领导，积极建言献策，{y}年提交提案{n}件。",
                "参加“同心德阳”主题活动，{y}年牵头开展调研{n}次，形成调研报告。",
                "热心公益，{y}年带领会员参与乡村振兴帮扶项目{n}个。",
            )
        ).format(y=rng.choice((2022, 2023)), n=rng.randrange(1, 6))
        if not arrangement and rng.random() > 0.8:
            return
        kind = (
            arrangement
            or rng.choices(("政协委员", "人大代表", "特约人员", "政府参事"), (65, 25, 7, 3))[0]
        )
        level_code, term, start, end, before, before_start = TERMS[level]
        role = {
            "政协委员": rng.choice(("委员",) * 9 + ("常委",)),
            "人大代表": "代表",
            "特约人员": rng.choice(("特约监督员", "特约检察员")),
            "政府参事": "参事",
        }[kind]
        if kind in ("特约人员", "政府参事"):
            term = "第五届"
        person.arrangements.append(ArrangementSpec(kind, level_code, term, role, start, end))
        if kind == "政协委员" and rng.random() < 0.3:
            person.arrangements.append(
                ArrangementSpec(kind, level_code, before, "委员", before_start, start)
            )

    def _honour(self, person: PersonSpec) -> None:
        title, level, issuer = self.rng.choice(HONOURS)
        person.honours.append((title, level, self.rng.randrange(2018, 2024), issuer))

    # --- organizations --------------------------------------------------------------------------

    def _xinlianhui(self, region: str) -> str:
        return f"{DISTRICT_XINLIANHUI[region]}新的社会阶层人士联谊会"

    def _chamber(self, region: str) -> str:
        local = [c.name for c in self.chambers if c.region == region]
        return self.rng.choice(local or [c.name for c in self.chambers if c.region == CITY])

    def _join(self, org_name: str, role: str = "") -> MembershipSpec:
        org = self.orgs[org_name]
        start = max(org.founded_on or dt.date(2021, 6, 1), dt.date(2021, 6, 1))
        if org.founded_on and org.founded_on < dt.date(2020, 1, 1) and self.rng.random() < 0.06:
            # Left after the first term: memberships end, they are never deleted.
            return MembershipSpec(
                org_name, role, org.founded_on, org.founded_on + dt.timedelta(days=365 * 3)
            )
        return MembershipSpec(
            org_name, role, start + dt.timedelta(days=self.rng.randrange(60)), None
        )

    def _assign_roles(self, people: list[PersonSpec]) -> None:
        """Posts in each organization: representatives first, then in the order people came."""
        members: dict[str, list[tuple[PersonSpec, MembershipSpec]]] = defaultdict(list)
        for person in people:
            for membership in person.memberships:
                if not membership.role:
                    members[membership.organization].append((person, membership))
        party_word = {full: word for _, full, _, word, _ in PARTIES}
        for org_name, rows in members.items():
            org = self.orgs[org_name]
            lead, deputy, secretary, council, plain = LEADS[org.org_type]
            # Those whose term has ended hold no post now.
            rows.sort(key=lambda row: (row[1].term_end is not None, not row[0].is_representative))
            n = len(rows)
            posts = [lead] + [deputy] * min(8, max(1, n // 12)) + [secretary]
            posts += [council] * (n // 5)
            for i, (_, membership) in enumerate(rows):
                membership.role = posts[i] if i < len(posts) else plain or party_word[org_name]
