"""Metrics of cadres: trainees of the training classes, and secondments of non-party cadres
(挂职锻炼) by batch and in all."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from tongxin.core import access
from tongxin.core.models import User
from tongxin.work.models import Secondment, Trainee

from .metrics import COUNT, INNOVATE, MAX, Metric, RecordRow, link, region_name, register

# --- trainings and secondments --------------------------------------------------------------------


def _trainee_row(trainee: Trainee, user: User) -> RecordRow:
    return RecordRow(
        date=trainee.training.start_date,
        title=f"{trainee.person.name}（{trainee.training.title}）",
        region=region_name(trainee.person.region),
        note="结业" if trainee.completed else "未结业",
        url=link(user, access.can_use_registry, "training_detail", trainee.training_id),
    )


register(
    Metric(
        key="trainees",
        label="各类培训班参训",
        unit="人",
        definition=(
            "统计期内开班的各类培训班的学员人次（一人参加两个班计两人次），按开班日期，"
            "按学员所属区域，含下辖区域。"
        ),
        kind=COUNT,
        model=Trainee,
        where=lambda p: p.days("training__start_date"),
        region_field="person__region",
        line_field="training__line",
        row=_trainee_row,
        order=("-training__start_date", "training_id", "pk"),
        related=("training", "person", "person__region"),
        section=INNOVATE,
    )
)


def _secondment_row(secondment: Secondment, user: User) -> RecordRow:
    return RecordRow(
        date=secondment.start_date,
        title=f"{secondment.person.name}：{secondment.get_direction_display()} {secondment.host}",
        region=region_name(secondment.person.region),
        note=f"第{secondment.batch}批 {secondment.post}".strip(),
        url=link(user, access.can_use_registry, "secondment_detail", secondment.pk),
    )


def _secondment_metric(
    key: str, label: str, unit: str, definition: str, where: Any, **kw: Any
) -> None:
    register(
        Metric(
            key=key,
            label=label,
            unit=unit,
            definition=definition,
            model=Secondment,
            where=where,
            region_field="person__region",
            row=_secondment_row,
            order=("-batch", "-start_date", "pk"),
            related=("person", "person__region", "host_unit"),
            section=INNOVATE,
            **kw,
        )
    )


_secondment_metric(
    "secondments_batch",
    "本批党外干部挂职",
    "名",
    "统计期内开始挂职的党外干部人数（即当期批次的人数），按挂职开始日期，按干部所属区域。",
    lambda p: p.days("start_date"),
    kind=COUNT,
)
_secondment_metric(
    "secondments_batch_number",
    "党外干部挂职批次",
    "批",
    "统计期内开始挂职的党外干部所在批次中最大的批次号（第几批）；明细列出该期开始挂职的干部。",
    lambda p: p.days("start_date"),
    kind=MAX,
    field="batch",
)
_secondment_metric(
    "secondments_total",
    "党外干部上挂下派累计",
    "名",
    "截至统计期末，历批上挂、下派挂职锻炼的党外干部人次累计，按挂职开始日期，按干部所属区域。",
    lambda p: Q(start_date__lte=p.end),
    kind=COUNT,
)
