"""Journey 1: a staff member logs in, searches by pinyin initials and opens the person."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import Journey


def test_search_by_pinyin_initials(journey: Journey) -> None:
    page = journey.page
    journey.log_in("demo_city")
    expect(page).to_have_title(re.compile("^工作台"))
    journey.shot("workbench")

    journey.nav("统战对象")
    search = page.get_by_placeholder("姓名、拼音首字母（如 zr）、身份证号、手机号、单位")
    search.fill("zr")
    search.press("Enter")
    rows = page.locator("#rows")
    expect(page).to_have_url(re.compile(r"/persons/\?.*q=zr"))
    expect(rows.get_by_role("link", name="曾蓉", exact=True)).to_be_visible()
    journey.shot("search-zr")

    rows.get_by_role("link", name="曾蓉", exact=True).click()
    expect(page.get_by_role("heading", name="曾蓉", level=1)).to_be_visible()
    expect(page.get_by_text("四川同德律师事务所").first).to_be_visible()
    journey.shot("person-zeng-rong")
