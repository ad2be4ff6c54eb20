"""A working day of 50 people on Tongxin, for locust (`make load` runs it through load/run.py).

District and city staff search and open people, read activity and case lists and details, open
the dashboard and the metrics, carry a case from 受理 through 交办, 办理中 and 办结 to 回访 (or hand
it to a member unit), and import a small roster (preview, then commit). Member-unit liaisons
take the cases handed to their unit and resolve them; leaders read dashboards and figures.

Pages are requested through a browser session (logged in once per user, through the login form);
API calls carry the user's token. Every account is made by load/prepare.py. Any answer that is
not what the page or call should give is a failure, and `make load` fails on one.
"""

# ruff: noqa: S311 - random picks make the mix of work, not secrets
from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import uuid
from collections import deque
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task
from locust.exception import StopUser

ACCOUNTS_FILE = Path(os.environ.get("LOAD_ACCOUNTS", "var/load/load_accounts.json"))
SEARCHES = ["王", "李", "张", "刘", "陈", "zr", "wang", "li", "科技", "德阳", "曾", "zhang"]
YEARS = [2022, 2023]
_accounts: dict[str, deque[dict[str, Any]]] = {}


@events.init.add_listener
def _load_accounts(**_: Any) -> None:
    for account in json.loads(ACCOUNTS_FILE.read_text()):
        _accounts.setdefault(account["kind"], deque()).append(account)


def _ids(response: Any) -> list[int]:
    try:
        return [item["id"] for item in response.json()["items"]]
    except (ValueError, KeyError, TypeError):
        return []


