"""The indicator engine's definitions: indicator sets (指标体系) and their indicators. The rounds
that apply a set to a year's records are in models_rounds.py.

A set is kept, like a mechanism, by the staff of its region and line (access.py). The rules in
words live with their code: scoring in scoring.py, eligibility in indicator_subjects.py, the
computed metrics in indicator_sources.py."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tongxin.core.models import BusinessLine, Region, User
from tongxin.core.versioning import Versioned

from . import scoring


class SubjectType(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    ORGANIZATION = "organization", "组织"
    DESIGNATION = "designation", "命名单位"
    REGION = "region", "区县"
    UNIT = "unit", "单位"
    PARTY_COMMITTEE = "party_committee", "民主党派"


# The field of a result (or an entered value) that holds a subject of each type.
SUBJECT_FIELD = {
    SubjectType.ENTERPRISE: "organization",
    SubjectType.ORGANIZATION: "organization",
    SubjectType.DESIGNATION: "organization",
    SubjectType.PARTY_COMMITTEE: "organization",
    SubjectType.REGION: "region",
    SubjectType.UNIT: "unit",
}
SUBJECT_FIELDS = ("organization", "region", "unit")


class TieRule(models.TextChoices):
    SHARED = scoring.SHARED, "总分相同者并列，名次跳过（如1、2、2、4）"
    FIRST_INDICATOR = scoring.FIRST_INDICATOR, "总分相同按首项指标得分排序，再相同按名称拼音排序"


class Direction(models.TextChoices):
    HIGHER = scoring.HIGHER, "越高越好"
    LOWER = scoring.LOWER, "越低越好"


class ScoringRule(models.TextChoices):
    LINEAR = scoring.LINEAR, "区间线性计分"
    THRESHOLDS = scoring.THRESHOLDS, "分档计分"
    RANK = scoring.RANK, "按名次计分"


class SourceKind(models.TextChoices):
    COMPUTED = "computed", "由记录统计"
    ENTERED = "entered", "录入（附佐证）"


class IndicatorSet(Versioned):
    """指标体系: what is evaluated (subject type and who is eligible), by which indicators, and how
    totals become a ranking and star levels."""

    name = models.CharField("名称", max_length=100)
    subject_type = models.CharField("考评对象类型", max_length=16, choices=SubjectType.choices)
    eligibility = models.CharField(
        "参评范围", max_length=32, help_text="谁参加考评（indicator_subjects.py 中登记的规则）"
    )
    region = models.ForeignKey(
        Region, verbose_name="所属区域", on_delete=models.PROTECT, related_name="+"
    )
    line = models.ForeignKey(
        BusinessLine,
        verbose_name="条线",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField("说明", blank=True)
    total = models.DecimalField(
        "总分",
        max_digits=9,
        decimal_places=2,
        default=100,
        validators=[MinValueValidator(scoring.CENT)],
    )
    tie_rule = models.CharField(
        "并列规则", max_length=16, choices=TieRule.choices, default=TieRule.SHARED
    )
    star_cutoffs = models.JSONField(
        "星级线", default=list, blank=True, help_text="[[星级, 最低总分], …]；空表示不评星级"
    )
    list_size = models.PositiveIntegerField(
        "榜单名额", null=True, blank=True, help_text="如50强填50；空表示全部上榜"
    )
    created_by = models.ForeignKey(
        User, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "指标体系"
        ordering = ["region__path", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="indicator_set_unique_name",
                violation_error_message="本区域已有同名的指标体系。",
            ),
            models.CheckConstraint(
                condition=Q(total__gt=0),
                name="indicator_set_total_positive",
                violation_error_message="总分须大于0。",
            ),
            models.CheckConstraint(
                condition=Q(list_size__isnull=True) | Q(list_size__gt=0),
                name="indicator_set_list_size_positive",
                violation_error_message="榜单名额须大于0，或留空表示全部上榜。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def subject_field(self) -> str:
        return SUBJECT_FIELD[SubjectType(self.subject_type)]

    @property
    def cutoffs(self) -> tuple[tuple[int, Decimal], ...]:
        return scoring.parse_cutoffs(self.star_cutoffs)

    def clean(self) -> None:
        try:
            cutoffs = scoring.parse_cutoffs(self.star_cutoffs)
        except ValueError as e:
            raise ValidationError({"star_cutoffs": str(e)}) from None
        if cutoffs and self.total is not None and cutoffs[0][1] > self.total:
            raise ValidationError({"star_cutoffs": STAR_ABOVE_TOTAL.format(total=self.total)})
        from .indicator_subjects import check_eligibility

        check_eligibility(self.eligibility, self.subject_type)


STAR_ABOVE_TOTAL = "最高星级的最低总分不能超过总分（{total}分）。"
LINEAR_BOUNDS = "区间线性计分须填写下限和上限，且上限大于下限。"
THRESHOLDS_ONLY = "只有分档计分需要填写分档。"


class Indicator(Versioned):
    """One indicator of a set: its weight, direction, scoring rule and where its value comes from
    (a metric of indicator_sources.py, or a value entered with evidence for each subject)."""

    set = models.ForeignKey(
        IndicatorSet, verbose_name="指标体系", on_delete=models.PROTECT, related_name="indicators"
    )
    order = models.PositiveSmallIntegerField("序号")
    name = models.CharField("指标名称", max_length=100)
    weight = models.DecimalField("权重（分值）", max_digits=9, decimal_places=2)
    direction = models.CharField(
        "方向", max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    rule = models.CharField("计分规则", max_length=16, choices=ScoringRule.choices)
    lower_bound = models.DecimalField(
        "下限", max_digits=18, decimal_places=4, null=True, blank=True
    )
    upper_bound = models.DecimalField(
        "上限", max_digits=18, decimal_places=4, null=True, blank=True
    )
    thresholds = models.JSONField(
        "分档", default=list, blank=True, help_text="[[达到值, 得分比例], …]，比例为0到1"
    )
    source_kind = models.CharField("数据来源", max_length=16, choices=SourceKind.choices)
    metric = models.CharField(
        "统计指标", max_length=48, blank=True, help_text="由记录统计时：indicator_sources.py 的键"
    )
    unit_label = models.CharField("计量单位", max_length=16, blank=True, help_text="录入时填写")
    description = models.TextField("评分说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "指标"
        ordering = ["set", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["set", "order"],
                name="indicator_unique_order",
                violation_error_message="本指标体系已有该序号的指标。",
            ),
            models.UniqueConstraint(
                fields=["set", "name"],
                name="indicator_unique_name",
                violation_error_message="本指标体系已有同名指标。",
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="indicator_weight_positive",
                violation_error_message="权重须大于0。",
            ),
            models.CheckConstraint(
                condition=Q(source_kind="computed", metric__gt="")
                | Q(source_kind="entered", metric=""),
                name="indicator_source_metric",
                violation_error_message="由记录统计的指标须选择统计指标；录入的指标不选。",
            ),
            models.CheckConstraint(
                condition=~Q(rule="linear")
                | Q(
                    lower_bound__isnull=False,
                    upper_bound__isnull=False,
                    upper_bound__gt=models.F("lower_bound"),
                ),
                name="indicator_linear_has_bounds",
                violation_error_message=LINEAR_BOUNDS,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_entered(self) -> bool:
        return self.source_kind == SourceKind.ENTERED

    def scoring_rule(self) -> scoring.Rule:
        return scoring.Rule(
            kind=self.rule,
            weight=self.weight,
            direction=self.direction,
            lo=self.lower_bound,
            hi=self.upper_bound,
            thresholds=scoring.parse_thresholds(self.thresholds)
            if self.rule == ScoringRule.THRESHOLDS
            else (),
        )

    def clean(self) -> None:
        if self.rule == ScoringRule.THRESHOLDS:
            try:
                scoring.parse_thresholds(self.thresholds)
            except ValueError as e:
                raise ValidationError({"thresholds": str(e)}) from None
        elif self.thresholds:
            raise ValidationError({"thresholds": THRESHOLDS_ONLY})
        if self.rule == ScoringRule.LINEAR and (
            self.lower_bound is None
            or self.upper_bound is None
            or self.upper_bound <= self.lower_bound
        ):
            raise ValidationError({"upper_bound": LINEAR_BOUNDS})
        if self.source_kind == SourceKind.COMPUTED and self.set_id:
            from .indicator_sources import check_metric

            check_metric(self.metric, self.set.subject_type)
