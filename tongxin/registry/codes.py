"""The initial code tables (kinds as in registry.models.CodeKind; plain strings so that a
migration can import this module without the current models). A data migration loads them;
admins edit them afterwards.

Each entry: (name, code, line code or None, aliases, parent name or None)."""

from __future__ import annotations

from typing import Any

Entry = tuple[str, str, str | None, str, str | None]
Model = Any  # the historical model a migration passes

# 《中国共产党统一战线工作条例》第三条：统一战线工作对象 (12 categories), with the business line
# (条线) whose staff keep them.
CATEGORIES: list[Entry] = [
    ("民主党派成员", "01", "dangpai", "民主党派", None),
    ("无党派人士", "02", "dangpai", "无党派", None),
    ("党外知识分子", "03", "dangpai", "党外知识分子", None),
    ("少数民族人士", "04", "minzong", "少数民族", None),
    ("宗教界人士", "05", "minzong", "宗教界", None),
    ("非公有制经济人士", "06", "feigong", "非公经济人士、非公有制经济", None),
    ("新的社会阶层人士", "07", "xinjie", "新阶、新阶人士、新的社会阶层", None),
    ("出国和归国留学人员", "08", "gangaotaiqiao", "留学人员、归国留学人员", None),
    ("香港同胞、澳门同胞", "09", "gangaotaiqiao", "港澳同胞、香港同胞、澳门同胞", None),
    ("台湾同胞及其在大陆的亲属", "10", "gangaotaiqiao", "台湾同胞、台胞、台属", None),
    ("华侨、归侨及侨眷", "11", "gangaotaiqiao", "华侨、归侨、侨眷", None),
    ("其他需要联系和团结的人员", "12", "bangongshi", "其他", None),
]

STRATUM_GROUPS: list[Entry] = [
    (
        "民营企业和外商投资企业管理技术人员",
        "1",
        None,
        "民营企业管理技术人员、外企管理技术人员",
        None,
    ),
    ("中介组织和社会组织从业人员", "2", None, "中介组织从业人员、社会组织从业人员", None),
    ("自由职业人员", "3", None, "自由职业者", None),
    ("新媒体从业人员", "4", None, "新媒体", None),
]

STRATUM_SUBTYPES: list[Entry] = [
    ("民营企业管理人员", "11", None, "", "民营企业和外商投资企业管理技术人员"),
    ("民营企业技术人员", "12", None, "", "民营企业和外商投资企业管理技术人员"),
    ("外商投资企业管理技术人员", "13", None, "外企", "民营企业和外商投资企业管理技术人员"),
    ("律师", "21", None, "", "中介组织和社会组织从业人员"),
    ("注册会计师", "22", None, "会计师", "中介组织和社会组织从业人员"),
    ("社会组织从业人员", "23", None, "", "中介组织和社会组织从业人员"),
    ("其他中介组织从业人员", "24", None, "", "中介组织和社会组织从业人员"),
    ("自由撰稿人、独立演员歌手等文艺工作者", "31", None, "文艺工作者", "自由职业人员"),
    ("其他自由职业人员", "32", None, "", "自由职业人员"),
    ("网络作家、网络主播", "41", None, "网络主播、网络作家", "新媒体从业人员"),
    ("新媒体企业从业人员", "42", None, "", "新媒体从业人员"),
]

# GB/T 3304 民族
_ETHNIC = [
    "汉",
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
]
_OTHER_ETHNICITIES: list[Entry] = [
    ("其他", "97", None, "", None),
    ("外国血统中国籍人士", "98", None, "", None),
]
ETHNICITIES: list[Entry] = [
    (f"{name}族", f"{i:02d}", None, name, None) for i, name in enumerate(_ETHNIC, start=1)
] + _OTHER_ETHNICITIES

RELIGIONS: list[Entry] = [
    ("无宗教信仰", "0", None, "无", None),
    ("佛教", "1", None, "", None),
    ("道教", "2", None, "", None),
    ("伊斯兰教", "3", None, "", None),
    ("天主教", "4", None, "", None),
    ("基督教", "5", None, "基督新教", None),
    ("其他", "9", None, "", None),
]

