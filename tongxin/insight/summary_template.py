"""The default wording of the annual summary (综述): seed 003, the 2022 Deyang summary, with every
figure replaced by the metric that counts it and every place name by the region's.

A placeholder is ``{key}`` or ``{key:style}``: a metric key (its value phrased by
``summary.phrase`` in that style) or one of the words of the place (``PLACE_WORDS``, below).
Staff edit the words around the placeholders and save versions; the numbers are never typed.

Blocks have stable keys, so a saved version stores only the blocks it changed and a block added to
this template later still shows in old versions."""

from __future__ import annotations

from dataclasses import dataclass

from tongxin.core.models import Region, RegionKind

TITLE = "凝心聚力谱新篇 奋楫笃行启新程——{year}年{place}统战工作综述"

PARAGRAPH, HEADING, ITEM = "paragraph", "heading", "item"
KIND_LABELS = {PARAGRAPH: "段落", HEADING: "标题", ITEM: "条目"}


@dataclass(frozen=True)
class Block:
    """One paragraph of the summary. An ITEM opens with a run-in heading: its first sentence
    (up to the first “。”), set in bold like the seed's “切实排忧纾困。”."""

    key: str
    kind: str
    text: str
    district_text: str = ""  # the wording below the city level, where the city's would be untrue

    def default(self, *, city: bool) -> str:
        return self.text if city or not self.district_text else self.district_text


