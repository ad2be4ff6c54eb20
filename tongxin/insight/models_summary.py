"""Saved versions of the annual summary's wording (综述版本).

A version keeps words, never numbers: the title and the blocks whose wording staff changed, with
their placeholders. Whenever a version is shown or exported its numbers are measured again, so a
version saved in February states March's figures when read in March."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tongxin.core.models import Region, User


class SummaryDraft(models.Model):
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    region = models.ForeignKey(
        Region, verbose_name="区划", on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField("版本号")
    title = models.CharField("标题", max_length=200, help_text="可含地名变量，如 {year}、{place}")
    wording = models.JSONField(
        "措辞",
        default=dict,
        blank=True,
        help_text="改动过的段落：段落键 → 含占位符的文字；未列出的段落沿用默认措辞",
    )
    note = models.CharField("修改说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name="保存人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("保存时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "综述版本"
        ordering = ["year", "region", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "region", "version"], name="summary_draft_one_per_version"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="summary_draft_version_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.region.name}统战工作综述 第{self.version}版"
