"""JSON shapes of the indicator engine: indicator sets with their indicators, evaluation rounds
with their ranking, the values still to be entered, the timeline, and the values entered with
evidence.

Kinds, rules and states are Chinese labels on the way out and may be labels or keys on the way
in; numbers that are Decimals (weights, scores, raw values) go out as decimal strings, as money
does elsewhere. Each indicator carries its scoring rule in words and, when computed, its metric
with the 统计口径. A ranking names subjects (an enterprise, a district, a unit) as they were named
when the round was computed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Field, Schema

from tongxin.core import text
from tongxin.governance import indicator_sources, indicator_subjects, indicator_words, scoring
from tongxin.governance.indicator_subjects import Subject
from tongxin.governance.models_indicators import (
    Direction,
    Indicator,
    IndicatorSet,
    ScoringRule,
    SourceKind,
    SubjectType,
    TieRule,
)
from tongxin.governance.models_rounds import EnteredValue, EvaluationRound, RoundEvent
from tongxin.governance.selectors_indicators import Ranking

from .schemas_work import IdName, business_line, choice, convert, line_name, region

UNKNOWN_ELIGIBILITY = "“{value}”不是有效的参评范围，可选：{options}。"
UNKNOWN_METRIC = "“{value}”不是适用于{subject_type}的统计指标，可选：{options}。"
NUMBER_HELP = '数值，以字符串提交，如 "100" 或 "12.5"'


def _labels(choices: Any) -> str:
    return "、".join(str(label) for label in choices.labels)


def decimal_text(value: Decimal | None) -> str | None:
    """A Decimal as people write it ("100", "12.5"); None stays None."""
    return None if value is None else scoring.plain(value)


# --- out: sets and indicators ---------------------------------------------------------------------


class KeyLabel(Schema):
    key: str
    label: str


class IndicatorMetricOut(Schema):
    """Named apart from the metrics API's MetricOut: OpenAPI keeps one schema per name."""

    key: str
    label: str
    unit: str
    rule: str = Field(description="统计口径")


class IndicatorOut(Schema):
    id: int
    order: int
    name: str
    weight: str = Field(description="权重（分）")
    direction: str = Field(description=_labels(Direction))
    rule: str = Field(description=_labels(ScoringRule))
    rule_text: str = Field(description="计分规则及其参数的文字说明")
    lower_bound: str | None = Field(description="区间线性计分的下限")
    upper_bound: str | None = Field(description="区间线性计分的上限")
    thresholds: list[list[str]] = Field(description="分档计分：[[达到值, 得分比例], …]")
    source: str = Field(description="由记录统计，或录入（需佐证）")
    metric: IndicatorMetricOut | None = Field(description="由记录统计时：统计指标及其统计口径")
    unit_label: str = Field(description="录入的指标的计量单位")
    description: str

    @staticmethod
    def resolve_weight(obj: Indicator) -> str:
        return scoring.plain(obj.weight)

    @staticmethod
    def resolve_direction(obj: Indicator) -> str:
        return obj.get_direction_display()

    @staticmethod
    def resolve_rule(obj: Indicator) -> str:
        return obj.get_rule_display()

    @staticmethod
    def resolve_rule_text(obj: Indicator) -> str:
        return indicator_words.rule_text(obj)

    @staticmethod
    def resolve_lower_bound(obj: Indicator) -> str | None:
        return decimal_text(obj.lower_bound)

    @staticmethod
    def resolve_upper_bound(obj: Indicator) -> str | None:
        return decimal_text(obj.upper_bound)

    @staticmethod
    def resolve_thresholds(obj: Indicator) -> list[list[str]]:
        return [[str(a), str(b)] for a, b in obj.thresholds or []]

    @staticmethod
    def resolve_source(obj: Indicator) -> str:
        return indicator_words.ENTERED if obj.is_entered else "由记录统计"

    @staticmethod
    def resolve_metric(obj: Indicator) -> dict[str, str] | None:
        if obj.is_entered:
            return None
        metric = indicator_sources.get(obj.metric)
        return {"key": metric.key, "label": metric.label, "unit": metric.unit, "rule": metric.rule}


class StarCutoff(Schema):
    stars: int
    min_total: str = Field(description="该星级的最低总分")


