"""Work records. This first slice: visits with the opinions heard, and cases (诉求/困难问题) with
their state machine; every transition is a CaseEvent written in the transaction that made it."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tongxin.core.models import BusinessLine, Region, Unit, User
from tongxin.registry.models import Organization, Person


class VisitMethod(models.TextChoices):
    ON_SITE = "on_site", "上门走访"
    MEETING = "meeting", "座谈"
    PHONE = "phone", "电话"
    ONLINE = "online", "线上"


class Visit(models.Model):
    """走访: who visited whom, when and how, and what was heard."""

    visited_on = models.DateField("走访日期")
    method = models.CharField(
        "方式", max_length=16, choices=VisitMethod.choices, default=VisitMethod.ON_SITE
    )
    person = models.ForeignKey(
        Person,
        verbose_name="走访对象（人员）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="走访对象（组织）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    region = models.ForeignKey(
        Region, verbose_name="所属区域", on_delete=models.PROTECT, related_name="+"
    )
    visitors = models.CharField("走访人", max_length=200)
    notes = models.TextField("走访情况", blank=True)
    created_by = models.ForeignKey(
        User, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "走访"
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organization__isnull=False),
                name="visit_has_someone",
                violation_error_message="请选择走访的人员或组织。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on} 走访 {self.person or self.organization}"


class OpinionKind(models.TextChoices):
    SUGGESTION = "suggestion", "意见建议"
    DIFFICULTY = "difficulty", "困难诉求"
    THOUGHT = "thought", "思想动态"


class Opinion(models.Model):
    """One thing heard on a visit (所思所想所盼), classed; a difficulty can become a case."""

    visit = models.ForeignKey(
        Visit, verbose_name="走访", on_delete=models.PROTECT, related_name="opinions"
    )
    kind = models.CharField("类别", max_length=16, choices=OpinionKind.choices)
    text = models.TextField("内容")

    class Meta:
        verbose_name = verbose_name_plural = "走访意见"
        ordering = ["visit", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.text[:20]}"


class CaseSource(models.TextChoices):
    VISIT = "visit", "走访"
    FACE_TO_FACE = "face_to_face", "面对面恳谈"
    LIAISON = "liaison", "联络员反映"
    WALK_IN = "walk_in", "来访"
    PORTAL = "portal", "网上反映"


class CaseStatus(models.TextChoices):
    ACCEPTED = "accepted", "受理"
    ASSIGNED = "assigned", "交办"
    IN_PROGRESS = "in_progress", "办理中"
    RESOLVED = "resolved", "办结"
    FOLLOWED_UP = "followed_up", "回访"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


# A case due within this many days is "即将到期": on the workbench and in the daily reminders.
DUE_SOON_DAYS = 3
OPEN_STATUSES = (CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS)


class Case(models.Model):
    """诉求/困难问题: received, assigned to units with a deadline, handled, closed, followed up."""

    title = models.CharField("标题", max_length=100)
    text = models.TextField("诉求内容")
    source = models.CharField("来源", max_length=16, choices=CaseSource.choices)
    opinion = models.OneToOneField(
        Opinion,
        verbose_name="来自走访意见",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case",
    )
    requester_person = models.ForeignKey(
        Person,
        verbose_name="反映人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    requester_organization = models.ForeignKey(
        Organization,
        verbose_name="反映企业/组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    category = models.CharField("问题类别", max_length=32, blank=True)
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
    units = models.ManyToManyField(Unit, verbose_name="承办单位", blank=True, related_name="cases")
    deadline = models.DateField("办理时限", null=True, blank=True)
    status = models.CharField(
        "状态",
        max_length=16,
        choices=CaseStatus.choices,
        default=CaseStatus.ACCEPTED,
        db_index=True,
    )
    resolution = models.TextField("办理结果", blank=True)
    satisfaction = models.CharField(
        "满意度", max_length=16, choices=Satisfaction.choices, blank=True
    )
    received_on = models.DateField("受理日期", default=timezone.localdate)
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name="受理人", on_delete=models.PROTECT, related_name="+"
    )
    # 归档: a case recorded in error or twice leaves every figure (metrics skip archived cases)
    # but is never deleted; its timeline says who archived it and why.
    archived_at = models.DateTimeField("归档时间", null=True, blank=True, db_index=True)
    archive_reason = models.CharField("归档原因", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "诉求"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["resolved", "followed_up"]) | ~Q(resolution=""),
                name="case_resolved_has_resolution",
                violation_error_message="办结须填写办理结果。",
            ),
            models.CheckConstraint(
                condition=~Q(status="followed_up") | ~Q(satisfaction=""),
                name="case_followed_up_has_satisfaction",
                violation_error_message="回访须记录满意度。",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline is not None and self.deadline < timezone.localdate()

    @property
    def is_due_soon(self) -> bool:
        """Open, not yet overdue, and due within DUE_SOON_DAYS days (today included)."""
        days = self.days_left()
        return days is not None and 0 <= days <= DUE_SOON_DAYS

    def days_left(self, today: dt.date | None = None) -> int | None:
        if self.deadline is None or not self.is_open:
            return None
        return (self.deadline - (today or timezone.localdate())).days


class CaseEventKind(models.TextChoices):
    TRANSITION = "transition", "状态变更"
    RETURN = "return", "退回"
    EXTEND = "extend", "延期"
    PROGRESS = "progress", "进展"
    # Written by the daily job (manage.py case_deadlines), once a case a day, with no actor.
    REMINDER = "reminder", "到期提醒"
    OVERDUE = "overdue", "逾期提醒"
    ARCHIVE = "archive", "归档"
    RESTORE = "restore", "恢复"


REMINDER_KINDS = (CaseEventKind.REMINDER, CaseEventKind.OVERDUE)


class CaseEvent(models.Model):
    """One step of a case's timeline, written in the transaction that made the step."""

    case = models.ForeignKey(
        Case, verbose_name="诉求", on_delete=models.PROTECT, related_name="events"
    )
    at = models.DateTimeField("时间", default=timezone.now)
    # Empty only for the reminders the system writes (see the constraint below).
    actor = models.ForeignKey(
        User,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("类型", max_length=16, choices=CaseEventKind.choices)
    from_status = models.CharField("原状态", max_length=16, choices=CaseStatus.choices)
    to_status = models.CharField("新状态", max_length=16, choices=CaseStatus.choices)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "诉求办理记录"
        ordering = ["case", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(actor__isnull=False) | Q(kind__in=["reminder", "overdue"]),
                name="case_event_has_actor",
                violation_error_message="办理记录须有操作人；只有系统提醒可以没有。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


# The other work records live in their own modules, by meaning; Django finds them here.
from .models_activities import (  # noqa: E402
    Activity,
    CreditAgreement,
    ParticipantRole,
    Participation,
    PromotedProject,
)
from .models_cadres import (  # noqa: E402
    DualVisitReport,
    Secondment,
    SecondmentDirection,
    Trainee,
    Training,
)
from .models_outputs import (  # noqa: E402
    Adopter,
    Adoption,
    Attachment,
    Endorsement,
    EndorsementLevel,
    MediaChannel,
    Output,
    OutputAuthor,
    OutputKind,
)

__all__ = [
    "Activity",
    "Adopter",
    "Adoption",
    "Attachment",
    "Case",
    "CaseEvent",
    "CaseEventKind",
    "CaseSource",
    "CaseStatus",
    "CreditAgreement",
    "DualVisitReport",
    "Endorsement",
    "EndorsementLevel",
    "MediaChannel",
    "Opinion",
    "OpinionKind",
    "Output",
    "OutputAuthor",
    "OutputKind",
    "ParticipantRole",
    "Participation",
    "PromotedProject",
    "Satisfaction",
    "Secondment",
    "SecondmentDirection",
    "Trainee",
    "Training",
    "Visit",
    "VisitMethod",
]
