"""Journey 9: a person (曾蓉, a demo account) reports a difficulty from a phone through the
portal; it reaches the 旌阳 staff's inbox, becomes a case (网上反映) assigned to 市司法局; the
unit's liaison resolves it; the person sees the case's progress and its resolution as the
answer, and rates it."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from .conftest import PASSWORD, Journey, named
from .test_case_from_visit import case_action, status

PHONE = "13800000001"  # 曾蓉's portal login in the demo (manage.py demo prints it)
TITLE = "小区旁夜间施工噪音扰民"
TEXT = "律所所在小区旁的工地连续一个月夜间施工到凌晨，附近住户和律所员工休息受影响，希望协调查处。"
RESOLUTION = "已协调区住建局约谈施工单位，夜间22时后停止高噪音作业，城管每晚巡查。"


def test_an_opinion_from_the_portal_becomes_a_case_and_its_answer_reaches_the_person(
    journey: Journey,
) -> None:
    phone = journey.new_phone_page()
    phone.goto("/portal/login/")
    phone.get_by_label("手机号码").fill(PHONE)
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登 录").click()
    expect(phone.get_by_role("heading", name="您好，曾蓉")).to_be_visible()
    phone.locator(".portal-tile", has_text="反映意见").click()
    phone.get_by_text("困难诉求", exact=True).click()
    phone.get_by_label("标题").fill(TITLE)
    phone.get_by_label("具体内容").fill(TEXT)
    journey.shot("opinion-form", phone)
    phone.get_by_role("button", name="提 交").click()
    expect(phone.get_by_role("heading", name=TITLE)).to_be_visible()
    opinion_url = phone.url
    journey.shot("opinion-sent", phone)

    staff = journey.page
    journey.log_in("demo_district")
    staff.goto("/portal-admin/opinions/")
    staff.get_by_role("link", name=TITLE).first.click()
    expect(staff.get_by_text(TEXT)).to_be_visible()
    journey.shot("staff-inbox-detail")
    staff.get_by_role("button", name=named("转为诉求")).click()
    expect(status(staff)).to_contain_text("受理")
    expect(staff.get_by_text("网上反映").first).to_be_visible()
    journey.shot("case-from-portal")

    form = case_action(staff, "交办")
    form.get_by_label("德阳市司法局", exact=True).check()
    form.get_by_label("办理时限").fill((dt.date.today() + dt.timedelta(days=10)).isoformat())
    form.get_by_role("button", name=named("交办")).click()
    expect(status(staff)).to_contain_text("已交办")
    case_url = staff.url

    phone.goto(opinion_url)
    expect(phone.get_by_text("已转为诉求 · 交办").first).to_be_visible()
    journey.shot("person-sees-progress", phone)

    liaison = journey.new_page()
    journey.log_in("demo_sifa", liaison)
    liaison.goto(case_url)
    case_action(liaison, "开始办理").get_by_role("button", name=named("开始办理")).click()
    expect(status(liaison)).to_contain_text("办理中")
    form = case_action(liaison, "办结")
    form.get_by_label("办理结果").fill(RESOLUTION)
    form.get_by_role("button", name=named("办结")).click()
    expect(status(liaison)).to_contain_text("已办结")

    phone.goto(opinion_url)
    expect(phone.get_by_text(RESOLUTION)).to_be_visible()
    journey.shot("person-sees-answer", phone)
    phone.get_by_text("满意", exact=True).click()
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_text("我的评价")).to_be_visible()
    expect(phone.locator(".portal-stars")).to_have_attribute("aria-label", re.compile("4 分"))
    journey.shot("person-rated", phone)
