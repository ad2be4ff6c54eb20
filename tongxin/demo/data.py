"""The Deyang reference data: real regions (GB/T 2260) and the units named in the seeds.

People, enterprises and figures are added by later parts of the demo; the users here are
fictional demo accounts, one per role."""

from __future__ import annotations

from tongxin.core.models import RegionKind, Role, UnitKind

# Printed by `make run` and written in the README; `demo` refuses to create accounts in production.
DEMO_PASSWORD = "Tongxin@2026"  # noqa: S105

# (code, name, kind, parent code)
REGIONS: list[tuple[str, str, str, str | None]] = [
    ("510000", "四川省", RegionKind.PROVINCE, None),
    ("510600", "德阳市", RegionKind.CITY, "510000"),
    ("510603", "旌阳区", RegionKind.DISTRICT, "510600"),
    ("510604", "罗江区", RegionKind.DISTRICT, "510600"),
    ("510623", "中江县", RegionKind.COUNTY, "510600"),
    ("510681", "广汉市", RegionKind.COUNTY_CITY, "510600"),
    ("510682", "什邡市", RegionKind.COUNTY_CITY, "510600"),
    ("510683", "绵竹市", RegionKind.COUNTY_CITY, "510600"),
    # 德阳经开区 has no GB/T 2260 code: a functional area takes a 9-digit code under its city.
    ("510600901", "德阳经开区", RegionKind.FUNCTIONAL, "510600"),
]

# (name, short name, kind, region code)
UNITS: list[tuple[str, str, str, str]] = [
    ("中共德阳市委统一战线工作部", "市委统战部", UnitKind.PARTY, "510600"),
    ("中共德阳市委网络安全和信息化委员会办公室", "市委网信办", UnitKind.PARTY, "510600"),
    ("德阳市司法局", "市司法局", UnitKind.GOVERNMENT, "510600"),
    ("中共德阳市委组织部", "市委组织部", UnitKind.PARTY, "510600"),
    ("中共德阳市委宣传部", "市委宣传部", UnitKind.PARTY, "510600"),
    ("中共德阳市委台湾工作办公室", "市台办", UnitKind.PARTY, "510600"),
    ("德阳市人民政府侨务办公室", "市侨办", UnitKind.GOVERNMENT, "510600"),
    ("德阳市民族宗教事务局", "市民宗局", UnitKind.GOVERNMENT, "510600"),
    ("德阳市经济和信息化局", "市经信局", UnitKind.GOVERNMENT, "510600"),
    ("德阳市民政局", "市民政局", UnitKind.GOVERNMENT, "510600"),
    ("德阳市教育局", "市教育局", UnitKind.GOVERNMENT, "510600"),
    ("德阳市工商业联合会", "市工商联", UnitKind.ORGANIZATION, "510600"),
    ("中共德阳市委党校", "市委党校", UnitKind.INSTITUTION, "510600"),
    ("德阳市社会主义学院", "市社院", UnitKind.INSTITUTION, "510600"),
    ("中共德阳市旌阳区委统一战线工作部", "旌阳区委统战部", UnitKind.PARTY, "510603"),
    ("中共德阳市罗江区委统一战线工作部", "罗江区委统战部", UnitKind.PARTY, "510604"),
    ("中共中江县委统一战线工作部", "中江县委统战部", UnitKind.PARTY, "510623"),
    ("中共广汉市委统一战线工作部", "广汉市委统战部", UnitKind.PARTY, "510681"),
    ("中共什邡市委统一战线工作部", "什邡市委统战部", UnitKind.PARTY, "510682"),
    ("中共绵竹市委统一战线工作部", "绵竹市委统战部", UnitKind.PARTY, "510683"),
    ("德阳经开区党群工作部", "经开区党群工作部", UnitKind.PARTY, "510600901"),
    ("德阳市旌阳区司法局", "旌阳区司法局", UnitKind.GOVERNMENT, "510603"),
    ("德阳市罗江区工商业联合会", "罗江区工商联", UnitKind.ORGANIZATION, "510604"),
]

# (username, name, role, region code, lines, unit short name, title)
USERS: list[tuple[str, str, str, str, list[str], str | None, str]] = [
    ("demo_admin", "系统管理员", Role.ADMIN, "510600", [], "市委统战部", "信息化专员"),
    ("demo_city", "李文静", Role.CITY_STAFF, "510600", ["新阶"], "市委统战部", "新阶科科员"),
    ("demo_feigong", "张海峰", Role.CITY_STAFF, "510600", ["非公经济"], "市委统战部", "经济科科员"),
    ("demo_district", "王志强", Role.DISTRICT_STAFF, "510603", [], "旌阳区委统战部", "科员"),
    ("demo_luojiang", "陈晓梅", Role.DISTRICT_STAFF, "510604", [], "罗江区委统战部", "科员"),
    ("demo_liaison", "赵一鸣", Role.LIAISON, "510600", [], "市委网信办", "联络员"),
    ("demo_sifa", "周法明", Role.LIAISON, "510600", [], "市司法局", "联络员"),
    # Liaisons of the other member units of the joint meeting (governance_data.JOINT_MEMBERS).
    ("demo_xuanchuan", "钱晓燕", Role.LIAISON, "510600", [], "市委宣传部", "联络员"),
    ("demo_minzheng", "吴国栋", Role.LIAISON, "510600", [], "市民政局", "联络员"),
    ("demo_gsl", "郑丽华", Role.LIAISON, "510600", [], "市工商联", "联络员"),
    ("demo_leader", "刘建国", Role.LEADER, "510600", [], "市委统战部", "副部长"),
    ("demo_auditor", "孙审计", Role.AUDITOR, "510600", [], "市委统战部", "审计员"),
]