# GB/T 4762 政治面貌
POLITICAL_STATUSES: list[Entry] = [
    ("中共党员", "01", None, "中国共产党党员、党员", None),
    ("中共预备党员", "02", None, "预备党员", None),
    ("共青团员", "03", None, "团员", None),
    ("民革党员", "04", None, "民革会员、中国国民党革命委员会", None),
    ("民盟盟员", "05", None, "民盟、中国民主同盟", None),
    ("民建会员", "06", None, "民建、中国民主建国会", None),
    ("民进会员", "07", None, "民进、中国民主促进会", None),
    ("农工党党员", "08", None, "农工党、中国农工民主党", None),
    ("致公党党员", "09", None, "致公党、中国致公党", None),
    ("九三学社社员", "10", None, "九三学社", None),
    ("台盟盟员", "11", None, "台盟、台湾民主自治同盟", None),
    ("无党派人士", "12", None, "无党派", None),
    ("群众", "13", None, "", None),
]

# GB/T 4658 学历 (simplified to the levels a roster uses)
EDUCATIONS: list[Entry] = [
    ("博士研究生", "11", None, "博士", None),
    ("硕士研究生", "14", None, "硕士、研究生", None),
    ("大学本科", "21", None, "本科、大学", None),
    ("大学专科", "31", None, "专科、大专", None),
    ("中等专科", "41", None, "中专、中技", None),
    ("高中", "61", None, "", None),
    ("初中及以下", "71", None, "初中、小学", None),
]

REP_LEVELS: list[Entry] = [
    ("全国", "1", None, "国家级", None),
    ("省级", "2", None, "省", None),
    ("市级", "3", None, "市", None),
    ("县级", "4", None, "县、区级、县（市、区）级", None),
]

ARRANGEMENT_KINDS: list[Entry] = [
    ("人大代表", "1", None, "", None),
    ("政协委员", "2", None, "", None),
    ("政府参事", "3", None, "参事", None),
    ("特约人员", "4", None, "特约监督员、特约检察员、特约审判员", None),
]

ORG_TYPES: list[Entry] = [
    ("联谊组织", "lianyi", "xinjie", "联谊会", None),
    ("服务团", "fuwutuan", "xinjie", "", None),
    ("民主党派组织", "dangpai", "dangpai", "民主党派", None),
    ("工商联及商会", "shanghui", "feigong", "工商联、商会、行业协会", None),
    ("宗教活动场所", "zongjiao", "minzong", "寺观教堂", None),
    ("企业", "qiye", "feigong", "民营企业、公司", None),
    ("学校", "xuexiao", "minzong", "", None),
    ("智库", "zhiku", "bangongshi", "研究院", None),
    ("统战工作阵地", "zhendi", "bangongshi", "基地", None),
    ("其他组织", "qita", "bangongshi", "", None),
]

ORG_SUBTYPES: list[Entry] = [
    ("新的社会阶层人士联谊会", "xinlianhui", None, "新联会", "联谊组织"),
    ("网络人士联谊会", "wanglian", None, "网联会", "联谊组织"),
    ("律师行业联谊组织", "lvshi", None, "", "联谊组织"),
    ("会计行业联谊组织", "kuaiji", None, "", "联谊组织"),
    ("欧美同学会（留学人员联谊会）", "liuxue", None, "留联会", "联谊组织"),
    ("民营企业", "minying", None, "", "企业"),
    ("台资企业", "taizi", None, "", "企业"),
    ("侨资企业", "qiaozi", None, "", "企业"),
    ("佛教寺院", "fojiao", None, "", "宗教活动场所"),
    ("道教宫观", "daojiao", None, "", "宗教活动场所"),
    ("清真寺", "yisilan", None, "", "宗教活动场所"),
    ("天主教堂", "tianzhu", None, "", "宗教活动场所"),
    ("基督教堂", "jidu", None, "", "宗教活动场所"),
]

