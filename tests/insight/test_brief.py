"""The meeting brief: a news draft in the shape of seed 000, every name read from the activity's
record (participants, roles, order, adopted documents), on a page, on the activity's page and in
the API; nobody reads the brief of an activity they could not open."""

from __future__ import annotations

import datetime as dt

import pytest

from tongxin.core.models import User
from tongxin.demo import work_data
from tongxin.insight.brief import Brief, activity_brief, date_phrase
from tongxin.work import services_activities as activities
from tongxin.work.models import Activity, ParticipantRole

from ..api.work_helpers import api
from ..conftest import Cast, login
from ..demo_world import OUTSIDER, DemoWorld

SPEAKERS = "市委网信办、市司法局、罗江区委统战部、中江县委统战部"


@pytest.fixture(scope="class")
def demo(demo_world: DemoWorld) -> None:
    """The demo world (tests/demo_world.py), loaded once for all the tests that read it."""
    demo_world.enter()


def meeting() -> Activity:
    return Activity.objects.get(title=work_data.MEETING_TITLE, date=dt.date(2023, 7, 5))


def user(name: str) -> User:
    return User.objects.get(username=name)


def brief_of(username: str) -> Brief:
    return activity_brief(user(username), meeting())


@pytest.mark.usefixtures("demo", "db")
class TestTheBriefOfTheSeedMeeting:
    def test_it_is_titled_and_dated_like_the_news_of_seed_000(self) -> None:
        brief = brief_of("demo_leader")
        assert brief.title == "德阳市新的社会阶层人士统战工作推进会召开"
        assert brief.paragraphs[0].startswith("7月5日，德阳市新的社会阶层人士统战工作推进会")

    def test_it_names_who_spoke_attended_and_chaired_with_their_titles(self) -> None:
        text = brief_of("demo_leader").text
        assert "市委常委、统战部部长朱莉出席会议并讲话" in text
        assert "市委统战部常务副部长、市台办主任、市侨办主任曾蓉出席会议" in text
        assert "市委统战部副部长毛毅主持会议" in text

    def test_it_names_the_four_units_that_spoke_in_their_order(self) -> None:
        assert f"会上，{SPEAKERS}作交流发言。" in brief_of("demo_leader").text

    def test_it_names_the_adopted_document(self) -> None:
        assert (
            f"会议还审议通过了《{work_data.JOINT_MEETING_RULES}》。" in brief_of("demo_city").text
        )

    def test_member_units_of_the_joint_meeting_read_as_one_phrase_and_the_rest_by_name(
        self,
    ) -> None:
        closing = brief_of("demo_leader").paragraphs[-1]
        assert "德阳市新的社会阶层人士统战工作联席会议各成员单位" in closing
        assert "旌阳区委统战部" in closing and "经开区党群工作部" in closing
        assert closing.endswith("等参加会议。")

    def test_it_follows_the_record_when_the_order_of_speakers_changes(self) -> None:
        admin = user("demo_admin")
        first = meeting().participations.get(
            role=ParticipantRole.EXCHANGE, unit__short_name="市委网信办"
        )
        unit = first.unit
        activities.participation_remove(actor=admin, participation=first)
        activities.participations_add(
            actor=admin,
            activity=meeting(),
            participants=[activities.ParticipantSpec(role=ParticipantRole.EXCHANGE, unit=unit)],
        )
        text = brief_of("demo_leader").text
        assert "会上，市司法局、罗江区委统战部、中江县委统战部、市委网信办作交流发言。" in text

    def test_a_liaison_of_a_unit_that_spoke_reads_it_with_units_and_officials(self) -> None:
        text = brief_of("demo_liaison").text
        assert "朱莉" in text and "毛毅" in text and SPEAKERS in text

    def test_the_page_shows_it_and_the_activity_page_offers_it(self) -> None:
        client = login(user("demo_leader"))
        page = client.get(f"/activities/{meeting().pk}/brief/")
        assert page.status_code == 200
        assert "德阳市新的社会阶层人士统战工作推进会召开" in page.content.decode()
        detail = client.get(f"/activities/{meeting().pk}/").content.decode()
        assert "生成新闻稿" in detail and f"/activities/{meeting().pk}/brief/" in detail

    def test_htmx_gets_the_part_the_activity_page_swaps_in(self) -> None:
        client = login(user("demo_leader"))
        part = client.get(f"/activities/{meeting().pk}/brief/", HTTP_HX_REQUEST="true")
        body = part.content.decode()
        assert "<html" not in body and "毛毅主持会议" in body and "复制全文" in body

    def test_the_api_answers_title_and_text(self) -> None:
        response = api(user("demo_leader")).get(f"/api/v1/activities/{meeting().pk}/brief")
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"title", "text"}
        assert body["title"] == "德阳市新的社会阶层人士统战工作推进会召开"
        assert "朱莉" in body["text"] and "曾蓉" in body["text"] and "毛毅" in body["text"]
        assert SPEAKERS in body["text"] and work_data.JOINT_MEETING_RULES in body["text"]

    def test_an_outsider_gets_404_from_page_and_api(self) -> None:
        outsider = user(OUTSIDER)
        assert login(outsider).get(f"/activities/{meeting().pk}/brief/").status_code == 404
        assert api(outsider).get(f"/api/v1/activities/{meeting().pk}/brief").status_code == 404

    def test_an_auditor_reads_no_brief(self) -> None:
        auditor = user("demo_auditor")
        assert login(auditor).get(f"/activities/{meeting().pk}/brief/").status_code == 403
        assert api(auditor).get(f"/api/v1/activities/{meeting().pk}/brief").status_code == 404