BLOCKS: tuple[Block, ...] = (
    Block("opening_1", PARAGRAPH, "回眸{year}年，这一年极不平凡、极不寻常。"),
    Block(
        "opening_2",
        PARAGRAPH,
        "这一年，党的二十大胜利召开，擘画了以中国式现代化全面推进中华民族伟大复兴的宏伟蓝图。",
    ),
    Block(
        "opening_3",
        PARAGRAPH,
        "这一年，是中国共产党明确提出统一战线政策100周年，"
        "中央统战工作会议对统一战线工作提出了新的更高要求。",
    ),
    Block(
        "opening_4",
        PARAGRAPH,
        "这一年，{place}统战团结同心、奋发有为，推动各领域工作高质量发展，"
        "全年共获得省委领导肯定性批示{endorsements_provincial}。",
    ),
    Block(
        "opening_5",
        PARAGRAPH,
        "{department}认真学习宣传贯彻党的二十大精神，全面贯彻落实《中国共产党统一战线工作条例》"
        "（以下简称《条例》），充分发挥统一战线重要法宝作用，各领域统战工作取得新进展、呈现新气象，"
        "为全面建设社会主义现代化{place}凝聚了统战力量、作出了统战贡献。",
    ),
    # --- 强化引领 ---
    Block("lead_heading", HEADING, "强化引领　不断巩固共同思想根基"),
    Block(
        "lead_intro",
        PARAGRAPH,
        "{year}年，{department}深入学习贯彻党的二十大精神，用理论凝心铸魂，巩固共同团结奋斗思想根基，"
        "奋进新征程、建功新时代的精气神更加高涨。",
    ),
    Block(
        "lead_1",
        ITEM,
        "主要领导带头抓实统战。{committee}书记定期研究{whole}统战工作，召开{committee}统战工作会议、"
        "{committee}统战工作领导小组会传达学习中央、省委关于统战工作的会议和文件精神，"
        "并结合{place}实际提出贯彻落实意见。{department_short}带头深入区（市、县）委理论学习中心组"
        "和分管领域宣讲《条例》，推动《条例》贯彻走深走实。",
        district_text="主要领导带头抓实统战。{committee}书记定期研究{whole}统战工作，"
        "召开{committee}统战工作会议、{committee}统战工作领导小组会传达学习中央、省委、市委"
        "关于统战工作的会议和文件精神，并结合{place}实际提出贯彻落实意见。"
        "{department_short}带头深入乡镇（街道）和分管领域宣讲《条例》，推动《条例》贯彻走深走实。",
    ),
    Block(
        "lead_2",
        ITEM,
        "突出领导小组作用发挥。充实{committee}统战工作领导小组成员单位，"
        "建立成员单位围绕自身职能职责抓统战工作述职制度，提升大统战工作格局效能。"
        "将统战工作纳入{committee}党务目标考核，督促各地各单位抓好《条例》落实，成效明显，亮点突出。",
    ),
    Block(
        "lead_3",
        ITEM,
        "丰富形式提升引领成效。将《条例》和统一战线法规政策纳入党委理论学习中心组学习内容"
        "和党校（行政学院）、干部学院、社会主义学院教学内容。通过专题学习会、座谈会、通报会、"
        "主题教育、培训班等形式，引导{whole}统一战线深刻领悟“两个确立”的决定性意义。"
        "{whole}统一战线“四个意识”不断增强，“四个自信”日益坚定，“两个维护”更加自觉。",
    ),
    # --- 围绕中心 ---
    Block("centre_heading", HEADING, "围绕中心　充分发挥统战法宝作用"),
    Block(
        "centre_intro",
        PARAGRAPH,
        "{year}年，{department}把中心所在、大局所需、统战所长结合起来，充分发挥统战优势，"
        "持续推动各领域工作提质增效，为全面建设社会主义现代化{place}贡献了智慧力量、彰显了担当作为。",
    ),
    Block(
        "centre_1",
        ITEM,
        "切实排忧纾困。围绕{committee}{government}中心工作，发挥统战优势，"
        "出台“拼经济搞建设抓发展”十五条措施。建立与民营企业家“面对面”沟通协商常态化机制，"
        "开展恳谈会、对接会等活动{feigong_meetings}。",
    ),
    Block(
        "centre_2",
        ITEM,
        "选树优秀典型。首次评选并发布“{place}非公企业{top50_listed:数}强”，"
        "{whole}{private100_entrants}民营企业入围{year}四川省民营企业100强榜单，"
        "进一步激发民营企业家倍增发展的信心和决心。",
        # A district's enterprises are some of the city's list, not a list of their own.
        district_text="选树优秀典型。{whole}{top50_listed}企业入选首届“德阳非公企业50强”，"
        "{private100_entrants}民营企业入围{year}四川省民营企业100强榜单，"
        "进一步激发民营企业家倍增发展的信心和决心。",
    ),
    Block(
        "centre_3",
        ITEM,
        "加强阵地建设。首批打造{tongxin_bases}“同心德阳”统战工作基地，"
        "{site_meetings:每季度}基层统战工作现场推进会，"
        "形成《{region_name}{year}年度统战工作十大创新特色案例汇编》，"
        "创新成立全省统一战线服务乡村首个智库型组织“乡村振兴研究院”。",
        district_text="加强阵地建设。打造{tongxin_bases}“同心德阳”统战工作基地，"
        "{site_meetings:每季度}基层统战工作现场推进会，"
        "总结形成一批统战工作创新特色案例。",
    ),
    Block(
        "centre_4",
        ITEM,
        "创新招引方式。成功承办第二十届“海科会”智能制造论坛，邀请嘉宾来德考察投资。"
        "开展涉台涉侨招商活动{investment_events}，推介项目{promoted_projects}，积极推进涉台园区建设，"
        "出台创新创业新政策，新增{new_taiwan_enterprises}台资企业。",
        district_text="创新招引方式。开展涉台涉侨招商活动{investment_events}，"
        "推介项目{promoted_projects}，新增{new_taiwan_enterprises}台资企业。",
    ),
    Block(
        "centre_5",
        ITEM,
        "搭建交流平台。创新开展与港澳台侨企业负责人“面对面”沟通协商会、服务港澳台侨企业银政企对接会，"
        "协调解决困难问题{hmt_cases_resolved:余}，"
        "协调金融机构为港澳台侨企业授信签约{hmt_credit:亿元}。",
    ),
    # --- 守正创新 ---
    Block("reform_heading", HEADING, "守正创新　推动各项工作提质增效"),
    Block(
        "reform_intro",
        PARAGRAPH,
        "{year}年，{department}不断增强责任意识，持之以恒、久久为功，推动各项工作提质增效，"
        "服务{place}高质量发展。",
    ),
    Block(
        "reform_1",
        ITEM,
        "多党合作制度效能提升。全年召开政党协商会议{party_consultations}。"
        "通过搭建知情明政、联系沟通、岗位锻炼“三个平台”支持民主党派履职。"
        "支持各民主党派围绕{committee}提出的“四五五六”发展总思路，形成{party_reports}高质量调研报告，"
        "{party_reports_endorsed}获省市领导批示，{party_reports_adopted}被党派中央和全国人大、政协采用。",
        district_text="多党合作制度效能提升。全年召开政党协商会议{party_consultations}。"
        "通过搭建知情明政、联系沟通、岗位锻炼“三个平台”支持民主党派履职。"
        "支持各民主党派围绕中心工作形成{party_reports}高质量调研报告，"
        "{party_reports_endorsed}获省市领导批示，{party_reports_adopted}被党派中央和全国人大、政协采用。",
    ),
    Block(
        "reform_2",
        ITEM,
        "中华民族共同体意识持续铸牢。全覆盖开展学校铸牢中华民族共同体意识主题教育实践活动，"
        "打造{immersion_sites:余}浸润式教学体验阵地，"
        "研发{model_course_modules:余}{model_courses}精品示范课程、"
        "举办{themed_activities:余}主题活动，承办全省性活动{provincial_events}。"
        "在全省率先出台民族团结进步专项规划，率先制定示范单位管理办法。",
        district_text="中华民族共同体意识持续铸牢。全覆盖开展学校铸牢中华民族共同体意识主题教育实践活动，"
        "打造{immersion_sites:余}浸润式教学体验阵地，"
        "研发{model_course_modules:余}{model_courses}精品示范课程、"
        "举办{themed_activities:余}主题活动，承办全省性活动{provincial_events}。",
    ),
    Block(
        "reform_3",
        ITEM,
        "我国宗教中国化扎实推进。持续深化“爱国爱教爱家乡”主题教育活动。"
        "以推动宗教活动场所法人登记为抓手，探索创建{religious_model_sites}坚持我国宗教中国化方向示范场所。",
    ),
    Block(
        "reform_4",
        ITEM,
        "人才队伍建设走深走实。举办民主党派成员培训班和党外知识分子、新的社会阶层人士培训班等，"
        "累计参训人数{trainees:余}。完成第{secondments_batch_number:数}批{secondments_batch}党外干部"
        "赴省级部门和市县一线岗位挂职锻炼工作，共{secondments_total}党外干部上挂下派得到锻炼成长。"
        "落实无党派代表人士“双走访”“双报告”工作，进一步加强代表人士队伍培训和引导。",
    ),
    Block(
        "reform_5",
        ITEM,
        "信息宣传工作蹄疾步稳。发挥{place}统一战线新媒体宣传矩阵作用，传播{place}统战声音，"
        "讲好{place}统战故事，{place}统一战线的影响力和美誉度明显提升。",
    ),
    Block(
        "closing",
        PARAGRAPH,
        "踏上新征程、实现新发展、展现新作为。{next_year}年，{department}将以“坚守第一方阵，"
        "全力保五奔三”为目标，齐心协力，务实进取，为全面建设社会主义现代化{place}作出新的更大贡献。",
        district_text="踏上新征程、实现新发展、展现新作为。{next_year}年，{department}将齐心协力，"
        "务实进取，为全面建设社会主义现代化{place}作出新的更大贡献。",
    ),
)

