"""Activities (meetings, trainings, lectures, research, forums, investment promotion …): who
organized them, who took part and in what role, and what came of them.

The type is a code table (``CodeKind.ACTIVITY_TYPE``) so that admins can add the department's own
kinds of activity; the participant roles are fixed, because the meeting brief reads them."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tongxin.core.models import BusinessLine, Region, Unit, User
from tongxin.core.versioning import Versioned
from tongxin.registry.models import CodeItem, CodeKind, Organization, Person


class Activity(Versioned):
    """One activity: a meeting, a class, a lecture, a visit tour, a forum, a promotion …"""

    type = models.ForeignKey(
        CodeItem,
        verbose_name="活动类型",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": CodeKind.ACTIVITY_TYPE},
    )
    title = models.CharField("活动名称", max_length=200)
    date = models.DateField("日期", db_index=True)
    start_time = models.TimeField("开始时间", null=True, blank=True)
    end_date = models.DateField("结束日期", null=True, blank=True, help_text="多日活动填写")
    place = models.CharField("地点", max_length=200, blank=True)
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
    # A meeting of a standing mechanism (联席会议, 领导小组会议) names it: the mechanism's page
    # lists its meetings and only they take its agenda items.
    mechanism = models.ForeignKey(
        "governance.Mechanism",
        verbose_name="所属工作机制",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    organizer_units = models.ManyToManyField(
        Unit, verbose_name="主办单位", blank=True, related_name="organized_activities"
    )
    organizer_organizations = models.ManyToManyField(
        Organization, verbose_name="主办组织", blank=True, related_name="organized_activities"
    )
    headcount = models.PositiveIntegerField(
        "参加人数", null=True, blank=True, help_text="大型活动填写总人数"
    )
    summary = models.TextField("活动内容", blank=True)
    adopted_outputs = models.ManyToManyField(
        "work.Output",
        verbose_name="审议通过的文件",
        blank=True,
        related_name="adopted_at",
    )
    landed_enterprises = models.ManyToManyField(
        Organization, verbose_name="落地企业", blank=True, related_name="landed_at"
    )
    created_by = models.ForeignKey(
        User, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "活动"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["region", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("date")),
                name="activity_end_after_start",
                violation_error_message="结束日期不能早于开始日期。",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ParticipantRole(models.TextChoices):
    SPEAKS = "speaks", "出席并讲话"
    ATTENDS = "attends", "出席"
    CHAIRS = "chairs", "主持"
    EXCHANGE = "exchange", "交流发言"
    TAKES_PART = "takes_part", "参加"
    LECTURES = "lectures", "主讲"
    TRAINEE = "trainee", "学员"


class Participation(models.Model):
    """A person or a unit at an activity, in a role. The order keeps the brief's order.

    Officials who are not 统战对象 (the department's leaders chairing or speaking) are named with
    their title, without a registry record: they are public figures, not people the department
    keeps files on."""

    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.PROTECT, related_name="participations"
    )
    person = models.ForeignKey(
        Person,
        verbose_name="人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    name = models.CharField(
        "姓名（名册外人员）", max_length=32, blank=True, help_text="领导同志等不在名册中的人员"
    )
    role = models.CharField("角色", max_length=16, choices=ParticipantRole.choices)
    title = models.CharField(
        "身份/职务", max_length=100, blank=True, help_text="如：市委常委、统战部部长"
    )
    note = models.CharField("说明", max_length=200, blank=True, help_text="如：发言题目")
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "参加人员"
        ordering = ["activity", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, unit__isnull=True, name="")
                | Q(person__isnull=True, unit__isnull=False, name="")
                | (Q(person__isnull=True, unit__isnull=True) & ~Q(name="")),
                name="participation_one_participant",
                violation_error_message="每条参加记录须是名册中的一位人员、一个单位或一位名册外人员，三者选一。",
            ),
            models.UniqueConstraint(
                fields=["activity", "person"],
                condition=Q(person__isnull=False),
                name="participation_person_once",
                violation_error_message="该人员已在本活动的参加名单中。",
            ),
            models.UniqueConstraint(
                fields=["activity", "name"],
                condition=~Q(name=""),
                name="participation_name_once",
                violation_error_message="该人员已在本活动的参加名单中。",
            ),
            models.UniqueConstraint(
                fields=["activity", "unit"],
                condition=Q(unit__isnull=False),
                name="participation_unit_once",
                violation_error_message="该单位已在本活动的参加名单中。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.who}（{self.get_role_display()}）"

    @property
    def who(self) -> str:
        if self.unit is not None:
            return self.unit.short_name or self.unit.name
        return self.person.name if self.person is not None else self.name


wan_yuan = {
    "max_digits": 16,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0"))],
}


class PromotedProject(models.Model):
    """A project promoted at an activity (招商推介项目)."""

    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.PROTECT, related_name="projects"
    )
    name = models.CharField("项目名称", max_length=200)
    investment = models.DecimalField(
        "计划投资（万元）",
        null=True,
        blank=True,
        **wan_yuan,  # type: ignore[arg-type]
    )
    investor = models.CharField("投资方", max_length=200, blank=True)
    signed = models.BooleanField("已签约", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "推介项目"
        ordering = ["activity", "id"]

    def __str__(self) -> str:
        return self.name


class CreditAgreement(models.Model):
    """Credit signed at an activity: one enterprise, one bank, an amount in 万元 (Decimal)."""

    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.PROTECT, related_name="credits"
    )
    enterprise = models.ForeignKey(
        Organization, verbose_name="企业", on_delete=models.PROTECT, related_name="credits"
    )
    bank = models.CharField("银行", max_length=100)
    amount = models.DecimalField("授信金额（万元）", **wan_yuan)  # type: ignore[arg-type]

    class Meta:
        verbose_name = verbose_name_plural = "授信签约"
        ordering = ["activity", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="credit_amount_positive",
                violation_error_message="授信金额须大于0（单位：万元）。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.bank} · {self.amount}万元"