class TestTheBriefOfADistrictActivity:
    def test_its_district_reads_the_brief_of_its_own_record(self, cast: Cast) -> None:
        brief = activity_brief(cast.jingyang, cast.work.activity)
        assert brief.title == "旌阳区民营企业家面对面恳谈会召开"
        assert brief.paragraphs[0] == (
            "6月1日，旌阳区民营企业家面对面恳谈会在旌阳区会议中心召开，"
            "旌阳嘉宾旌阳测试人员出席会议并讲话。"
        )
        assert "审议通过了《旌阳区新阶人士调研报告》" in brief.text

    def test_another_district_gets_404_from_page_and_api(self, cast: Cast) -> None:
        pk = cast.work.activity.pk
        assert login(cast.luojiang).get(f"/activities/{pk}/brief/").status_code == 404
        assert api(cast.luojiang).get(f"/api/v1/activities/{pk}/brief").status_code == 404

    def test_an_outsider_gets_404_from_page_and_api(self, cast: Cast) -> None:
        pk = cast.work.activity.pk
        assert login(cast.outsider).get(f"/activities/{pk}/brief/").status_code == 404
        assert api(cast.outsider).get(f"/api/v1/activities/{pk}/brief").status_code == 404

    def test_the_page_answers_its_district(self, cast: Cast) -> None:
        page = login(cast.jingyang).get(f"/activities/{cast.work.activity.pk}/brief/")
        assert page.status_code == 200 and "旌阳测试人员" in page.content.decode()


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (dt.date(2023, 7, 5), None, "7月5日"),
        (dt.date(2023, 7, 5), dt.date(2023, 7, 5), "7月5日"),
        (dt.date(2023, 7, 5), dt.date(2023, 7, 7), "7月5日至7日"),
        (dt.date(2023, 7, 30), dt.date(2023, 8, 2), "7月30日至8月2日"),
        (dt.date(2023, 12, 30), dt.date(2024, 1, 2), "2023年12月30日至2024年1月2日"),
    ],
)
def test_dates_read_as_in_the_news(start: dt.date, end: dt.date | None, words: str) -> None:
    assert date_phrase(start, end) == words
