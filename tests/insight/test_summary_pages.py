"""The annual summary pages and API for the shared cast: who may read, edit and download which
region's summary, and the saved versions of its wording (numbers never typed, never stored)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tongxin.core.models import AuditAction, AuditEvent
from tongxin.insight import metrics
from tongxin.insight import summary as wording_rules
from tongxin.insight.models_summary import SummaryDraft
from tongxin.insight.selectors_summary import annual_summary
from tongxin.insight.services_summary import NOTHING_CHANGED, summary_save
from tongxin.insight.summary import wording
from tongxin.insight.summary_template import BY_KEY, TITLE

from ..conftest import Cast, bearer, login

PAGE = "/summaries/annual/"
EDIT = "/summaries/annual/edit/"
VERSIONS = "/summaries/annual/versions/"
RESTORE = VERSIONS  # a POST to the versions page restores one
DOCX = "/summaries/annual/export.docx"
API = "/api/v1/summaries/annual"
API_VERSIONS = "/api/v1/summaries/annual/versions"
NEW_OPENING = "这一年，{place}统战系统团结奋进，获得省委领导肯定性批示{endorsements_provincial}。"


def _post_wording(cast: Cast, user_name: str = "jingyang", **changed: str) -> object:
    user = getattr(cast, user_name)
    texts = wording(user.region)
    texts.update(changed)
    data = {"year": "2022", "region": user.region.code, "title": TITLE, **texts}
    return login(user).post(EDIT, data)


# --- who may read which summary -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        PAGE + "?year=2022&region=510600",
        EDIT + "?year=2022&region=510600",
        VERSIONS + "?year=2022&region=510600",
        DOCX + "?year=2022&region=510600",
    ],
)
def test_an_outsider_cannot_open_deyangs_summary(cast: Cast, url: str) -> None:
    assert login(cast.outsider).get(url).status_code == 404


def test_an_outsider_gets_404_from_the_api_for_deyang(cast: Cast) -> None:
    headers = bearer(cast.outsider)
    client = login(cast.outsider)
    for url in (API + "?year=2022&region=510600", API + "?region=510603&format=docx"):
        response = client.get(url, **headers)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_an_outsiders_own_summary_is_of_their_own_region(cast: Cast) -> None:
    response = login(cast.outsider).get(API + "?year=2022", **bearer(cast.outsider))
    assert response.status_code == 200
    assert response.json()["title"].endswith("2022年锦江区统战工作综述")
    assert "旌阳" not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        PAGE + "?year=2022&region=510603",
        EDIT + "?year=2022&region=510603",
        VERSIONS + "?year=2022&region=510603",
        DOCX + "?year=2022&region=510603",
        API + "?year=2022&region=510603",
        API_VERSIONS + "?year=2022&region=510603",
    ],
)
def test_another_district_cannot_open_jingyangs_summary(cast: Cast, url: str) -> None:
    assert login(cast.luojiang).get(url).status_code == 404


def test_another_district_cannot_restore_jingyangs_versions(cast: Cast) -> None:
    _post_wording(cast, opening_4=NEW_OPENING)
    _post_wording(cast, opening_4=NEW_OPENING + "再改。")
    response = login(cast.luojiang).post(
        RESTORE, {"year": "2022", "region": "510603", "version": "1"}
    )
    assert response.status_code == 404
    assert SummaryDraft.objects.count() == 2


def test_district_staff_cannot_open_the_city_summary(cast: Cast) -> None:
    client = login(cast.jingyang)
    assert client.get(PAGE + "?year=2022&region=510600").status_code == 404
    assert client.get(PAGE + "?year=2022&region=510603").status_code == 200


@pytest.mark.parametrize("who", ["liaison", "auditor"])
def test_liaisons_and_auditors_have_no_summary(cast: Cast, who: str) -> None:
    user = getattr(cast, who)
    assert login(user).get(PAGE + "?year=2022").status_code == 403
    assert login(user).get(API + "?year=2022", **bearer(user)).status_code == 403


def test_a_leader_reads_and_downloads_but_cannot_edit(cast: Cast) -> None:
    client = login(cast.leader)
    assert client.get(PAGE + "?year=2022&region=510600").status_code == 200
    assert client.get(DOCX + "?year=2022&region=510600").status_code == 200
    assert client.get(EDIT + "?year=2022&region=510600").status_code == 403
    assert client.post(EDIT, {"year": "2022", "region": "510600"}).status_code == 403
    restore = client.post(RESTORE, {"year": "2022", "region": "510600", "version": "1"})
    assert restore.status_code == 403
    assert SummaryDraft.objects.count() == 0


def test_the_page_offers_edit_versions_and_download(cast: Cast) -> None:
    page = login(cast.jingyang).get(PAGE + "?year=2022").content.decode()
    assert "2022年旌阳区统战工作综述" in page
    for link in (EDIT, VERSIONS, DOCX):
        assert f'href="{link}?year=2022&amp;region=510603' in page
    assert 'class="summary-figure is-zero"' in page  # the cast's 旌阳 has few 2022 records


# --- versions of the wording ----------------------------------------------------------------------


def test_saved_wording_makes_numbered_versions_and_the_numbers_stay_computed(cast: Cast) -> None:
    response = _post_wording(cast, opening_4=NEW_OPENING)
    assert response.status_code == 302
    draft = SummaryDraft.objects.get()
    assert (draft.version, draft.region, draft.year) == (1, cast.jingyang_region, 2022)
    assert draft.wording == {"opening_4": NEW_OPENING}  # only what changed, numbers as keys
    summary = annual_summary(cast.jingyang, year=2022)
    count = metrics.measure("endorsements_provincial", user=cast.jingyang, year=2022).value
    assert f"这一年，旌阳区统战系统团结奋进，获得省委领导肯定性批示{count}件。" in summary.text
    assert summary.version == draft

    _post_wording(cast, opening_4=NEW_OPENING, closing="")
    assert list(SummaryDraft.objects.values_list("version", flat=True)) == [2, 1]
    latest = annual_summary(cast.jingyang, year=2022)
    assert "踏上新征程" not in latest.text  # an emptied paragraph is dropped
    audit = AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="insight.summarydraft")
    assert audit.count() == 2
    assert audit.filter(actor=cast.jingyang).count() == 2


def test_a_typed_number_is_refused_and_nothing_is_saved(cast: Cast) -> None:
    response = _post_wording(cast, opening_4="这一年，全年共获得省委领导肯定性批示7件。")
    assert response.status_code == 200
    page = response.content.decode()
    assert "第4段：“7件”是手工输入的数字" in page
    assert "{hmt_cases_resolved:余}" in page
    assert SummaryDraft.objects.count() == 0


def test_saving_the_same_wording_again_is_refused(cast: Cast) -> None:
    summary_save(
        actor=cast.jingyang,
        year=2022,
        region=None,
        title=TITLE,
        texts={"opening_4": NEW_OPENING},
    )
    with pytest.raises(ValidationError) as refused:
        summary_save(
            actor=cast.jingyang,
            year=2022,
            region=None,
            title=TITLE,
            texts={"opening_4": NEW_OPENING},
        )
    assert NOTHING_CHANGED in str(refused.value)
    assert SummaryDraft.objects.count() == 1


def test_an_older_version_can_be_read_and_restored_as_the_newest(cast: Cast) -> None:
    _post_wording(cast, opening_4=NEW_OPENING)
    _post_wording(
        cast, opening_4="这一年，{place}统战工作再上台阶，获得批示{endorsements_provincial}。"
    )
    client = login(cast.jingyang)
    old = client.get(PAGE + "?year=2022&region=510603&version=1").content.decode()
    assert "您正在查看第1版的措辞" in old
    assert "团结奋进" in old
    assert client.get(PAGE + "?year=2022&region=510603&version=9").status_code == 404

    response = client.post(RESTORE, {"year": "2022", "region": "510603", "version": "1"})
    assert response.status_code == 302
    newest = SummaryDraft.objects.first()
    assert newest is not None and newest.version == 3
    assert newest.wording == {"opening_4": NEW_OPENING}
    assert newest.note == "恢复第1版的措辞"


def test_a_districts_version_is_not_the_citys_or_anothers(cast: Cast) -> None:
    _post_wording(cast, opening_4=NEW_OPENING)
    assert annual_summary(cast.admin, year=2022, region="510600").version is None
    assert annual_summary(cast.luojiang, year=2022).version is None
    assert annual_summary(cast.admin, year=2022, region="510603").version is not None
    assert annual_summary(cast.jingyang, year=2023).version is None


def test_the_versions_list_costs_the_same_queries_for_two_versions_as_for_five(
    cast: Cast,
) -> None:
    client = login(cast.jingyang)
    url = VERSIONS + "?year=2022&region=510603"
    for n in range(2):
        _post_wording(cast, opening_4=NEW_OPENING + "改" * (n + 1))
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    for n in range(2, 5):
        _post_wording(cast, opening_4=NEW_OPENING + "改" * (n + 1))
    with CaptureQueriesContext(connection) as five:
        page = client.get(url).content.decode()
    assert len(five) == len(two) <= 12
    assert page.count("恢复</button>") == 4  # every version but the newest


def test_the_api_lists_versions_newest_first(cast: Cast) -> None:
    _post_wording(cast, opening_4=NEW_OPENING)
    _post_wording(cast, opening_4=NEW_OPENING + "再改。")
    body = login(cast.jingyang).get(API_VERSIONS + "?year=2022").json()
    assert [v["version"] for v in body["items"]] == [2, 1]
    assert body["items"][0]["created_by"] == cast.jingyang.name
    current = login(cast.jingyang).get(API + "?year=2022").json()
    assert current["version"]["version"] == 2


def test_the_editor_lists_the_placeholders_with_their_current_values(cast: Cast) -> None:
    page = login(cast.jingyang).get(EDIT + "?year=2022").content.decode()
    assert 'data-insert="{hmt_cases_resolved}"' in page
    assert "{department}" in page and "旌阳区委统战部" in page
    assert wording_rules.STYLES[wording_rules.ROUGHLY] in page
    assert BY_KEY["centre_5"].text in page  # the wording to edit, placeholders and all
