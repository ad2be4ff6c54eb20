"""Browser journeys: Playwright's sync API driving Debian's chromium against a running server.

`make e2e` prepares a fresh demo database, starts the app and sets TONGXIN_E2E_URL; by hand:
`TONGXIN_E2E_URL=http://127.0.0.1:8000 .venv/bin/pytest e2e` against a server holding the demo
(the journeys change records, so use a throwaway one). Each journey saves its screenshots as
e2e/artifacts/<journey>/NN-step.png, and a last one, NN-failed.png, when it fails."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

ARTIFACTS = Path(__file__).parent / "artifacts"
PASSWORD = "Tongxin@2026"  # noqa: S105 -- every demo account's (README.md, 演示账号)
PHONE_USER_AGENT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800322e) "
    "NetType/WIFI Language/zh_CN"
)
# The console SMS backend prints each text to the server's output (e2e/run.sh keeps it here).
SERVER_LOG = ARTIFACTS / "server.log"
# A slow, shared 2-core CI machine: generous waits, never sleeps.
ACTION_TIMEOUT_MS = 60_000
NAVIGATION_TIMEOUT_MS = 120_000
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def base_url() -> str:
    url = os.environ.get("TONGXIN_E2E_URL", "").rstrip("/")
    if not url:
        pytest.exit(
            "浏览器测试需要一个运行中的演示服务器：请运行 make e2e，"
            "或设置 TONGXIN_E2E_URL=http://127.0.0.1:端口 指向一个载入了演示数据的临时服务器。",
            returncode=2,
        )
    return url


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = os.environ.get("TONGXIN_E2E_CHROMIUM") or shutil.which("chromium")
    if not chromium or not Path(chromium).exists():
        pytest.exit(
            "找不到 chromium：请先 apt-get install -y chromium fonts-noto-cjk"
            "（或用 TONGXIN_E2E_CHROMIUM 指定浏览器路径）。",
            returncode=2,
        )
    browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
    yield browser
    browser.close()


@dataclass
class Journey:
    """A person's browser tab (``page``), the tabs of others who take part, and the journey's
    screenshot folder."""

    browser: Browser
    base_url: str
    folder: Path
    contexts: list[BrowserContext] = field(default_factory=list)
    shots: list[Path] = field(default_factory=list)
    page: Page = field(init=False)

    def __post_init__(self) -> None:
        self.page = self.new_page()

    def new_page(self) -> Page:
        """A tab in a browser of its own (its own cookies): another person's."""
        context = self.browser.new_context(
            base_url=self.base_url,
            viewport={"width": 1440, "height": 900},
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            accept_downloads=True,
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        # Forms that ask "确定……吗？" (data-confirm) are confirmed, as the person would.
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    def new_phone_page(self) -> Page:
        """A phone's browser (390 px wide, touch, WeChat's user agent): a person's portal."""
        context = self.browser.new_context(
            base_url=self.base_url,
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            user_agent=PHONE_USER_AGENT,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    def shot(self, step: str, page: Page | None = None) -> Path:
        """Save the page as it looks now: NN-step.png, numbered in the order taken."""
        path = self.folder / f"{len(self.shots) + 1:02d}-{step}.png"
        page = page or self.page
        page.evaluate("window.scrollTo(0, 0)")  # else the sticky top bar lands mid-picture
        page.screenshot(path=str(path), full_page=True)
        self.shots.append(path)
        return path

    def log_in(self, username: str, page: Page | None = None) -> None:
        """Through the login form, as a person does; lands where the role lands."""
        page = page or self.page
        page.goto("/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登 录").click()
        expect(page.get_by_role("button", name=named("退出"))).to_be_visible()

    def nav(self, label: str, page: Page | None = None) -> None:
        """Follow a link of the sidebar."""
        (page or self.page).locator("#sidebar").get_by_role("link", name=named(label)).click()

    def close(self, failed: bool) -> None:
        if failed:
            for context in self.contexts:
                for page in context.pages:
                    self.shot("failed", page)
        for context in self.contexts:
            context.close()


def last_sms_code(phone: str) -> str:
    """The newest verification code texted to ``phone``, read where the console backend wrote it."""
    lines = SERVER_LOG.read_text(encoding="utf-8", errors="replace").splitlines()
    for line in reversed(lines):
        found = re.search(rf"发往 {phone}：.*验证码是 (\d{{6}})", line)
        if found:
            return found.group(1)
    raise AssertionError(f"no code texted to {phone} in {SERVER_LOG}")


def named(label: str) -> re.Pattern[str]:
    """An accessible name exactly ``label``, whatever icon glyph (Bootstrap Icons draws them as
    private-use characters) and spaces stand around it: "统战对象" but not "新增统战对象"."""
    return re.compile(rf"^[\s\ue000-\uf8ff]*{re.escape(label)}[\s\ue000-\uf8ff]*$")


_FAILED = pytest.StashKey[bool]()  # the journey's own steps failed: screenshot where it stopped


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


@pytest.fixture
def journey(browser: Browser, base_url: str, request: pytest.FixtureRequest) -> Iterator[Journey]:
    folder = ARTIFACTS / re.sub(r"^test_", "", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    trip = Journey(browser=browser, base_url=base_url, folder=folder)
    yield trip
    trip.close(failed=request.node.stash.get(_FAILED, False))


expect.set_options(timeout=ACTION_TIMEOUT_MS)
