"""The 2022 annual summary drafted from the Deyang demo: it states every figure of DESIGN.md's
table, each computed by its metric; a record added or resolved changes what it says, by the rules of
official number usage; a district's summary counts only its district. The demo is loaded once
for the module; each test rolls back its own changes."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.test import Client
from docx import Document

from tongxin.core.models import BusinessLine, Region, User
from tongxin.insight import metrics
from tongxin.insight.selectors_summary import annual_summary
from tongxin.insight.summary import Summary, phrase
from tongxin.registry.models import CodeItem, Organization
from tongxin.work import services as cases
from tongxin.work import services_activities as activities
from tongxin.work.models import Case, CaseSource, CaseStatus

from ..conftest import bearer
from ..demo_world import FULL_PEOPLE, DemoWorld

# Enough people to fill the 2022 training classes (220 trainees) and the seconded cadres (49).
PEOPLE = FULL_PEOPLE
TZ = dt.timezone(dt.timedelta(hours=8))

# DESIGN.md's table, as seed 003 states each figure.
SEED_003_SENTENCES = [
    "全年共获得省委领导肯定性批示7件",
    "开展恳谈会、对接会等活动5场",
    "首次评选并发布“德阳非公企业50强”",
    "全市12家民营企业入围2022四川省民营企业100强榜单",
    "首批打造10个“同心德阳”统战工作基地",
    "每季度召开一次基层统战工作现场推进会",
    "开展涉台涉侨招商活动3场，推介项目46个",
    "新增10家台资企业",
    "协调解决困难问题70余件",
    "授信签约62.38亿元",
    "全年召开政党协商会议6次",
    "形成7篇高质量调研报告，5篇获省市领导批示，3篇被党派中央和全国人大、政协采用",
    "打造400余个浸润式教学体验阵地，研发40余个板块8套精品示范课程、举办800余场次主题活动，"
    "承办全省性活动3场",
    "探索创建12个坚持我国宗教中国化方向示范场所",
    "累计参训人数200余人",
    "完成第4批16名党外干部",
    "共49名党外干部上挂下派",
]
FIGURES = {
    "endorsements_provincial": 7,
    "feigong_meetings": 5,
    "top50_listed": 50,
    "private100_entrants": 12,
    "tongxin_bases": 10,
    "site_meetings": 4,
    "investment_events": 3,
    "promoted_projects": 46,
    "new_taiwan_enterprises": 10,
    "hmt_cases_resolved": 73,
    "party_consultations": 6,
    "party_reports": 7,
    "party_reports_endorsed": 5,
    "party_reports_adopted": 3,
    "provincial_events": 3,
    "religious_model_sites": 12,
    "model_courses": 8,
    "secondments_batch_number": 4,
    "secondments_batch": 16,
    "secondments_total": 49,
}


@pytest.fixture(scope="module")
def loaded(full_demo_world: DemoWorld) -> None:
    """The full demo world (tests/demo_world.py), loaded once for the tests that read it."""
    full_demo_world.enter()


pytestmark = pytest.mark.usefixtures("loaded", "db")


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _city_summary(user: str = "demo_leader", year: int = 2022) -> Summary:
    return annual_summary(_user(user), year=year, region="510600")


def _hmt_case_resolved(*, actor: User, region: Region, day: dt.date, n: int) -> None:
    """A 港澳台侨 enterprise's difficulty received, assigned, handled and resolved on ``day``."""
    firm = Organization.objects.filter(region__path__startswith=region.path).first()
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, 9, tzinfo=TZ), tick=False):
        case = cases.case_create(
            actor=actor,
            title=f"测试港澳台侨企业困难{n}",
            text_="企业反映用工难。",
            source=CaseSource.WALK_IN,
            region=region,
            requester_organization=firm,
            line=BusinessLine.objects.get(name="港澳台侨"),
            received_on=day,
        )
        case = cases.case_transition(
            case=case,
            to_status=CaseStatus.ASSIGNED,
            actor=actor,
            units=[actor.unit or _user("demo_sifa").unit],
            deadline=day + dt.timedelta(days=10),
        )
        case = cases.case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=actor)
        cases.case_transition(
            case=case, to_status=CaseStatus.RESOLVED, actor=actor, resolution="已协调解决。"
        )


def _resolve(count: int, *, actor: str = "demo_admin", region: str = "510600") -> None:
    place = Region.objects.get(code=region)
    for n in range(count):
        _hmt_case_resolved(
            actor=_user(actor), region=place, day=dt.date(2022, 12, 1) + dt.timedelta(days=n), n=n
        )


def test_the_2022_city_summary_states_each_figure_of_the_design_table() -> None:
    summary = _city_summary()
    assert summary.title == "凝心聚力谱新篇 奋楫笃行启新程——2022年德阳统战工作综述"
    for sentence in SEED_003_SENTENCES:
        assert sentence in summary.text, sentence
    stated = {f.key: f.value for f in summary.figures}
    assert {key: stated[key] for key in FIGURES} == FIGURES
    assert str(stated["hmt_credit"]) == "623800.00"


def test_every_number_is_its_metric_measured_for_the_reader_and_links_to_its_records() -> None:
    leader = _user("demo_leader")
    summary = _city_summary()
    assert len(summary.figures) >= 25
    for figure in summary.figures:
        measured = metrics.measure(figure.key, user=leader, year=2022, region="510600")
        assert figure.value == measured.value, figure.key
        assert figure.phrase == phrase(measured.value, measured.unit, figure.style)
        assert figure.records_url == measured.records_url
        assert f'href="{figure.records_url.replace("&", "&amp;")}"' in summary.html


