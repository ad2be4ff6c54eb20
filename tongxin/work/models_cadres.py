"""Trainings and cadres: training classes with their trainees and hours; secondments of non-party
cadres (挂职锻炼, 上挂 or 下派, by batch); 双走访双报告 of non-party representatives, per year."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tongxin.core.models import BusinessLine, Region, Unit, User
from tongxin.core.versioning import Versioned
from tongxin.registry.models import Person

hours = {
    "max_digits": 6,
    "decimal_places": 1,
    "validators": [MinValueValidator(Decimal("0"))],
}


class Training(Versioned):
    """A training class (培训班)."""

    title = models.CharField("培训班名称", max_length=200)
    start_date = models.DateField("开班日期", db_index=True)
    end_date = models.DateField("结业日期")
    place = models.CharField("地点", max_length=200, blank=True)
    organizer = models.ForeignKey(
        Unit,
        verbose_name="主办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainings",
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
    hours = models.DecimalField("学时", **hours)  # type: ignore[arg-type]
    summary = models.TextField("培训内容", blank=True)
    activity = models.OneToOneField(
        "work.Activity",
        verbose_name="对应活动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training",
    )
    created_by = models.ForeignKey(
        User, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "培训班"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="training_end_after_start",
                violation_error_message="结业日期不能早于开班日期。",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Trainee(models.Model):
    """A person on a training class; hours default to the class's."""

    training = models.ForeignKey(
        Training, verbose_name="培训班", on_delete=models.PROTECT, related_name="trainees"
    )
    person = models.ForeignKey(
        Person, verbose_name="学员", on_delete=models.PROTECT, related_name="trainings"
    )
    hours = models.DecimalField("学时", null=True, blank=True, **hours)  # type: ignore[arg-type]
    completed = models.BooleanField("结业", default=True)
    notes = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "学员"
        ordering = ["training", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "person"],
                name="trainee_once_per_training",
                violation_error_message="该人员已是本培训班学员。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.training}"

    @property
    def effective_hours(self) -> Decimal:
        return self.hours if self.hours is not None else self.training.hours


class SecondmentDirection(models.TextChoices):
    UP = "up", "上挂"
    DOWN = "down", "下派"


class Secondment(Versioned):
    """挂职锻炼 of a non-party cadre: a host unit, up or down, a batch, a term."""

    person = models.ForeignKey(
        Person, verbose_name="挂职干部", on_delete=models.PROTECT, related_name="secondments"
    )
    host_unit = models.ForeignKey(
        Unit,
        verbose_name="挂职单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="secondments",
    )
    host_name = models.CharField(
        "挂职单位（名称）", max_length=100, blank=True, help_text="挂职单位不在单位列表中时填写"
    )
    post = models.CharField("挂任职务", max_length=100, blank=True)
    direction = models.CharField("方式", max_length=8, choices=SecondmentDirection.choices)
    batch = models.PositiveSmallIntegerField(
        "批次", validators=[MinValueValidator(1), MaxValueValidator(999)], help_text="第几批"
    )
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    region = models.ForeignKey(
        Region, verbose_name="组织区域", on_delete=models.PROTECT, related_name="+"
    )
    notes = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "挂职锻炼"
        ordering = ["-batch", "person__name_pinyin", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(host_unit__isnull=False) | ~Q(host_name=""),
                name="secondment_has_host",
                violation_error_message="请选择或填写挂职单位。",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="secondment_end_after_start",
                violation_error_message="结束日期不能早于开始日期。",
            ),
            models.UniqueConstraint(
                fields=["person", "batch"],
                name="secondment_once_per_batch",
                violation_error_message="该人员已在这一批挂职名单中。",
            ),
        ]

    def __str__(self) -> str:
        return f"第{self.batch}批 {self.person} {self.get_direction_display()} {self.host}"

    @property
    def host(self) -> str:
        return str(self.host_unit) if self.host_unit else self.host_name


class DualVisitReport(Versioned):
    """双走访双报告: a non-party representative's visits made and report given, for one year."""

    person = models.ForeignKey(
        Person, verbose_name="党外代表人士", on_delete=models.PROTECT, related_name="dual_reports"
    )
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    visits_made = models.PositiveSmallIntegerField("走访次数", default=0)
    visit_notes = models.TextField("走访情况", blank=True)
    report_title = models.CharField("报告题目", max_length=200, blank=True)
    report_text = models.TextField("报告内容", blank=True)
    reported_on = models.DateField("报告日期", null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "双走访双报告"
        ordering = ["-year", "person__name_pinyin"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"],
                name="dual_report_once_per_year",
                violation_error_message="该人员本年度已有双走访双报告记录，请编辑那条记录。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.person} 双走访双报告"
