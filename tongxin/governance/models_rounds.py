"""Evaluation rounds (考评轮次) of an indicator set: the values entered with evidence, the stored
results with each indicator's raw value and score, and the round's timeline.

A round's results are written by ``round_compute`` (services_rounds.py) and, once the round is
published, never again: a published ranking is what was published, whatever the records say
later. Results keep the subject's name and region as they were, so that a renamed enterprise
still reads as it did on the list."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tongxin.core.models import Region, Unit, User
from tongxin.registry.models import Organization

from . import scoring
from .models_indicators import SUBJECT_FIELDS, Indicator, IndicatorSet


class RoundState(models.TextChoices):
    DRAFT = "draft", "草稿"
    COMPUTED = "computed", "已计算"
    PUBLISHED = "published", "已发布"


class EvaluationRound(models.Model):
    """考评轮次: a set applied to one year's records within a region. 草稿 → 已计算 (recomputed as
    often as needed) → 已发布, after which nothing in it changes."""

    set = models.ForeignKey(
        IndicatorSet, verbose_name="指标体系", on_delete=models.PROTECT, related_name="rounds"
    )
    year = models.PositiveSmallIntegerField(
        "考评年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    scope_region = models.ForeignKey(
        Region, verbose_name="考评范围", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("标题", max_length=100)
    state = models.CharField(
        "状态", max_length=16, choices=RoundState.choices, default=RoundState.DRAFT, db_index=True
    )
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)
    computed_by = models.ForeignKey(
        User,
        verbose_name="计算人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        User,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        User, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "考评轮次"
        ordering = ["-year", "set", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["set", "year", "scope_region"],
                name="round_one_a_year",
                violation_error_message="该指标体系在这一范围本年度已有考评轮次。",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(computed_at__isnull=False),
                name="round_computed_has_time",
                violation_error_message="已计算的考评轮次须有计算时间。",
            ),
            models.CheckConstraint(
                condition=~Q(state="published")
                | Q(published_at__isnull=False, published_by__isnull=False),
                name="round_published_has_publisher",
                violation_error_message="已发布的考评轮次须有发布时间和发布人。",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.state == RoundState.PUBLISHED


def _one_subject(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(organization__isnull=False, region__isnull=True, unit__isnull=True)
        | Q(organization__isnull=True, region__isnull=False, unit__isnull=True)
        | Q(organization__isnull=True, region__isnull=True, unit__isnull=False),
        name=name,
        violation_error_message="考评对象须是一个组织、一个区域或一个单位，三者选一。",
    )


def _unique_subject(prefix: str, fields: list[str], message: str) -> list[models.UniqueConstraint]:
    return [
        models.UniqueConstraint(
            fields=[*fields, field],
            condition=Q(**{f"{field}__isnull": False}),
            name=f"{prefix}_unique_{field}",
            violation_error_message=message,
        )
        for field in SUBJECT_FIELDS
    ]


class Subjected(models.Model):
    """A row about one subject: an organization, a region or a unit (one of the three)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name="组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name="区域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def subject(self) -> Organization | Region | Unit | None:
        return self.organization or self.region or self.unit

    @property
    def subject_key(self) -> tuple[str, int]:
        """(field, pk): the same subject in two rounds has the same key."""
        for field in SUBJECT_FIELDS:
            pk = getattr(self, f"{field}_id")
            if pk is not None:
                return field, pk
        raise ValueError("row without a subject")


class EnteredValue(Subjected):
    """A value of an entered indicator for one subject of a round, with its evidence and the named
    user who entered it. Entering again replaces the value (the audit log keeps the old one)."""

    round = models.ForeignKey(
        EvaluationRound, verbose_name="考评轮次", on_delete=models.PROTECT, related_name="values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="entered_values"
    )
    value = models.DecimalField("数值", max_digits=18, decimal_places=4)
    evidence = models.TextField("佐证材料")
    entered_by = models.ForeignKey(
        User, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "指标录入值"
        ordering = ["round", "indicator", "id"]
        constraints = [
            _one_subject("entered_value_one_subject"),
            *_unique_subject(
                "entered_value", ["round", "indicator"], "该对象的这项指标已录入，请修改原值。"
            ),
            models.CheckConstraint(
                condition=~Q(evidence=""),
                name="entered_value_has_evidence",
                violation_error_message="请填写佐证材料（数据出处、文件名称或说明）。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject}：{self.indicator} = {self.value}"


class RoundResult(Subjected):
    """A subject's place in a computed round, with its name as it was then."""

    round = models.ForeignKey(
        EvaluationRound, verbose_name="考评轮次", on_delete=models.PROTECT, related_name="results"
    )
    subject_name = models.CharField("名称", max_length=128)
    subject_region = models.CharField("所属区域", max_length=32, blank=True)
    position = models.PositiveIntegerField("顺序")
    rank = models.PositiveIntegerField("名次")
    total = models.DecimalField("总分", max_digits=9, decimal_places=2)
    stars = models.PositiveSmallIntegerField("星级", null=True, blank=True)
    in_list = models.BooleanField("上榜", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "考评结果"
        ordering = ["round", "position"]
        constraints = [
            _one_subject("round_result_one_subject"),
            *_unique_subject("round_result", ["round"], "考评结果中该对象重复。"),
            models.UniqueConstraint(fields=["round", "position"], name="round_result_position"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.subject_name}"

    @property
    def star_text(self) -> str:
        return scoring.star_text(self.stars)


class ResultScore(models.Model):
    """One indicator of one result: the raw value used and the score it earned."""

    result = models.ForeignKey(
        RoundResult, verbose_name="考评结果", on_delete=models.PROTECT, related_name="scores"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="+"
    )
    raw_value = models.DecimalField(
        "原始值", max_digits=18, decimal_places=4, null=True, blank=True
    )
    score = models.DecimalField("得分", max_digits=9, decimal_places=2)
    note = models.CharField("说明", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "指标得分"
        ordering = ["result", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["result", "indicator"], name="result_score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}：{self.score}"


class RoundEventKind(models.TextChoices):
    CREATED = "created", "创建"
    VALUE_ENTERED = "value_entered", "录入数值"
    COMPUTED = "computed", "计算"
    RESET = "reset", "退回草稿"
    PUBLISHED = "published", "发布"


class RoundEvent(models.Model):
    """One step of a round's timeline, written in the transaction that made it."""

    round = models.ForeignKey(
        EvaluationRound, verbose_name="考评轮次", on_delete=models.PROTECT, related_name="events"
    )
    at = models.DateTimeField("时间", default=timezone.now)
    actor = models.ForeignKey(
        User, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("类型", max_length=16, choices=RoundEventKind.choices)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "考评记录"
        ordering = ["round", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.note}" if self.note else self.get_kind_display()
