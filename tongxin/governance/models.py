"""Standing mechanisms (联席会议制度, 领导小组 …) through which the department holds other units to
account: their member units and liaisons, the issue list (议题) of their meetings, the tasks they
supervise (督办事项) and the member units' yearly duty reports (述职).

Every record hangs off a mechanism, whose region and line decide who sees it (access.py); a task
may stand alone, with its own region and line."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tongxin.core.models import BusinessLine, Region, Role, Unit, User
from tongxin.core.versioning import Versioned

# The activity types (registry/codes.py ACTIVITY_TYPES) that are a mechanism's meetings.
MEETING_TYPE_CODES = ("lianxi", "lingdao")

LIAISON_NOT_OF_UNIT = "联络员须是该成员单位的“成员单位联络员”账号，请先为该单位开通联络员账号。"


class MechanismKind(models.TextChoices):
    JOINT_MEETING = "joint_meeting", "联席会议制度"
    LEADING_GROUP = "leading_group", "领导小组"
    OTHER = "other", "其他"


class Mechanism(Versioned):
    """A standing mechanism: its rules document, lead unit and member units."""

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=MechanismKind.choices)
    lead_unit = models.ForeignKey(
        Unit, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="+"
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
    rules_document = models.ForeignKey(
        "work.Output",
        verbose_name="制度文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    established_on = models.DateField("建立日期")
    is_active = models.BooleanField("运行中", default=True)
    created_by = models.ForeignKey(
        User, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "工作机制"
        ordering = ["-established_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="mechanism_unique_name",
                violation_error_message="本区域已有同名的工作机制。",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MemberUnit(Versioned):
    """A member unit of a mechanism, with its duties and its liaison officer."""

    mechanism = models.ForeignKey(
        Mechanism, verbose_name="工作机制", on_delete=models.PROTECT, related_name="members"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="成员单位", on_delete=models.PROTECT, related_name="memberships"
    )
    duties = models.TextField("职责", blank=True)
    liaison = models.ForeignKey(
        User,
        verbose_name="联络员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "成员单位"
        ordering = ["mechanism", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mechanism", "unit"],
                name="member_unit_unique",
                violation_error_message="该单位已是本机制的成员单位。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mechanism}：{self.unit}"

    def clean(self) -> None:
        liaison = self.liaison
        if liaison is not None and (
            liaison.role != Role.LIAISON or liaison.unit_id != self.unit_id
        ):
            raise ValidationError({"liaison": LIAISON_NOT_OF_UNIT})


class AgendaState(models.TextChoices):
    PENDING = "pending", "待议"
    SCHEDULED = "scheduled", "已列入议程"
    CLOSED = "closed", "已办结"
    CARRIED = "carried", "转下次"


# The states in which an item is on a meeting's agenda (and so names the meeting).
ON_AGENDA = (AgendaState.SCHEDULED, AgendaState.CLOSED, AgendaState.CARRIED)
SETTLED = (AgendaState.CLOSED, AgendaState.CARRIED)


class AgendaItem(models.Model):
    """议题: raised by a member unit before a meeting, put on its agenda, and closed there or
    carried over to the next one. A carried item is followed by a new item on the next meeting
    (``carried_from``), so an item is never silently dropped."""

    mechanism = models.ForeignKey(
        Mechanism, verbose_name="工作机制", on_delete=models.PROTECT, related_name="agenda_items"
    )
    raised_by = models.ForeignKey(
        MemberUnit, verbose_name="提出单位", on_delete=models.PROTECT, related_name="agenda_items"
    )
    title = models.CharField("议题", max_length=200)
    text = models.TextField("内容", blank=True)
    raised_on = models.DateField("提出日期", default=timezone.localdate)
    state = models.CharField(
        "状态",
        max_length=16,
        choices=AgendaState.choices,
        default=AgendaState.PENDING,
        db_index=True,
    )
    meeting = models.ForeignKey(
        "work.Activity",
        verbose_name="会议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    outcome = models.TextField("议定事项", blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    carried_from = models.OneToOneField(
        "self",
        verbose_name="上次会议转来",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_to",
    )
    created_by = models.ForeignKey(
        User, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "议题"
        ordering = ["mechanism", "raised_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="pending") | Q(meeting__isnull=False),
                name="agenda_item_on_agenda_has_meeting",
                violation_error_message="列入议程的议题须选择会议。",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["closed", "carried"]) | Q(closed_at__isnull=False),
                name="agenda_item_settled_has_time",
                violation_error_message="已办结或转下次的议题须有办结时间。",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if (
            self.raised_by_id
            and self.mechanism_id
            and self.raised_by.mechanism_id != self.mechanism_id
        ):
            raise ValidationError({"raised_by": "提出单位须是本机制的成员单位。"})


class TaskState(models.TextChoices):
    PENDING = "pending", "待办"
    IN_PROGRESS = "in_progress", "办理中"
    DONE = "done", "已办结"
    RETURNED = "returned", "已退回"


OPEN_TASK_STATES = (TaskState.PENDING, TaskState.IN_PROGRESS)


class Task(models.Model):
    """督办事项: assigned to a unit or a region, with a deadline, an owner in the department and
    the result expected; its timeline is TaskEvent."""

    mechanism = models.ForeignKey(
        Mechanism,
        verbose_name="工作机制",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    title = models.CharField("督办事项", max_length=200)
    text = models.TextField("内容", blank=True)
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
    assignee_unit = models.ForeignKey(
        Unit,
        verbose_name="承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    assignee_region = models.ForeignKey(
        Region,
        verbose_name="承办区县",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    owner = models.ForeignKey(
        User, verbose_name="督办责任人", on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField("办理时限")
    expected_result = models.TextField("预期成效", blank=True)
    state = models.CharField(
        "状态",
        max_length=16,
        choices=TaskState.choices,
        default=TaskState.PENDING,
        db_index=True,
    )
    result = models.TextField("办理结果", blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "督办事项"
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(assignee_unit__isnull=False, assignee_region__isnull=True)
                | Q(assignee_unit__isnull=True, assignee_region__isnull=False),
                name="task_has_one_assignee",
                violation_error_message="请选择承办单位或承办区县（二选一）。",
            ),
            models.CheckConstraint(
                condition=~Q(state="done") | ~Q(result=""),
                name="task_done_has_result",
                violation_error_message="办结须填写办理结果。",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def assignee(self) -> Unit | Region | None:
        return self.assignee_unit or self.assignee_region

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_TASK_STATES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline < timezone.localdate()

    @property
    def days_left(self) -> int | None:
        return (self.deadline - timezone.localdate()).days if self.is_open else None


class TaskEventKind(models.TextChoices):
    TRANSITION = "transition", "状态变更"
    RETURN = "return", "退回"
    PROGRESS = "progress", "进展"
    # Written by the daily job (manage.py task_deadlines), once a task a day, with no actor.
    REMINDER = "reminder", "到期提醒"
    OVERDUE = "overdue", "逾期提醒"


TASK_REMINDER_KINDS = (TaskEventKind.REMINDER, TaskEventKind.OVERDUE)


class TaskEvent(models.Model):
    """One step of a task's timeline, written in the transaction that made the step."""

    task = models.ForeignKey(
        Task, verbose_name="督办事项", on_delete=models.PROTECT, related_name="events"
    )
    at = models.DateTimeField("时间", default=timezone.now)
    actor = models.ForeignKey(
        User,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("类型", max_length=16, choices=TaskEventKind.choices)
    from_state = models.CharField("原状态", max_length=16, choices=TaskState.choices)
    to_state = models.CharField("新状态", max_length=16, choices=TaskState.choices)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "督办记录"
        ordering = ["task", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(actor__isnull=False) | Q(kind__in=["reminder", "overdue"]),
                name="task_event_has_actor",
                violation_error_message="督办记录须有操作人；只有系统提醒可以没有。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


class DutyReportState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    SCORED = "scored", "已评分"


class DutyReport(Versioned):
    """述职: a member unit's yearly report on its duties, submitted by its liaison and scored by
    the department. The member row names the mechanism: one report a member a year."""

    member = models.ForeignKey(
        MemberUnit, verbose_name="成员单位", on_delete=models.PROTECT, related_name="duty_reports"
    )
    year = models.PositiveSmallIntegerField("年度")
    text = models.TextField("述职内容")
    state = models.CharField(
        "状态",
        max_length=16,
        choices=DutyReportState.choices,
        default=DutyReportState.DRAFT,
        db_index=True,
    )
    submitted_by = models.ForeignKey(
        User,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    score = models.DecimalField("评分", max_digits=5, decimal_places=2, null=True, blank=True)
    review = models.TextField("评价意见", blank=True)
    reviewed_by = models.ForeignKey(
        User,
        verbose_name="评分人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("评分时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "述职报告"
        ordering = ["-year", "member", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="duty_report_one_a_year",
                violation_error_message="该成员单位本年度已有述职报告。",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="duty_report_score_range",
                violation_error_message="评分须在0到100之间。",
            ),
            models.CheckConstraint(
                condition=~Q(state="scored") | Q(score__isnull=False, reviewed_at__isnull=False),
                name="duty_report_scored_has_score",
                violation_error_message="已评分的述职报告须有评分。",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
                name="duty_report_submitted_has_time",
                violation_error_message="已提交的述职报告须有提交时间。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member.unit} {self.year}年述职"

    @property
    def mechanism(self) -> Mechanism:
        return self.member.mechanism


# The indicator engine's models live in their own modules; imported here so that Django loads them
# with the app. Last in the file: those modules import nothing from this one.
from .models_indicators import Indicator, IndicatorSet  # noqa: E402, F401
from .models_rounds import (  # noqa: E402, F401
    EnteredValue,
    EvaluationRound,
    ResultScore,
    RoundEvent,
    RoundResult,
)
