"""Journey 4: the liaison of 市司法局 finds the unit's overdue task (督办事项) on the workbench and
reports its progress with a file; the department's owner of the task reads it on the task page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from .conftest import Journey, named

TASK = "组织律师行业新阶人士开展“法律服务进民企”活动"  # the demo's overdue task of 市司法局
PROGRESS = "已组织12家律所与旌阳区30家民营企业结对，首场“法律服务进民企”活动定于下周二举行。"


def test_liaison_reports_task_progress(journey: Journey, tmp_path: Path) -> None:
    page = journey.page
    journey.log_in("demo_sifa")
    board = page.locator(".card", has=page.get_by_text("本单位督办事项"))
    expect(board.get_by_role("link", name=TASK)).to_be_visible()
    journey.shot("workbench")

    board.get_by_role("link", name=TASK).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TASK)
    expect(page.get_by_text("已逾期")).to_be_visible()
    action = page.locator("details", has=page.locator("summary", has_text="报告进展"))
    if action.get_attribute("open") is None:
        action.locator("summary").click()
    plan = tmp_path / "法律服务进民企活动安排.txt"
    plan.write_text("法律服务进民企活动安排\n一、结对名单\n二、活动日程\n", encoding="utf-8")
    action.get_by_label("办理进展").fill(PROGRESS)
    action.get_by_label("附件").set_input_files(plan)
    journey.shot("progress-form")
    action.get_by_role("button", name=named("报告进展")).click()

    record = page.locator(".card", has=page.get_by_text("督办记录"))
    step = record.get_by_role("listitem").filter(has_text=PROGRESS)
    expect(step).to_be_visible()
    expect(step.get_by_role("link", name=plan.name)).to_be_visible()
    expect(step).to_contain_text("市司法局")
    journey.shot("progress-reported")

    # The owner in the department (李文静, demo_city) sees the report where she follows the task.
    owner = journey.new_page()
    journey.log_in("demo_city", owner)
    journey.nav("督办事项", owner)
    row = owner.get_by_role("row").filter(has_text=TASK)
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    expect(row).to_contain_text(today)  # 最近进展
    row.get_by_role("link", name=TASK).click()
    expect(owner.locator(".card", has=owner.get_by_text("督办记录"))).to_contain_text(PROGRESS)
    journey.shot("owner-reads-progress", owner)
