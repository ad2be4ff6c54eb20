"""Journey 3: district staff record a visit (走访) with a difficulty heard and turn it into a case
(诉求) assigned to 市司法局 with a deadline; the unit's liaison takes it on and closes it (办结);
the staff member records the follow-up call (回访). The case's timeline shows every step."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Locator, Page, expect

from .conftest import Journey, named

DIFFICULTY = "律所新办公场地的消防验收迟迟排不上队，影响年底搬迁，希望协调市消防救援支队加快办理。"
TITLE = DIFFICULTY[:10]  # the case's title begins with the opinion's words


def case_action(page: Page, label: str) -> Locator:
    """Open one action of the case page's 办理 card (a <details>; the page opens the next move
    itself) and return its form."""
    card = page.locator(".card", has=page.get_by_text("办理", exact=True))
    action = card.locator("details", has=page.locator("summary", has_text=label))
    if action.get_attribute("open") is None:
        action.locator("summary").click()
    form = action.locator("form")
    expect(form).to_be_visible()
    return form


def status(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def test_visit_opinion_becomes_a_case_and_is_closed(journey: Journey) -> None:
    page = journey.page
    journey.log_in("demo_district")
    journey.nav("走访")
    page.get_by_role("link", name=named("记录走访")).first.click()
    expect(page.get_by_role("heading", name="记录走访")).to_be_visible()

    page.get_by_label("人员或组织").fill("zr")
    page.locator("#target-options").get_by_role(
        "radio", name=re.compile(r"^[\s\ue000-\uf8ff]*曾蓉(\s|$)")
    ).check()
    page.get_by_label("走访情况").fill("到律所座谈，了解新办公场地装修和搬迁进度。")
    page.get_by_label("意见类别").first.select_option(label="困难诉求")
    page.get_by_label("意见内容").first.fill(DIFFICULTY)
    journey.shot("visit-form")
    page.get_by_role("button", name=named("保存走访")).click()

    expect(page.get_by_role("heading", name="走访曾蓉")).to_be_visible()
    opinion = page.get_by_role("listitem").filter(has_text=DIFFICULTY)
    expect(opinion).to_be_visible()
    journey.shot("visit-saved")

    opinion.get_by_role("button", name=named("转为诉求")).click()
    expect(page.get_by_text("已转为诉求")).to_be_visible()
    expect(status(page)).to_contain_text("受理")
    case_url = page.url
    journey.shot("case-accepted")

    form = case_action(page, "交办")
    form.get_by_label("德阳市司法局", exact=True).check()
    form.get_by_label("办理时限").fill((dt.date.today() + dt.timedelta(days=14)).isoformat())
    form.get_by_label("交办说明").fill("请市司法局协调消防救援支队。")
    journey.shot("assign-form")
    form.get_by_role("button", name=named("交办")).click()
    expect(status(page)).to_contain_text("已交办")
    expect(page.locator("dd").filter(has_text="德阳市司法局")).to_be_visible()
    journey.shot("case-assigned")

    # The liaison of 市司法局 finds the case among the unit's and handles it.
    liaison = journey.new_page()
    journey.log_in("demo_sifa", liaison)
    journey.nav("诉求", liaison)
    liaison.get_by_role("link", name=re.compile("^" + re.escape(TITLE))).first.click()
    expect(liaison).to_have_url(case_url)
    case_action(liaison, "开始办理").get_by_role("button", name=named("开始办理")).click()
    expect(status(liaison)).to_contain_text("办理中")
    form = case_action(liaison, "办结")
    form.get_by_label("办理结果").fill("已协调市消防救援支队开辟绿色通道，12月上旬完成验收。")
    journey.shot("liaison-resolves", liaison)
    form.get_by_role("button", name=named("办结")).click()
    expect(status(liaison)).to_contain_text("已办结")
    journey.shot("case-resolved", liaison)

    page.reload()
    expect(status(page)).to_contain_text("已办结")
    form = case_action(page, "回访")
    form.get_by_label("满意", exact=True).check()
    form.get_by_label("回访情况").fill("电话回访曾蓉，对办理结果表示满意。")
    form.get_by_role("button", name=named("回访")).click()
    expect(status(page)).to_contain_text("已回访")
    timeline = page.locator(".card", has=page.get_by_text("办理记录"))
    expect(timeline).to_contain_text("5 步")
    for step in ("受理 → 交办", "交办 → 办理中", "办理中 → 办结", "办结 → 回访"):
        expect(timeline.get_by_text(step)).to_be_visible()
    expect(timeline).to_contain_text("· 市司法局")  # the liaison handled it, for the unit
    journey.shot("case-followed-up")
