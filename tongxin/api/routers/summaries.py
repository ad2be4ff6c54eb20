"""/summaries/annual: the annual summary (综述) of a year and region, as title, plain text, HTML
(each number a link to the records it counts) and its figures; ``format=docx`` answers the
公文-format document instead. /summaries/annual/versions lists the saved versions of its wording.

A region outside the caller's scope answers 404, like a record; roles without summaries
(liaisons, auditors) answer 403. The numbers come from tongxin.insight.metrics.measure, as on
every page, so a district user's summary counts only their district."""

# No ``from __future__ import annotations``: ninja evaluates the handlers' annotations.

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import Field, Query, Router, Schema

from tongxin.insight import selectors_summary as selectors
from tongxin.insight.summary import Figure, Summary
from tongxin.insight.summary_docx import DOCX, docx_response

from ..errors import ErrorOut
from ..schemas_work import money, user_of

router = Router(tags=["年度综述"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class SummaryQuery(Schema):
    year: int | None = Field(
        None, description="年度（默认上一年）", ge=selectors.FIRST_YEAR, le=selectors.LAST_YEAR
    )
    region: str = Field("", description="行政区划代码，含下辖区划（默认本人所在区划）")
    version: int | None = Field(None, description="措辞版本号（默认最新保存的版本）", ge=1)
    format: Literal["json", "docx"] = Field("json", description="json，或 docx 下载公文格式文件")


class SummaryFigureOut(Schema):
    """Named apart from the registry's FigureOut: OpenAPI keeps one schema per name."""

    key: str = Field(description="指标代码")
    label: str = Field(description="指标名称")
    value: int | str = Field(description="指标值：计数为整数；金额（万元，两位小数）为字符串")
    unit: str = Field(description="单位")
    phrase: str = Field(description="文中写法，如 70余件、62.38亿元")
    records_url: str = Field(description="列出该数字所统计记录的页面")


class VersionOut(Schema):
    version: int = Field(description="版本号")
    created_by: str = Field(description="保存人")
    created_at: dt.datetime = Field(description="保存时间")
    note: str = Field(description="修改说明")


class SummaryOut(Schema):
    year: int
    region: str = Field(description="行政区划代码")
    title: str
    text: str = Field(description="纯文本：标题与各段，以空行分隔")
    html: str = Field(description="HTML：每个数字链接到其统计的记录")
    figures: list[SummaryFigureOut] = Field(description="文中的每个数字，按出现顺序")
    version: VersionOut | None = Field(description="措辞所用的版本；null 为默认措辞")


class VersionListOut(Schema):
    items: list[VersionOut]


def _figure(figure: Figure) -> SummaryFigureOut:
    value: int | str
    if isinstance(figure.value, Decimal):
        value = money(figure.value) if figure.unit == "万元" else str(figure.value)  # type: ignore[assignment]
    else:
        value = int(figure.value)
    return SummaryFigureOut(
        key=figure.key,
        label=figure.label,
        value=value,
        unit=figure.unit,
        phrase=figure.phrase,
        records_url=figure.records_url,
    )


def _version(draft: object) -> VersionOut | None:
    from tongxin.insight.models_summary import SummaryDraft

    if not isinstance(draft, SummaryDraft):
        return None
    return VersionOut(
        version=draft.version,
        created_by=draft.created_by.name or draft.created_by.username,
        created_at=draft.created_at,
        note=draft.note,
    )


def summary_out(summary: Summary) -> SummaryOut:
    return SummaryOut(
        year=summary.year,
        region=summary.region.code,
        title=summary.title,
        text=summary.text,
        html=str(summary.html),
        figures=[_figure(f) for f in summary.figures],
        version=_version(summary.version),
    )


@router.get(
    "/summaries/annual",
    response={200: SummaryOut, **ERRORS},
    summary="年度综述（JSON，或 format=docx 下载公文格式文件）",
    openapi_extra={
        "responses": {200: {"content": {DOCX: {}}, "description": "format=docx 时为 .docx 文件"}}
    },
)
def summary_annual(
    request: HttpRequest, query: Query[SummaryQuery]
) -> SummaryOut | HttpResponseBase:
    user = user_of(request)
    summary = selectors.annual_summary(
        user,
        year=query.year or selectors.default_year(),
        region=query.region or None,
        version=query.version,
    )
    if query.format == "docx":
        return docx_response(user, summary)
    return summary_out(summary)


class VersionQuery(Schema):
    year: int | None = Field(
        None, description="年度（默认上一年）", ge=selectors.FIRST_YEAR, le=selectors.LAST_YEAR
    )
    region: str = Field("", description="行政区划代码（默认本人所在区划）")


@router.get(
    "/summaries/annual/versions",
    response={200: VersionListOut, **ERRORS},
    summary="年度综述措辞的历史版本（新的在前）",
)
def summary_versions(request: HttpRequest, query: Query[VersionQuery]) -> VersionListOut:
    drafts = selectors.summary_versions(
        user_of(request),
        year=query.year or selectors.default_year(),
        region=query.region or None,
    )
    return VersionListOut(items=[v for d in drafts if (v := _version(d)) is not None])