class RoundRef(Schema):
    id: int
    title: str
    year: int
    state: str

    @staticmethod
    def resolve_state(obj: EvaluationRound) -> str:
        return obj.get_state_display()


class IndicatorSetOut(Schema):
    id: int
    name: str
    subject_type: str = Field(description=_labels(SubjectType))
    eligibility: KeyLabel = Field(description="参评范围：键及其文字说明")
    region: str = Field(description="所属区域的行政区划代码")
    region_name: str
    line: str | None = Field(description="条线")
    description: str
    total: str = Field(description="总分")
    tie_rule: str = Field(description="并列规则")
    star_cutoffs: list[StarCutoff] = Field(description="星级线，星级高的在前；空表示不评星级")
    list_size: int | None = Field(description="榜单名额（如50强为50）；null 表示全部上榜")
    indicator_count: int

    @staticmethod
    def resolve_subject_type(obj: IndicatorSet) -> str:
        return obj.get_subject_type_display()

    @staticmethod
    def resolve_eligibility(obj: IndicatorSet) -> dict[str, str]:
        return {"key": obj.eligibility, "label": indicator_subjects.get(obj.eligibility).label}

    @staticmethod
    def resolve_region(obj: IndicatorSet) -> str:
        return str(obj.region.code)

    @staticmethod
    def resolve_region_name(obj: IndicatorSet) -> str:
        return obj.region.name

    @staticmethod
    def resolve_line(obj: IndicatorSet) -> str | None:
        return line_name(obj)

    @staticmethod
    def resolve_total(obj: IndicatorSet) -> str:
        return scoring.plain(obj.total)

    @staticmethod
    def resolve_tie_rule(obj: IndicatorSet) -> str:
        return obj.get_tie_rule_display()

    @staticmethod
    def resolve_star_cutoffs(obj: IndicatorSet) -> list[dict[str, Any]]:
        return [{"stars": s, "min_total": scoring.plain(least)} for s, least in obj.cutoffs]

    @staticmethod
    def resolve_indicator_count(obj: IndicatorSet) -> int:
        count = getattr(obj, "indicator_count", None)
        return int(count) if count is not None else len(obj.set_indicators)  # type: ignore[attr-defined]


class IndicatorSetDetailOut(IndicatorSetOut):
    indicators: list[IndicatorOut]
    weights_sum: str = Field(description="各项指标权重合计；须等于总分才能计算")
    rounds: list[RoundRef] = Field(description="本指标体系的考评轮次，新的在前")

    @staticmethod
    def resolve_indicators(obj: IndicatorSet) -> list[Indicator]:
        return obj.set_indicators  # type: ignore[attr-defined]

    @staticmethod
    def resolve_weights_sum(obj: IndicatorSet) -> str:
        indicators = obj.set_indicators  # type: ignore[attr-defined]
        return scoring.plain(sum((i.weight for i in indicators), Decimal(0)))

    @staticmethod
    def resolve_rounds(obj: IndicatorSet) -> list[EvaluationRound]:
        return obj.visible_rounds  # type: ignore[attr-defined]


# --- in: sets and indicators ----------------------------------------------------------------------


class IndicatorSetIn(Schema):
    name: str
    subject_type: str = Field(description=_labels(SubjectType) + "（或其英文值）")
    eligibility: str = Field(
        description="参评范围的键："
        + "、".join(f"{key}（{label}）" for key, label in indicator_subjects.eligibility_choices())
    )
    region: str = Field(description="所属区域的行政区划代码")
    line: str | None = Field(None, description="条线；市级业务人员必填")
    description: str = ""
    total: str | int = Field("100", description="总分")
    tie_rule: str = Field(
        "shared",
        description="并列规则：shared（总分相同者并列，名次跳过）或 first_indicator"
        "（总分相同按首项指标得分排序）",
    )
    star_cutoffs: list[list[str | int]] = Field(
        [], description='星级线：[[星级, 最低总分], …]，如 [[5, "90"], [4, "80"]]；不评星级留空'
    )
    list_size: int | None = Field(None, ge=1, description="榜单名额，如50强填50；不填为全部上榜")


def eligibility_key(value: Any) -> str:
    key = text.clean(str(value or ""))
    if key in indicator_subjects.registry():
        return key
    options = "、".join(indicator_subjects.registry())
    raise ValidationError(UNKNOWN_ELIGIBILITY.format(value=value, options=options))


