"""The dashboard (驾驶舱): leaders land on it; every number on it is a registered metric's value
with the URL of its records, charts included; it costs a fixed number of queries; a district
sees its own district only, and nobody sees a region outside their scope."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tongxin.core.models import Region, User
from tongxin.demo.data import DEMO_PASSWORD
from tongxin.governance import selectors_tasks
from tongxin.insight import dashboard as selectors
from tongxin.insight import metrics
from tongxin.insight.metrics import Period
from tongxin.insight.views_dashboard import BAD_YEAR
from tongxin.work import services_activities as activities

from ..conftest import Cast, login
from ..demo_world import OUTSIDER, DemoWorld
from ..work_records import activity_type

YEAR = 2022
# What the leader's page costs, whatever the amount of data (dashboard.py says what it is made of).
MAX_QUERIES = 120


@pytest.fixture(scope="class")
def demo(demo_world: DemoWorld) -> None:
    """The demo world (tests/demo_world.py), loaded once for all the tests that read it."""
    demo_world.enter()


def user(name: str) -> User:
    return User.objects.get(username=name)


def city() -> Region:
    return Region.objects.get(code="510600")


def board_of(name: str, region: str = "510600") -> selectors.Dashboard:
    return selectors.dashboard(user(name), year=YEAR, region=Region.objects.get(code=region))


def charts_on(page: Any) -> dict[str, Any]:
    """The chart data the page hands to dashboard.js."""
    body = page.content.decode()
    start = body.index('<script id="dashboard-charts" type="application/json">')
    start = body.index(">", start) + 1
    return json.loads(body[start : body.index("</script>", start)])


@pytest.mark.usefixtures("demo", "db")
class TestTheLeadersDashboard:
    def test_a_leader_lands_on_it_after_login_and_staff_on_the_workbench(self) -> None:
        leader = Client().post("/login/", {"username": "demo_leader", "password": DEMO_PASSWORD})
        assert leader.status_code == 302 and leader["Location"] == "/dashboard/"
        staff = Client().post("/login/", {"username": "demo_city", "password": DEMO_PASSWORD})
        assert staff.status_code == 302 and staff["Location"] == "/"

    def test_each_figure_is_the_metric_of_this_year_beside_last_year(self) -> None:
        board = board_of("demo_leader")
        leader = user("demo_leader")
        for key, figure in board.figures.items():
            assert figure.now == metrics.measure(key, user=leader, year=YEAR, region=city())
            assert figure.before == metrics.measure(key, user=leader, year=YEAR - 1, region=city())
        activities_held = board.figures["activities_held"]
        assert activities_held.change == activities_held.now.value - activities_held.before.value

    def test_the_story_states_the_years_figures_each_linked_to_its_records(self) -> None:
        page = login(user("demo_leader")).get(f"/dashboard/?year={YEAR}&region=510600")
        body = page.content.decode()
        leader = user("demo_leader")
        now = Period.year(dt.date.today().year)
        assert f"{YEAR}年，德阳市共开展各类活动" in body
        assert "召开政党协商会议" in body and "基层统战工作现场推进会" in body
        for key, period in [
            *[(k, Period.year(YEAR)) for k in (*selectors.FIGURES, "party_consultations")],
            *[(k, now) for k in (*selectors.CASES_NOW, *selectors.COVERAGE)],
        ]:
            value = metrics.measure(key, user=leader, period=period, region=city())
            assert f'href="{value.records_url}"'.replace("&", "&amp;") in body, key

    def test_every_bar_and_point_is_the_metric_of_its_district_or_month(self) -> None:
        leader = user("demo_leader")
        charts = charts_on(login(leader).get(f"/dashboard/?year={YEAR}&region=510600"))
        districts = selectors.districts_of(leader, city(), selectors.selectable_regions(leader))
        assert charts["districts"]["categories"] == [d.name for d in districts]
        assert "德阳经开区" in charts["districts"]["categories"]
        for key, series in zip(selectors.DISTRICT_KEYS, charts["districts"]["series"], strict=True):
            for district, point in zip(districts, series["data"], strict=True):
                figure = metrics.measure(key, user=leader, year=YEAR, region=district)
                assert point == {"value": figure.value, "url": figure.records_url}
        for key, series in zip(selectors.MONTHLY_KEYS, charts["months"]["series"], strict=True):
            for month, point in enumerate(series["data"], start=1):
                figure = metrics.measure(
                    key, user=leader, period=Period.month(YEAR, month), region=city()
                )
                assert point == {"value": figure.value, "url": figure.records_url}

    def test_a_bar_opens_as_many_records_as_it_shows(self) -> None:
        client = login(user("demo_leader"))
        charts = charts_on(client.get(f"/dashboard/?year={YEAR}&region=510600"))
        points = [p for s in charts["districts"]["series"] for p in s["data"]]
        points += [p for s in charts["months"]["series"] for p in s["data"]][:6]
        for point in points:
            records = client.get(point["url"])
            assert records.status_code == 200
            assert records.context["page"].paginator.count == point["value"]

    def test_the_cases_by_state_add_up_to_the_cases_received(self) -> None:
        board = board_of("demo_leader")
        slices = board.case_states.series[0].points
        assert [p.label for p in slices] == ["受理", "交办", "办理中", "办结", "回访"]
        assert sum(p.value for p in slices) == board.figures["cases_received"].now.value
        assert board.figures["cases_received"].now.value > 70

    def test_each_member_units_tasks_open_the_task_list_that_lists_them(self) -> None:
        leader = user("demo_leader")
        units = board_of("demo_leader").units
        assert units, "the demo assigns tasks to member units"
        client = login(leader)
        for row in units:
            for shown, url in ((row.open, row.open_url), (row.overdue, row.overdue_url)):
                listed = client.get(url)
                assert listed.status_code == 200
                assert listed.context["page"].paginator.count == shown, url
        assert sum(r.open for r in units) <= board_of("demo_leader").tasks_now["tasks_open"].value

    def test_the_coverage_rate_is_the_organized_share_of_the_known(self) -> None:
        coverage = board_of("demo_leader").coverage
        known, organized = coverage["people_known"].value, coverage["people_organized"].value
        assert known > 0
        assert abs(float(coverage["people_coverage"].value) - organized * 100 / known) < 0.06

    def test_a_line_without_new_stratum_people_reads_no_coverage_rate_of_zero(self) -> None:
        body = login(user("demo_feigong")).get(f"/dashboard/?year={YEAR}").content.decode()
        assert "您的查看范围内没有在册的新的社会阶层人士" in body
        assert "覆盖率" not in body.split('<section class="dash-story')[1].split("</section>")[0]

    def test_it_costs_a_fixed_number_of_queries_whatever_the_data(self) -> None:
        client = login(user("demo_leader"))
        url = f"/dashboard/?year={YEAR}&region=510600"
        client.get(url)  # sessions and caches warm
        with CaptureQueriesContext(connection) as before:
            assert client.get(url).status_code == 200
        assert len(before) <= MAX_QUERIES
        admin = user("demo_admin")
        for n, region in enumerate(Region.objects.filter(parent=city())):
            activities.activity_create(
                actor=admin,
                type=activity_type("恳谈会"),
                title=f"查询数测试恳谈会{n}",
                date=dt.date(YEAR, 1 + n, 10),
                region=region,
            )
        with CaptureQueriesContext(connection) as after:
            client.get(url)
        assert len(after) == len(before)

    def test_a_district_shown_alone_has_no_districts_chart_and_no_unit_split(self) -> None:
        page = login(user("demo_leader")).get(f"/dashboard/?year={YEAR}&region=510603")
        assert page.status_code == 200
        assert "districts" not in charts_on(page)
        assert page.context["board"].units is None

    def test_an_outsider_cannot_open_the_city(self) -> None:
        client = login(user(OUTSIDER))
        assert client.get("/dashboard/?region=510600").status_code == 404
        own = client.get("/dashboard/")
        assert own.status_code == 200
        assert "德阳" not in own.content.decode().split('<main class="content">')[1]


class TestScope:
    def test_a_district_user_counts_only_their_district(self, cast: Cast) -> None:
        activities.activity_create(
            actor=cast.luojiang,
            type=activity_type("恳谈会"),
            title="罗江区民营企业家恳谈会",
            date=dt.date(YEAR, 3, 1),
            region=cast.luojiang_region,
        )

        def held(who: User) -> int | Any:
            board = selectors.dashboard(who, year=YEAR, region=metrics.home_region(who))
            return board.figures["activities_held"].now.value

        assert held(cast.jingyang) == 1
        assert held(cast.luojiang) == 1
        assert held(cast.leader) == 2
        page = login(cast.jingyang).get(f"/dashboard/?year={YEAR}")
        assert page.status_code == 200
        body = page.content.decode()
        assert "罗江区民营企业家恳谈会" not in body and "罗江区" not in body.split("</aside>")[1]

    def test_a_district_user_cannot_open_another_district(self, cast: Cast) -> None:
        assert login(cast.jingyang).get("/dashboard/?region=510604").status_code == 404
        assert login(cast.luojiang).get("/dashboard/?region=510603").status_code == 404
        assert login(cast.jingyang).get("/dashboard/?region=510600").status_code == 404

    def test_the_region_choices_are_the_users_region_and_those_under_it(self, cast: Cast) -> None:
        assert [r.code for r in selectors.selectable_regions(cast.jingyang)] == ["510603"]
        codes = [r.code for r in selectors.selectable_regions(cast.leader)]
        assert codes[0] == "510600" and codes[-1] == "510600901"
        assert set(codes) >= {"510603", "510604", "510623", "510681", "510682", "510683"}

    def test_an_outsider_sees_nothing_of_deyang(self, cast: Cast) -> None:
        client = login(cast.outsider)
        assert client.get("/dashboard/?region=510603").status_code == 404
        page = client.get(f"/dashboard/?year={YEAR}")
        assert page.status_code == 200
        assert page.context["board"].figures["activities_held"].now.value == 0
        assert "旌阳" not in page.content.decode()

    def test_liaisons_and_auditors_are_refused_and_strangers_sent_to_login(
        self, cast: Cast
    ) -> None:
        assert login(cast.liaison).get("/dashboard/").status_code == 403
        assert login(cast.auditor).get("/dashboard/").status_code == 403
        anonymous = Client().get("/dashboard/")
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")

    def test_a_bad_year_says_so_and_shows_the_default(self, cast: Cast) -> None:
        page = login(cast.jingyang).get("/dashboard/?year=1900")
        board = page.context["board"]
        assert board.year == selectors.default_year(cast.jingyang)
        assert BAD_YEAR.format(year=board.year) in page.content.decode()

    def test_the_default_year_is_the_latest_with_work_in_three_months(self, cast: Cast) -> None:
        today = dt.date(2024, 2, 1)
        # The cast's 旌阳 activity is of June 2022: one month of work is not a year to show.
        assert selectors.default_year(cast.jingyang, today=today) == 2024
        for month in (3, 5, 9):
            activities.activity_create(
                actor=cast.jingyang,
                type=activity_type("恳谈会"),
                title=f"旌阳区{month}月恳谈会",
                date=dt.date(2023, month, 1),
                region=cast.jingyang_region,
            )
        assert selectors.default_year(cast.jingyang, today=today) == 2023
        assert selectors.default_year(cast.luojiang, today=today) == 2024

    def test_tasks_of_units_count_what_the_task_list_lists(self, cast: Cast) -> None:
        rows = selectors.unit_tasks(cast.jingyang, cast.jingyang_region)
        assert [(r.unit, r.open) for r in rows] == [("旌阳区司法局", 1)]
        listed = selectors_tasks.task_list(
            cast.jingyang, selectors_tasks.TaskFilter(due="open", unit=cast.jingyang_unit)
        )
        assert [t.pk for t in listed] == [cast.gov.task.pk]
        assert selectors.unit_tasks(cast.luojiang, cast.luojiang_region) == []


def test_the_echarts_library_is_served_by_the_app(client: Client) -> None:
    from django.contrib.staticfiles import finders

    assert finders.find("echarts/echarts.min.js")
    assert finders.find("insight/dashboard.js")
