"""What people send through the portal and staff decide: changes to their record, applications
to join an organization, and opinions or difficulties."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tongxin.core.models import BusinessLine, Region, User
from tongxin.core.versioning import Versioned


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "未通过"
    WITHDRAWN = "withdrawn", "已撤回"


class Reviewed(models.Model):
    """Who decided a request of a person's, when, and why (the reason shown to the person)."""

    reviewed_by = models.ForeignKey(
        User,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_reason = models.CharField("审核意见", max_length=500, blank=True)

    class Meta:
        abstract = True

    def decide(self, *, actor: User, status: str, reason: str = "", **also: object) -> None:
        """Record the decision (and whatever else it set, ``also``) in one UPDATE."""
        self.status = status
        self.reviewed_by = actor
        self.reviewed_at = timezone.now()
        self.review_reason = reason[:500]
        for name, value in also.items():
            setattr(self, name, value)
        fields = ["status", "reviewed_by", "reviewed_at", "review_reason", *also]
        self.save(update_fields=fields)


class ProfileRequestKind(models.TextChoices):
    CHANGE = "change", "信息变更"
    CORRECTION = "correction", "更正申请"


class ProfileRequest(Versioned, Reviewed):
    """本人申报: a person proposes new values for their own record (``changes``: field name → new
    value, with ``before`` kept for the reviewer), or asks in words for a correction. Approved
    changes are applied through registry.services, with the approver as the actor."""

    person = models.ForeignKey(
        "registry.Person",
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="profile_requests",
    )
    kind = models.CharField(
        "类型", max_length=16, choices=ProfileRequestKind.choices, default=ProfileRequestKind.CHANGE
    )
    changes = models.JSONField("申报内容", default=dict, blank=True)
    before = models.JSONField("原内容", default=dict, blank=True)
    note = models.TextField("说明", blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "本人申报"
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.person} 的{self.get_kind_display()}"


class JoinApplication(Versioned, Reviewed):
    """A person asks to join a 联谊组织 or 服务团; staff of its line decide; approval creates the
    membership (registry.services.membership_add)."""

    person = models.ForeignKey(
        "registry.Person",
        verbose_name="申请人",
        on_delete=models.PROTECT,
        related_name="join_applications",
    )
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name="申请加入的组织",
        on_delete=models.PROTECT,
        related_name="join_applications",
    )
    reason = models.TextField("申请理由", blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    submitted_at = models.DateTimeField("申请时间", default=timezone.now)
    membership = models.OneToOneField(
        "registry.Membership",
        verbose_name="入会记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="join_application",
    )

    class Meta:
        verbose_name = verbose_name_plural = "入会申请"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization"],
                condition=Q(status="pending"),
                name="join_application_one_pending",
                violation_error_message="您已申请加入该组织，正在审核中，请耐心等待。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} 申请加入 {self.organization}"


class JoinQuota(models.Model):
    """At most ``limit`` approvals a quarter for one organization (optional: none means no cap)."""

    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name="组织",
        on_delete=models.CASCADE,
        related_name="join_quotas",
    )
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField(
        "季度", choices=[(q, f"第{q}季度") for q in (1, 2, 3, 4)]
    )
    limit = models.PositiveIntegerField("名额")
    set_by = models.ForeignKey(
        User, verbose_name="设置人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "入会名额"
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "quarter"], name="join_quota_one_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="join_quota_quarter_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}年第{self.quarter}季度 {self.limit}名"


class SubmissionKind(models.TextChoices):
    SUGGESTION = "suggestion", "意见建议"
    DIFFICULTY = "difficulty", "困难诉求"
    THOUGHT = "thought", "思想动态"


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    CASE = "case", "已转为诉求办理"
    ANSWERED = "answered", "已答复"


class RATINGS(models.IntegerChoices):
    VERY_BAD = 1, "很不满意"
    BAD = 2, "不满意"
    FAIR = 3, "一般"
    GOOD = 4, "满意"
    VERY_GOOD = 5, "非常满意"


class Submission(Versioned):
    """An opinion or a difficulty a person sends (所思所想所盼). It reaches the inbox of the staff
    of the person's region (and line, when given); staff answer it or turn it into a case, whose
    resolution the person then sees; the person rates the answer."""

    person = models.ForeignKey(
        "registry.Person",
        verbose_name="反映人",
        on_delete=models.PROTECT,
        related_name="portal_submissions",
    )
    kind = models.CharField("类别", max_length=16, choices=SubmissionKind.choices)
    title = models.CharField("标题", max_length=100)
    text = models.TextField("内容")
    region = models.ForeignKey(
        Region, verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    line = models.ForeignKey(
        BusinessLine,
        verbose_name="业务条线",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        "状态",
        max_length=16,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.SUBMITTED,
    )
    submitted_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    case = models.OneToOneField(
        "work.Case",
        verbose_name="转办诉求",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portal_submission",
    )
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(
        User,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        "评价", null=True, blank=True, choices=RATINGS.choices
    )
    rating_comment = models.CharField("评价说明", max_length=500, blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "网上反映"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=5)),
                name="submission_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return self.title


class SubmissionAttachment(models.Model):
    """A photo or document sent with a submission; type and size checked before it is stored."""

    submission = models.ForeignKey(
        Submission, verbose_name="反映", on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField("文件", upload_to="portal/%Y/%m/")
    original_name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "反映附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