class Worker(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    kind = ""

    def on_start(self) -> None:
        try:
            self.account = _accounts[self.kind].popleft()
        except (KeyError, IndexError):
            raise StopUser() from None
        self.api = {"Authorization": f"Bearer {self.account['token']}"}
        self._login()

    def _login(self) -> None:
        page = self.client.get("/login/", name="/login/")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        token = match.group(1) if match else ""
        with self.client.post(
            "/login/",
            data={
                "username": self.account["username"],
                "password": self.account["password"],
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": f"{self.host}/login/"},
            allow_redirects=False,
            name="/login/ [POST]",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")

    def page(self, path: str, name: str) -> Any:
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{path} answered {r.status_code} {r.error or ''}")
            return r

    def call(self, method: str, path: str, name: str, expect: int = 200, **kwargs: Any) -> Any:
        headers = {**self.api, **kwargs.pop("headers", {})}
        with self.client.request(
            method, f"/api/v1{path}", name=name, headers=headers, catch_response=True, **kwargs
        ) as r:
            if r.status_code != expect:
                r.failure(f"{method} {path} answered {r.status_code}: {r.error or r.text[:300]}")
            return r

    @task(3)
    def workbench(self) -> None:
        self.page("/", "/ (workbench)")


class Reader(Worker):
    """Staff and leaders: the dashboard and the figures (not a member unit's liaison)."""

    abstract = True

    @task(2)
    def dashboard(self) -> None:
        self.page(f"/dashboard/?year={random.choice(YEARS)}", "/dashboard/")

    @task(1)
    def metrics(self) -> None:
        self.page("/metrics/", "/metrics/")
        region = self.account["region"]
        self.call("GET", f"/metrics?year={random.choice(YEARS)}&region={region}", "/metrics")


class Staff(Reader):
    abstract = True

    @task(6)
    def search_people(self) -> None:
        q = random.choice(SEARCHES)
        self.page(f"/persons/?q={q}", "/persons/?q=")
        ids = _ids(self.call("GET", f"/persons?q={q}", "/persons?q="))
        if ids:
            person = random.choice(ids)
            self.page(f"/persons/{person}/", "/persons/{id}/")
            self.call("GET", f"/persons/{person}", "/persons/{id}")

    @task(3)
    def people_list(self) -> None:
        self.page(f"/persons/?page={random.randint(1, 5)}", "/persons/?page=")

    @task(4)
    def activities(self) -> None:
        self.page("/activities/", "/activities/")
        ids = _ids(self.call("GET", "/activities?page_size=20", "/activities"))
        if ids:
            activity = random.choice(ids)
            self.page(f"/activities/{activity}/", "/activities/{id}/")
            self.call("GET", f"/activities/{activity}", "/activities/{id}")

    @task(4)
    def cases(self) -> None:
        self.page("/cases/", "/cases/")
        ids = _ids(self.call("GET", "/cases", "/cases"))
        if ids:
            case = random.choice(ids)
            self.page(f"/cases/{case}/", "/cases/{id}/")
            self.call("GET", f"/cases/{case}", "/cases/{id}")

    @task(2)
    def case_through_its_states(self) -> None:
        """受理, then 交办: carried to 回访 by its keeper, or handed to a liaison's unit."""
        payload: dict[str, Any] = {
            "title": f"负载测试诉求 {uuid.uuid4().hex[:8]}",
            "text": "企业反映融资难，请协调金融机构对接。",
            "source": "walk_in",
            "region": self.account["region"],
            "category": "融资",
        }
        if self.account["line"]:
            payload["line"] = self.account["line"]
        created = self.call("POST", "/cases", "/cases [POST]", expect=201, json=payload)
        if created.status_code != 201:
            return
        case = created.json()["id"]
        handover = random.random() < 0.5
        unit = (
            random.choice(self.account["handover_units"])
            if handover
            else self.account["own_flow_unit"]
        )
        deadline = (dt.date.today() + dt.timedelta(days=15)).isoformat()
        steps: list[dict[str, Any]] = [{"to": "交办", "units": [unit], "deadline": deadline}]
        if not handover:
            steps += [
                {"to": "办理中", "note": "已联系承办单位"},
                {"to": "办结", "resolution": "已协调银行对接，企业获得授信。"},
                {"to": "回访", "satisfaction": "满意"},
            ]
        for step in steps:
            moved = self.call(
                "POST", f"/cases/{case}/transition", "/cases/{id}/transition", json=step
            )
            if moved.status_code != 200:
                return

    @task(1)
    def import_roster(self) -> None:
        """A small roster: preview, then commit."""
        stamp = uuid.uuid4().hex[:6]
        rows = ["姓名,工作单位,职务,人员类别"] + [
            f"压测{stamp}{i},德阳压测科技有限公司,经理,{self.account['category']}" for i in range(5)
        ]
        data = ("\ufeff" + "\n".join(rows) + "\n").encode()
        preview = self.call(
            "POST",
            "/imports/persons",
            "/imports/persons [POST]",
            expect=201,
            files={"file": (f"roster-{stamp}.csv", data, "text/csv")},
            data={"region": self.account["region"]},
        )
        if preview.status_code != 201:
            return
        job = preview.json()["id"]
        self.call("GET", f"/imports/{job}", "/imports/{id}")
        self.call(
            "POST",
            f"/imports/{job}/commit",
            "/imports/{id}/commit",
            json={"on_duplicate": "skip"},
        )


class DistrictStaff(Staff):
    fixed_count = 30
    kind = "district"


class CityStaff(Staff):
    fixed_count = 8
    kind = "city"


class Leader(Reader):
    fixed_count = 6
    kind = "leader"

    @task(3)
    def dashboard_drill(self) -> None:
        self.page(f"/dashboard/?year={random.choice(YEARS)}", "/dashboard/")
        self.page("/cases/?status=resolved", "/cases/?status=")

    @task(2)
    def people(self) -> None:
        self.page(f"/persons/?q={random.choice(SEARCHES)}", "/persons/?q=")


class Liaison(Worker):
    fixed_count = 6
    kind = "liaison"

    @task(4)
    def handle_a_case(self) -> None:
        """Take a case handed to the unit and resolve it (only this account works its unit)."""
        unit = self.account["unit_id"]
        assigned = _ids(self.call("GET", f"/cases?status=交办&unit={unit}", "/cases?status="))
        self.page("/cases/", "/cases/")
        if not assigned:
            return
        case = assigned[0]
        self.call("GET", f"/cases/{case}", "/cases/{id}")
        for step in (
            {"to": "办理中", "note": "已受理，正在办理"},
            {"to": "办结", "resolution": "已办结，已向企业反馈。"},
        ):
            moved = self.call(
                "POST", f"/cases/{case}/transition", "/cases/{id}/transition", json=step
            )
            if moved.status_code != 200:
                return