DESIGNATION_KINDS: list[Entry] = [
    ("同心德阳统战工作基地", "tongxin_base", None, "同心德阳基地", None),
    ("新的社会阶层人士统战工作实践创新基地", "xinjie_base", None, "实践创新基地", None),
    ("民族团结进步示范单位", "minzu_model", None, "民族团结示范单位", None),
    ("坚持我国宗教中国化方向示范场所", "zongjiao_model", None, "宗教中国化示范场所", None),
    ("浸润式教学体验阵地", "jinrun", None, "", None),
    # A place on the provincial list of 四川省工商联, given by batch (年度) like a title: the
    # department tracks its entrants, it does not rank them (migration 0007 adds it to old DBs).
    ("四川省民营企业100强", "private_100", "feigong", "四川民营企业100强、省民营企业100强", None),
]

# Kinds of activity (DESIGN.md); the line is the one that usually holds them, codes are stable keys
# that metrics and the meeting brief may name.
ACTIVITY_TYPES: list[Entry] = [
    ("推进会", "tuijinhui", None, "工作推进会", None),
    ("联席会议", "lianxi", None, "联席会议全体会议", None),
    ("领导小组会议", "lingdao", None, "领导小组全体会议", None),
    ("政党协商会议", "zhengdang", "dangpai", "政党协商会、政党协商", None),
    ("恳谈会", "kentan", "feigong", "面对面恳谈会、面对面", None),
    ("对接会", "duijie", "feigong", "政企对接会、银企对接会", None),
    ("现场推进会", "xianchang", None, "基层统战工作现场推进会", None),
    ("座谈会", "zuotan", None, "座谈", None),
    ("培训班", "peixun", "ganbu", "培训、研修班", None),
    ("走访", "zoufang", None, "走访慰问", None),
    ("宣讲", "xuanjiang", "xuanchuan", "宣讲会", None),
    ("主题教育", "zhuti", None, "主题教育活动", None),
    ("调研", "diaoyan", None, "专题调研", None),
    ("论坛", "luntan", None, "峰会", None),
    ("招商推介", "zhaoshang", "gangaotaiqiao", "招商推介会、推介会、招商活动", None),
    ("品牌活动", "pinpai", None, "", None),
    ("课程教学", "kecheng", "xuanchuan", "课程、教学", None),
    ("其他活动", "qita", None, "其他", None),
]

TABLES: dict[str, list[Entry]] = {
    "category": CATEGORIES,
    "stratum_group": STRATUM_GROUPS,
    "stratum_subtype": STRATUM_SUBTYPES,
    "ethnicity": ETHNICITIES,
    "religion": RELIGIONS,
    "political_status": POLITICAL_STATUSES,
    "education": EDUCATIONS,
    "rep_level": REP_LEVELS,
    "arrangement_kind": ARRANGEMENT_KINDS,
    "org_type": ORG_TYPES,
    "org_subtype": ORG_SUBTYPES,
    "designation_kind": DESIGNATION_KINDS,
    "activity_type": ACTIVITY_TYPES,
}
# Subtypes name their parent in another table.
PARENT_KIND = {
    "stratum_subtype": "stratum_group",
    "org_subtype": "org_type",
}


def load(code_item_model: Model, line_model: Model) -> None:
    """Insert missing entries; leave the ones admins have edited alone. Takes the models as
    arguments so that a migration can pass its historical models."""
    lines = {line.code: line for line in line_model.objects.all()}
    for kind, entries in TABLES.items():
        for order, (name, code, line, aliases, parent_name) in enumerate(entries):
            if code_item_model.objects.filter(kind=kind, name=name).exists():
                continue
            parent = (
                code_item_model.objects.get(kind=PARENT_KIND[kind], name=parent_name)
                if parent_name
                else None
            )
            code_item_model.objects.create(
                kind=kind,
                name=name,
                code=code,
                line=lines.get(line) if line else None,
                aliases=aliases,
                order=order,
                parent=parent,
            )
