"""/api/v1/indicator-sets and /api/v1/rounds: a keeper builds a set and its indicators, creates a
round, enters values with evidence, computes and publishes it (once), reads the ranking and
exports it; leaders read; liaisons and auditors see nothing; other districts and cities get 404
and change nothing."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from tongxin.api.routers.indicators import NOT_A_SUBJECT, NOT_AN_ENTERED
from tongxin.api.schemas_indicators import UNKNOWN_ELIGIBILITY
from tongxin.core.access import READ_ONLY, ROLE_FORBIDDEN
from tongxin.governance import exports_indicators as exports
from tongxin.governance import services_indicators as sets
from tongxin.governance import services_rounds as rounds
from tongxin.governance.models_indicators import IndicatorSet
from tongxin.governance.models_rounds import EnteredValue, EvaluationRound, RoundState

from ..conftest import Cast
from ..governance.indicator_records import enterprise, revenue_set, weighted_set
from .work_helpers import api, detail, send


def set_url(indicator_set: IndicatorSet | int, suffix: str = "") -> str:
    pk = indicator_set if isinstance(indicator_set, int) else indicator_set.pk
    return f"/api/v1/indicator-sets/{pk}{suffix}"


def round_url(evaluation: EvaluationRound | int, suffix: str = "") -> str:
    pk = evaluation if isinstance(evaluation, int) else evaluation.pk
    return f"/api/v1/rounds/{pk}{suffix}"


def state_of(evaluation: EvaluationRound) -> str:
    return EvaluationRound.objects.get(pk=evaluation.pk).state


# --- who sees what --------------------------------------------------------------------------------


def test_the_keeper_reads_the_set_with_its_rules_in_words(cast: Cast) -> None:
    response = send(api(cast.jingyang), "get", set_url(cast.gov.indicator_set))
    assert response.status_code == 200
    body = response.json()
    assert (body["subject_type"], body["total"], body["weights_sum"]) == ("组织", "100", "100")
    assert body["eligibility"] == {"key": "lianyi", "label": "考评范围内在册的联谊组织"}
    assert body["star_cutoffs"][0] == {"stars": 3, "min_total": "80"}
    computed, entered = body["indicators"]
    assert computed["rule_text"] == "5项及以上得满分60分，0项及以下得0分，其间按比例计分。"
    assert computed["metric"]["key"] == "organization.standard_items"
    assert computed["metric"]["rule"].startswith("组织当年“标准化建设”检查中达标的项数")
    assert (entered["source"], entered["metric"], entered["thresholds"]) == (
        "录入（需佐证）",
        None,
        [["60", "0.6"], ["80", "1"]],
    )
    assert body["rounds"] == [
        {
            "id": cast.gov.evaluation_round.pk,
            "title": "2022年旌阳区联谊组织标准化建设考评",
            "year": 2022,
            "state": "已计算",
        }
    ]


def test_the_round_carries_its_ranking_with_each_score(cast: Cast) -> None:
    body = send(api(cast.leader), "get", round_url(cast.gov.evaluation_round)).json()
    assert (body["state"], body["scope_region"], body["missing"]) == ("已计算", "510603", [])
    (row,) = body["ranking"]
    assert (row["rank"], row["subject"]["name"], row["region_name"]) == (
        1,
        "旌阳区新的社会阶层人士联谊会",
        "旌阳区",
    )
    # One item of five (12 of 60) and 85 on the entered one (the top band: 40): 52, one star.
    assert (row["total"], row["stars"], row["star_text"], row["in_list"]) == ("52", 1, "★", True)
    assert [(s["raw_value"], s["score"]) for s in row["scores"]] == [("1", "12"), ("85", "40")]
    assert [e["kind"] for e in body["events"]] == ["创建", "录入数值", "计算"]


@pytest.mark.parametrize("who", ["luojiang", "outsider"])
def test_other_districts_get_404_and_change_nothing(cast: Cast, who: str) -> None:
    client = api(getattr(cast, who))
    evaluation = cast.gov.evaluation_round
    assert send(client, "get", "/api/v1/indicator-sets").json()["count"] == 0
    assert send(client, "get", "/api/v1/rounds").json()["count"] == 0
    for method, url in [
        ("get", set_url(cast.gov.indicator_set)),
        ("get", round_url(evaluation)),
        ("get", round_url(evaluation, "/export.xlsx")),
        ("post", round_url(evaluation, "/compute")),
        ("post", round_url(evaluation, "/publish")),
    ]:
        response = send(client, method, url)
        assert response.status_code == 404, (method, url)
        assert "旌阳" not in response.content.decode()
    response = send(
        client,
        "post",
        set_url(cast.gov.indicator_set, "/indicators"),
        {"name": "越权", "weight": "1", "rule": "rank", "source_kind": "entered"},
    )
    assert response.status_code == 404
    assert state_of(evaluation) == RoundState.COMPUTED
    assert cast.gov.indicator_set.indicators.count() == 2


@pytest.mark.parametrize("who", ["liaison", "auditor"])
def test_liaisons_and_auditors_see_no_evaluations(cast: Cast, who: str) -> None:
    client = api(getattr(cast, who))
    assert send(client, "get", "/api/v1/rounds").json()["count"] == 0
    assert send(client, "get", round_url(cast.gov.evaluation_round)).status_code == 404


def test_the_leader_reads_but_may_not_write(cast: Cast) -> None:
    client = api(cast.leader)
    assert send(client, "get", "/api/v1/indicator-sets").json()["count"] >= 1
    response = send(client, "post", round_url(cast.gov.evaluation_round, "/publish"))
    assert (response.status_code, detail(response)) == (403, READ_ONLY)
    response = send(
        client,
        "post",
        "/api/v1/indicator-sets",
        {"name": "领导的", "subject_type": "组织", "eligibility": "lianyi", "region": "510600"},
    )
    assert (response.status_code, detail(response)) == (403, READ_ONLY)
    assert state_of(cast.gov.evaluation_round) == RoundState.COMPUTED


def test_a_liaison_may_not_create_a_set(cast: Cast) -> None:
    response = send(
        api(cast.liaison),
        "post",
        "/api/v1/indicator-sets",
        {"name": "联络员的", "subject_type": "组织", "eligibility": "lianyi", "region": "510600"},
    )
    assert (response.status_code, detail(response)) == (403, ROLE_FORBIDDEN)


# --- lists ----------------------------------------------------------------------------------------


def test_the_lists_filter_and_run_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    for n in range(6):
        indicator_set = revenue_set(cast.jingyang, cast.jingyang_region, name=f"旌阳企业榜{n}")
        rounds.round_create(actor=cast.jingyang, indicator_set=indicator_set, year=2022)
    client = api(cast.jingyang)
    send(client, "get", "/api/v1/rounds")
    with django_assert_max_num_queries(8):
        body = send(client, "get", "/api/v1/indicator-sets").json()
    assert body["count"] == 7
    with django_assert_max_num_queries(8):
        body = send(client, "get", "/api/v1/rounds?state=草稿").json()
    assert body["count"] == 6 and {r["state"] for r in body["items"]} == {"草稿"}
    body = send(client, "get", "/api/v1/indicator-sets?subject_type=组织").json()
    assert [s["name"] for s in body["items"]] == ["旌阳区联谊组织标准化建设考评"]
    response = send(client, "get", "/api/v1/rounds?state=开放")
    assert response.status_code == 422 and "参数 state" in detail(response)


# --- a round, end to end --------------------------------------------------------------------------


def test_a_keeper_builds_computes_and_publishes_a_round(cast: Cast) -> None:
    region = cast.jingyang_region
    firms = [
        enterprise(region, "旌阳甲机械有限公司", "5000"),
        enterprise(region, "旌阳乙食品有限公司", "12000"),
    ]
    client = api(cast.jingyang)
    response = send(
        client,
        "post",
        "/api/v1/indicator-sets",
        {
            "name": "旌阳非公企业综合",
            "subject_type": "企业",
            "eligibility": "non_public_local",
            "region": "510603",
            "star_cutoffs": [[5, "90"], [4, "80"]],
            "list_size": 10,
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["subject_type"], created["list_size"], created["indicators"]) == (
        "企业",
        10,
        [],
    )
    response = send(
        client,
        "post",
        set_url(created["id"], "/indicators"),
        {
            "name": "营业收入",
            "weight": "60",
            "rule": "按名次计分",
            "source_kind": "由记录统计",
            "metric": "enterprise.revenue",
        },
    )
    assert response.status_code == 201, response.content
    response = send(
        client,
        "post",
        set_url(created["id"], "/indicators"),
        {
            "name": "社会责任",
            "weight": 40,
            "rule": "linear",
            "lower_bound": "0",
            "upper_bound": "100",
            "source_kind": "录入",
            "unit_label": "分",
        },
    )
    assert response.status_code == 201, response.content
    entered_id = response.json()["id"]

    response = send(
        client, "post", "/api/v1/rounds", {"indicator_set": created["id"], "year": 2022}
    )
    assert response.status_code == 201, response.content
    evaluation = EvaluationRound.objects.get(pk=response.json()["id"])
    missing = response.json()["missing"]
    assert [s["name"] for s in missing[0]["subjects"]] == [
        "旌阳甲机械有限公司",
        "旌阳乙食品有限公司",
    ]

    # Computing before the values are in is refused, naming what is missing.
    response = send(client, "post", round_url(evaluation, "/compute"))
    assert response.status_code == 422
    assert detail(response).startswith("以下录入指标尚未录齐，不能计算")

    response = send(
        client,
        "post",
        round_url(evaluation, "/values"),
        {"indicator": entered_id, "subject": firms[0].pk, "value": "90", "evidence": ""},
    )
    assert response.status_code == 422 and "佐证材料" in detail(response)
    for firm, value in zip(firms, ("90", "50"), strict=True):
        response = send(
            client,
            "post",
            round_url(evaluation, "/values"),
            {
                "indicator": entered_id,
                "subject": firm.pk,
                "value": value,
                "evidence": "工商联评价表",
            },
        )
        assert response.status_code == 201, response.content
    assert response.json()["subject"] == {
        "type": "organization",
        "id": firms[1].pk,
        "name": "旌阳乙食品有限公司",
    }

    response = send(client, "post", round_url(evaluation, "/compute"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "已计算"
    assert [(r["rank"], r["subject"]["name"], r["total"]) for r in body["ranking"]] == [
        (1, "旌阳乙食品有限公司", "80"),
        (2, "旌阳甲机械有限公司", "66"),
    ]

    response = send(client, "post", round_url(evaluation, "/publish"))
    assert response.status_code == 200 and response.json()["state"] == "已发布"
    response = send(client, "post", round_url(evaluation, "/publish"))
    assert (response.status_code, detail(response)) == (409, rounds.ALREADY_PUBLISHED)
    assert response.json()["code"] == "illegal_transition"
    response = send(client, "post", round_url(evaluation, "/compute"))
    assert (response.status_code, detail(response)) == (409, rounds.ROUND_FROZEN)
    response = send(
        client,
        "post",
        round_url(evaluation, "/values"),
        {"indicator": entered_id, "subject": firms[0].pk, "value": "10", "evidence": "更正"},
    )
    assert (response.status_code, detail(response)) == (409, rounds.ROUND_FROZEN)
    assert EnteredValue.objects.get(round=evaluation, organization=firms[0]).value == Decimal("90")


def test_publishing_before_computing_is_a_conflict(cast: Cast) -> None:
    evaluation = rounds.round_create(
        actor=cast.jingyang, indicator_set=cast.gov.indicator_set, year=2021
    )
    response = send(api(cast.jingyang), "post", round_url(evaluation, "/publish"))
    assert (response.status_code, detail(response)) == (409, rounds.NOT_COMPUTED)


def test_values_name_no_record_outside_the_round(cast: Cast) -> None:
    evaluation = cast.gov.evaluation_round
    entered = cast.gov.indicator_set.indicators.get(source_kind="entered")
    secret = enterprise(cast.luojiang_region, "罗江保密公司", "10")
    client = api(cast.jingyang)
    response = send(
        client,
        "post",
        round_url(evaluation, "/values"),
        {"indicator": entered.pk, "subject": secret.pk, "value": "1", "evidence": "试探"},
    )
    assert response.status_code == 422
    assert detail(response) == NOT_A_SUBJECT.format(pk=secret.pk, round_id=evaluation.pk)
    response = send(
        client,
        "post",
        round_url(evaluation, "/values"),
        {"indicator": cast.gov.indicator.pk, "subject": 1, "value": "1", "evidence": "试探"},
    )
    assert detail(response) == NOT_AN_ENTERED.format(
        pk=cast.gov.indicator.pk, round_id=evaluation.pk
    )


def test_a_set_refuses_unknown_keys_with_the_options(cast: Cast) -> None:
    response = send(
        api(cast.jingyang),
        "post",
        "/api/v1/indicator-sets",
        {"name": "旌阳试", "subject_type": "组织", "eligibility": "all", "region": "510603"},
    )
    assert response.status_code == 422
    assert "non_public_local" in detail(response)
    assert UNKNOWN_ELIGIBILITY.split("“")[0] in detail(response)
    response = send(
        api(cast.jingyang),
        "post",
        set_url(cast.gov.indicator_set, "/indicators"),
        {
            "name": "营收",
            "weight": "1",
            "rule": "rank",
            "source_kind": "computed",
            "metric": "enterprise.revenue",
        },
    )
    assert response.status_code == 422
    assert "organization.members" in detail(response)  # the metrics that fit 组织


def test_a_frozen_set_refuses_new_indicators(cast: Cast) -> None:
    rounds.round_publish(actor=cast.jingyang, evaluation=cast.gov.evaluation_round)
    response = send(
        api(cast.jingyang),
        "post",
        set_url(cast.gov.indicator_set, "/indicators"),
        {"name": "新增", "weight": "1", "rule": "rank", "source_kind": "entered"},
    )
    assert (response.status_code, detail(response)) == (422, sets.SET_FROZEN)


# --- exports --------------------------------------------------------------------------------------


def test_the_round_exports_through_the_api(cast: Cast) -> None:
    client = api(cast.leader)
    response = send(client, "get", round_url(cast.gov.evaluation_round, "/export.xlsx"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert [r[1] for r in sheet.iter_rows(min_row=4, values_only=True)] == [
        "旌阳区新的社会阶层人士联谊会"
    ]
    response = send(client, "get", round_url(cast.gov.evaluation_round, "/export.docx"))
    assert response.status_code == 200 and response["Content-Type"] == exports.DOCX


def test_a_draft_round_has_nothing_to_export(cast: Cast) -> None:
    indicator_set = weighted_set(cast.jingyang, cast.jingyang_region)
    evaluation = rounds.round_create(actor=cast.jingyang, indicator_set=indicator_set, year=2022)
    response = send(api(cast.jingyang), "get", round_url(evaluation, "/export.xlsx"))
    assert (response.status_code, detail(response)) == (422, exports.NOTHING_TO_EXPORT)
