"""Journey 6: a leader lands on the dashboard, picks 2022, and follows a figure (受理诉求) down to
the records it counts — as many as the figure says — and on to one of those cases."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import Journey

FIGURE = "受理诉求"


def test_dashboard_figure_opens_its_records(journey: Journey) -> None:
    page = journey.page
    journey.log_in("demo_leader")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))  # where leaders land
    expect(page).to_have_title(re.compile("^驾驶舱"))

    page.get_by_label("年份").select_option(label="2022年")
    page.get_by_role("button", name=re.compile("查看")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("德阳市 · 2022年")
    figure = page.locator(".stat", has=page.get_by_text(FIGURE, exact=True))
    number = figure.locator("a.value")
    expect(number).to_have_text(re.compile(r"^[\d,]+件$"))
    value = int(number.inner_text().removesuffix("件").replace(",", ""))
    assert value > 0
    journey.shot("dashboard-2022")

    number.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{FIGURE}：{value} 件")
    expect(page.get_by_text(f"下列 {value} 条记录即本指标统计的全部记录")).to_be_visible()
    expect(page.get_by_text(re.compile(rf"^共 {value} 条"))).to_be_visible()
    records = page.locator("table tbody tr")
    expect(records.first).to_be_visible()
    journey.shot("records")

    first = records.first.get_by_role("link").first
    title = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    expect(page.get_by_text("办理记录")).to_be_visible()  # a case, with its timeline
    journey.shot("record")