def test_adding_a_party_consultation_in_2022_makes_it_say_7() -> None:
    activities.activity_create(
        actor=_user("demo_admin"),
        type=CodeItem.objects.get(kind="activity_type", name="政党协商会议"),
        title="2022年第7次政党协商会议：年终工作",
        date=dt.date(2022, 12, 20),
        region=Region.objects.get(code="510600"),
        line=BusinessLine.objects.get(name="党派"),
    )
    assert "全年召开政党协商会议7次" in _city_summary().text


def test_a_consultation_of_2023_leaves_2022_at_6() -> None:
    activities.activity_create(
        actor=_user("demo_admin"),
        type=CodeItem.objects.get(kind="activity_type", name="政党协商会议"),
        title="2023年第1次政党协商会议",
        date=dt.date(2023, 1, 5),
        region=Region.objects.get(code="510600"),
        line=BusinessLine.objects.get(name="党派"),
    )
    assert "全年召开政党协商会议6次" in _city_summary().text


@pytest.mark.parametrize(("added", "stated"), [(6, "70余件"), (7, "80余件")])
def test_resolved_hmt_cases_are_stated_rounded_down_with_yu(added: int, stated: str) -> None:
    _resolve(added)  # 73 + 6 = 79 reads 70余件; 73 + 7 = 80 reads 80余件
    summary = _city_summary()
    assert f"协调解决困难问题{stated}" in summary.text
    figure = next(f for f in summary.figures if f.key == "hmt_cases_resolved")
    assert figure.value == 73 + added


@pytest.mark.parametrize(("archived", "stated"), [(3, "70余件"), (4, "60余件")])
def test_archiving_resolved_hmt_cases_changes_70yu_as_the_rule_says(
    archived: int, stated: str
) -> None:
    admin = User.objects.get(username="demo_admin")
    resolved = Case.objects.filter(
        line__code="gangaotaiqiao", status__in=[CaseStatus.RESOLVED, CaseStatus.FOLLOWED_UP]
    ).order_by("pk")[:archived]
    for case in resolved:
        cases.case_archive(case=case, actor=admin, reason="重复登记")
    summary = _city_summary()  # 73 − 3 = 70 reads 70余件; 73 − 4 = 69 reads 60余件
    assert f"协调解决困难问题{stated}" in summary.text
    figure = next(f for f in summary.figures if f.key == "hmt_cases_resolved")
    assert figure.value == 73 - archived
    cases.case_restore(case=resolved[0], actor=admin)
    restored = next(f for f in _city_summary().figures if f.key == "hmt_cases_resolved")
    assert restored.value == 73 - archived + 1


def test_a_district_summary_counts_only_its_district_and_states_small_counts_exactly() -> None:
    _resolve(19, actor="demo_district", region="510603")
    district = annual_summary(_user("demo_district"), year=2022)
    assert district.region.code == "510603"
    assert district.title == "凝心聚力谱新篇 奋楫笃行启新程——2022年旌阳区统战工作综述"
    assert "协调解决困难问题19件" in district.text  # 旌阳's 19, not the city's 73 + 19
    assert "全年召开政党协商会议0次" in district.text  # the city's six are not 旌阳's
    assert all("region=510603" in f.records_url for f in district.figures)
    assert "协调解决困难问题90余件" in _city_summary().text  # the city counts 旌阳 too: 92

    _resolve(1, actor="demo_district", region="510603")
    assert "协调解决困难问题20余件" in annual_summary(_user("demo_district"), year=2022).text


def test_the_annual_summary_api_answers_title_text_html_and_figures() -> None:
    response = Client().get(
        "/api/v1/summaries/annual?year=2022&region=510600", **bearer(_user("demo_leader"))
    )
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "凝心聚力谱新篇 奋楫笃行启新程——2022年德阳统战工作综述"
    assert "协调解决困难问题70余件" in body["text"]
    assert 'data-metric="hmt_cases_resolved"' in body["html"]
    figures = {f["key"]: f for f in body["figures"]}
    assert figures["hmt_cases_resolved"]["value"] == 73
    assert figures["hmt_cases_resolved"]["phrase"] == "70余件"
    assert figures["hmt_credit"]["value"] == "623800.00"
    assert figures["hmt_credit"]["phrase"] == "62.38亿元"
    assert figures["party_consultations"]["records_url"] == (
        "/metrics/party_consultations/records/?year=2022&region=510600"
    )
    assert body["version"] is None


def test_the_docx_of_the_city_summary_states_the_figures() -> None:
    response = Client().get(
        "/api/v1/summaries/annual?year=2022&region=510600&format=docx",
        **bearer(_user("demo_leader")),
    )
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "协调解决困难问题70余件" in text
    assert "授信签约62.38亿元" in text
    assert "——2022年德阳统战工作综述" in text


def test_the_summary_page_links_each_number_to_its_records() -> None:
    client = Client()
    client.force_login(_user("demo_leader"))
    response = client.get("/summaries/annual/?year=2022&region=510600")
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        '<a class="summary-figure" href="/metrics/hmt_cases_resolved/records/?year=2022&amp;'
        'region=510600" data-metric="hmt_cases_resolved"'
    ) in page
    assert ">70余件</a>" in page
    records = client.get("/metrics/hmt_cases_resolved/records/?year=2022&region=510600")
    assert records.status_code == 200