def set_fields(data: dict[str, Any]) -> dict[str, Any]:
    return convert(
        data,
        {
            "subject_type": lambda v: choice(SubjectType, "考评对象类型", v),
            "eligibility": eligibility_key,
            "region": region,
            "line": business_line,
            "tie_rule": lambda v: choice(TieRule, "并列规则", v),
            "description": lambda v: v or "",
        },
    )


class IndicatorIn(Schema):
    name: str
    weight: str | int = Field(description="权重（该指标的满分分值），" + NUMBER_HELP)
    rule: str = Field(description=_labels(ScoringRule) + "（或 linear、thresholds、rank）")
    source_kind: str = Field(
        description="数据来源：由记录统计（computed）或 录入（entered，每个对象须录入数值和佐证）"
    )
    metric: str = Field(
        "",
        description="由记录统计时：统计指标的键，须适用于指标体系的考评对象类型："
        + "、".join(f"{key}（{label}）" for key, label in indicator_sources.metric_choices()),
    )
    direction: str = Field("higher", description=_labels(Direction) + "（或 higher、lower）")
    lower_bound: str | int | None = Field(None, description="区间线性计分的下限")
    upper_bound: str | int | None = Field(None, description="区间线性计分的上限")
    thresholds: list[list[str | int]] = Field(
        [], description='分档计分：[[达到值, 得分比例], …]，比例大于0且不超过1，如 [["3", "0.6"]]'
    )
    unit_label: str = Field("", description="录入的指标的计量单位，如 分")
    description: str = Field("", description="评分说明（录入的指标写明数值从哪里来）")
    order: int | None = Field(None, ge=1, description="序号；不填排在最后")


def _source_kind(value: Any) -> str:
    wanted = text.clean(str(value or ""))
    if wanted in ("录入", "录入（需佐证）"):
        return SourceKind.ENTERED
    return choice(SourceKind, "数据来源", value)


def metric_key(subject_type: str) -> Any:
    def convert_key(value: Any) -> str:
        key = text.clean(str(value or ""))
        choices = indicator_sources.metric_choices(subject_type)
        if not key or key in dict(choices):
            return key
        options = "、".join(f"{k}（{label}）" for k, label in choices)
        raise ValidationError(
            UNKNOWN_METRIC.format(
                value=value, subject_type=SubjectType(subject_type).label, options=options
            )
        )

    return convert_key


def indicator_fields(indicator_set: IndicatorSet, data: dict[str, Any]) -> dict[str, Any]:
    fields = convert(
        data,
        {
            "rule": lambda v: choice(ScoringRule, "计分规则", v),
            "direction": lambda v: choice(Direction, "方向", v),
            "source_kind": _source_kind,
            "metric": metric_key(indicator_set.subject_type),
        },
    )
    if fields.get("order") is None:
        fields.pop("order", None)
    return fields


# --- rounds ---------------------------------------------------------------------------------------


class SubjectRef(Schema):
    type: str = Field(description="organization（组织、企业）、region（区域）或 unit（单位）")
    id: int
    name: str


class RoundOut(Schema):
    id: int
    title: str
    indicator_set: IdName
    year: int
    scope_region: str = Field(description="考评范围的行政区划代码")
    scope_region_name: str
    state: str = Field(description="草稿、已计算、已发布")
    computed_at: dt.datetime | None
    published_at: dt.datetime | None
    published_by: str | None

    @staticmethod
    def resolve_indicator_set(obj: EvaluationRound) -> dict[str, Any]:
        return {"id": obj.set_id, "name": obj.set.name}

    @staticmethod
    def resolve_scope_region(obj: EvaluationRound) -> str:
        return str(obj.scope_region.code)

    @staticmethod
    def resolve_scope_region_name(obj: EvaluationRound) -> str:
        return obj.scope_region.name

    @staticmethod
    def resolve_state(obj: EvaluationRound) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_published_by(obj: EvaluationRound) -> str | None:
        user = obj.published_by
        return None if user is None else user.name or user.username


class ScoreOut(Schema):
    indicator: int
    raw_value: str | None = Field(description="原始值；null 为无数据（记0分）")
    score: str
    note: str


