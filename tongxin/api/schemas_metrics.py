"""The shapes of /metrics: one figure with its unit, 统计口径 and the page of its records.

Counts are JSON integers; sums of money (万元) and rates are decimal strings, as money is
everywhere in this API (schemas_work.money), because JSON numbers are floats to most clients."""

from decimal import Decimal

from ninja import Field, Schema

from tongxin.insight.metrics import MetricValue

from .schemas_work import money


class MetricOut(Schema):
    key: str = Field(description="指标代码")
    label: str = Field(description="指标名称")
    value: int | str = Field(description="指标值：计数为整数；金额（万元，两位小数）和比率为字符串")
    unit: str = Field(description="单位")
    definition: str = Field(description="统计口径")
    records_url: str = Field(description="列出本指标所统计记录的页面")


class MetricListOut(Schema):
    items: list[MetricOut]


class MetricQuery(Schema):
    year: int | None = Field(None, description="统计年度（默认今年）", ge=2000, le=2100)
    month: int | None = Field(None, description="统计月份（1–12，可选）", ge=1, le=12)
    region: str = Field("", description="行政区划代码，含下辖区划（默认本人所在区划）")
    line: str = Field("", description="条线代码（可选），如 dangpai、feigong")


def metric_out(value: MetricValue) -> MetricOut:
    number = value.value
    shown: int | str
    if isinstance(number, Decimal):
        shown = str(money(number)) if value.unit == "万元" else str(number)
    else:
        shown = int(number)
    return MetricOut(
        key=value.key,
        label=value.label,
        value=shown,
        unit=value.unit,
        definition=value.definition,
        records_url=value.records_url,
    )
