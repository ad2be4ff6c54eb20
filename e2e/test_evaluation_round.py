"""Journey 5: the city's 非公经济 staff open a new round of 德阳非公企业50强 (for 2021, the year of
enterprise figures the demo has without a round yet), compute it, check the ranking and publish
it; the published list is frozen and can be exported."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import Journey, named

SET = "德阳非公企业50强"
YEAR = 2021
TITLE = f"{YEAR}年{SET}"


def test_compute_and_publish_top_50(journey: Journey) -> None:
    page = journey.page
    journey.log_in("demo_feigong")
    journey.nav("考评")
    page.get_by_role("link", name=named("指标体系")).first.click()
    page.get_by_role("link", name=SET, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SET)

    rounds = page.locator("#rounds")
    rounds.locator("summary", has_text="新建考评轮次").click()
    rounds.get_by_label("考评年度").fill(str(YEAR))
    expect(rounds.get_by_label("考评范围")).to_have_value(re.compile(r".+"))  # the set's region
    journey.shot("new-round")
    rounds.get_by_role("button", name=named("新建")).click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(TITLE)
    expect(heading).to_contain_text("草稿")
    journey.shot("draft")

    page.get_by_role("button", name=named("计算")).click()
    expect(heading).to_contain_text("已计算")
    ranking = page.locator("#ranking")
    cut = ranking.get_by_text(re.compile(r"上榜名单：前50名，\d+ 个"))
    expect(cut).to_be_visible()
    listed = int(re.search(r"前50名，(\d+) 个", cut.inner_text()).group(1))  # type: ignore[union-attr]
    assert listed >= 50  # those tied at the cut are all listed
    rows = ranking.locator("tbody tr")
    expect(rows).to_have_count(listed)
    expect(rows.first.locator("td").first).to_have_text("1")
    journey.shot("computed")

    page.get_by_role("button", name=named("发布")).click()  # confirms the freeze
    expect(heading).to_contain_text("已发布")
    expect(page.get_by_text("结果已冻结").first).to_be_visible()
    expect(page.get_by_role("button", name=named("重新计算"))).to_have_count(0)
    journey.shot("published")

    with page.expect_download() as download:
        page.get_by_role("link", name=named("导出 .docx")).click()
    assert download.value.suggested_filename.endswith(".docx")
    assert download.value.failure() is None

    journey.nav("考评")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=TITLE, exact=True))
    expect(row).to_contain_text("已发布")
    journey.shot("round-list")