class ResultOut(Schema):
    position: int = Field(description="显示顺序")
    rank: int = Field(description="名次（并列规则见指标体系）")
    subject: SubjectRef
    region_name: str
    total: str
    stars: int | None = Field(description="星级；0 为未达星级，null 为不评星级")
    star_text: str
    in_list: bool = Field(description="是否上榜")
    scores: list[ScoreOut] = Field(description="各项指标的原始值和得分，按指标顺序")


class MissingOut(Schema):
    indicator: IdName
    subjects: list[SubjectRef] = Field(description="尚未录入该指标的参评对象")


class RoundEventOut(Schema):
    at: dt.datetime
    kind: str
    actor: str
    note: str

    @staticmethod
    def resolve_kind(obj: RoundEvent) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_actor(obj: RoundEvent) -> str:
        return obj.actor.name or obj.actor.username


class RoundDetailOut(RoundOut):
    indicators: list[IndicatorOut]
    ranking: list[ResultOut] = Field(description="排名（计算后才有），含未上榜的参评对象")
    missing: list[MissingOut] = Field(description="需录入而尚未录入的数值（未发布时）")
    events: list[RoundEventOut] = Field(description="考评记录，先后顺序")

    # The router reads these for the round (round_detail in routers/indicators.py).
    @staticmethod
    def resolve_indicators(obj: EvaluationRound) -> list[Indicator]:
        return obj.detail_indicators  # type: ignore[attr-defined]

    @staticmethod
    def resolve_ranking(obj: EvaluationRound) -> list[dict[str, Any]]:
        return obj.detail_ranking  # type: ignore[attr-defined]

    @staticmethod
    def resolve_missing(obj: EvaluationRound) -> list[dict[str, Any]]:
        return obj.detail_missing  # type: ignore[attr-defined]

    @staticmethod
    def resolve_events(obj: EvaluationRound) -> list[RoundEvent]:
        return obj.detail_events  # type: ignore[attr-defined]


class RoundIn(Schema):
    indicator_set: int = Field(description="指标体系 id")
    year: int = Field(description="考评年度，如 2022")
    scope_region: str | None = Field(
        None, description="考评范围的行政区划代码；不填为指标体系所属区域"
    )
    title: str = Field("", description="标题；不填为“年度+指标体系名称”")


class ValueIn(Schema):
    indicator: int = Field(description="需录入的指标 id")
    subject: int = Field(
        description="参评对象 id（组织、区域或单位的 id，视指标体系的考评对象类型；"
        "见 GET /rounds/{id} 的 missing）"
    )
    value: str | int = Field(description=NUMBER_HELP)
    evidence: str = Field(description="佐证材料：数据出处、文件名称或说明")


class EnteredValueOut(Schema):
    id: int
    indicator: IdName
    subject: SubjectRef
    value: str
    evidence: str
    entered_by: str
    entered_at: dt.datetime

    @staticmethod
    def resolve_indicator(obj: EnteredValue) -> dict[str, Any]:
        return {"id": obj.indicator_id, "name": obj.indicator.name}

    @staticmethod
    def resolve_subject(obj: EnteredValue) -> dict[str, Any]:
        field, pk = obj.subject_key
        return {"type": field, "id": pk, "name": str(obj.subject)}

    @staticmethod
    def resolve_value(obj: EnteredValue) -> str:
        return scoring.plain(obj.value)

    @staticmethod
    def resolve_entered_by(obj: EnteredValue) -> str:
        return obj.entered_by.name or obj.entered_by.username


def subject_ref(subject: Subject) -> dict[str, Any]:
    return {"type": subject.field, "id": subject.pk, "name": subject.name}


def ranking_rows(ranking: Ranking) -> list[dict[str, Any]]:
    rows = []
    for row in ranking.rows:
        result = row.result
        field, pk = result.subject_key
        rows.append(
            {
                "position": result.position,
                "rank": result.rank,
                "subject": {"type": field, "id": pk, "name": result.subject_name},
                "region_name": result.subject_region,
                "total": scoring.plain(result.total),
                "stars": result.stars,
                "star_text": result.star_text,
                "in_list": result.in_list,
                "scores": [
                    {
                        "indicator": score.indicator_id,
                        "raw_value": decimal_text(score.raw_value),
                        "score": scoring.plain(score.score),
                        "note": score.note,
                    }
                    for score in row.scores
                    if score is not None
                ],
            }
        )
    return rows