BLOCK_KEYS = tuple(block.key for block in BLOCKS)
BY_KEY = {block.key: block for block in BLOCKS}


# --- the words of a place -------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """How the summary names its region: 德阳 / 市委 / 全市 for the city, 旌阳区 / 区委 / 全区 …"""

    region: Region

    @property
    def is_city(self) -> bool:
        return self.region.kind in (RegionKind.CITY, RegionKind.PROVINCE)

    def words(self, year: int) -> dict[str, str]:
        kind = self.region.kind
        name = self.region.name
        if kind in (RegionKind.CITY, RegionKind.COUNTY_CITY):
            level, government = "市", "市政府"
        elif kind == RegionKind.COUNTY:
            level, government = "县", "县政府"
        elif kind == RegionKind.PROVINCE:
            level, government = "省", "省政府"
        elif kind == RegionKind.FUNCTIONAL:
            level, government = "区", "管委会"
        else:
            level, government = "区", "区政府"
        # 德阳市 reads 德阳 in running text (“现代化德阳”); a district keeps its whole name.
        short = name[:-1] if name.endswith(("市", "省")) and len(name) > 2 else name
        committee = "党工委" if kind == RegionKind.FUNCTIONAL else f"{level}委"
        return {
            "year": str(year),
            "next_year": str(year + 1),
            "place": short,
            "region_name": name,
            "department": f"{name}委统战部"
            if kind != RegionKind.FUNCTIONAL
            else f"{name}党工委统战部",
            "department_short": f"{committee}统战部",
            "committee": committee,
            "government": government,
            "whole": f"全{level}",
        }


PLACE_WORDS = {
    "year": "年份，如 2022",
    "next_year": "下一年，如 2023",
    "place": "地名，如 德阳、旌阳区",
    "region_name": "区划全称，如 德阳市",
    "department": "统战部全称，如 德阳市委统战部",
    "department_short": "统战部简称，如 市委统战部",
    "committee": "党委简称，如 市委、区委",
    "government": "政府简称，如 市政府、区政府",
    "whole": "范围，如 全市、全区",
}
