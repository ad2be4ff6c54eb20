"""Activities people sign up for and check in at, and the notices staff send them."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tongxin.core.models import Region, User
from tongxin.core.versioning import Versioned


def new_checkin_code() -> str:
    return secrets.token_urlsafe(12)


class SignupOpening(Versioned):
    """Staff open an activity for sign-up: how many may come, until when, and who may (people of
    the region's subtree, optionally only members of one organization)."""

    activity = models.OneToOneField(
        "work.Activity",
        verbose_name="活动",
        on_delete=models.PROTECT,
        related_name="signup_opening",
    )
    capacity = models.PositiveIntegerField("名额")
    deadline = models.DateTimeField("报名截止")
    region = models.ForeignKey(
        Region, verbose_name="可报名区域", on_delete=models.PROTECT, related_name="+"
    )
    members_of = models.ForeignKey(
        "registry.Organization",
        verbose_name="仅限该组织成员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField("报名须知", blank=True)
    checkin_code = models.CharField(
        max_length=24, unique=True, default=new_checkin_code, editable=False
    )
    is_open = models.BooleanField("开放报名", default=True)
    opened_by = models.ForeignKey(
        User, verbose_name="开放人", on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField("开放时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "活动报名"
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="signup_capacity_positive")
        ]

    def __str__(self) -> str:
        return f"{self.activity} 报名"


class SignupStatus(models.TextChoices):
    SIGNED_UP = "signed_up", "已报名"
    CANCELLED = "cancelled", "已取消"


class Signup(models.Model):
    """One person's sign-up; a check-in (scan or staff) makes it a participation with role 参加."""

    opening = models.ForeignKey(
        SignupOpening, verbose_name="活动报名", on_delete=models.PROTECT, related_name="signups"
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="signups"
    )
    status = models.CharField(
        "状态", max_length=16, choices=SignupStatus.choices, default=SignupStatus.SIGNED_UP
    )
    signed_up_at = models.DateTimeField("报名时间", default=timezone.now)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    checked_in_by = models.ForeignKey(
        User,
        verbose_name="代签到人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="工作人员标记到场时填写；本人扫码签到时为空。",
    )
    participation = models.OneToOneField(
        "work.Participation",
        verbose_name="参加记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signup",
    )

    class Meta:
        verbose_name = verbose_name_plural = "报名记录"
        ordering = ["signed_up_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["opening", "person"], name="signup_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} 报名 {self.opening.activity}"


class Notice(models.Model):
    """A notice to the people a registry filter picks (``filters`` is the filter's query string,
    kept so that anyone can see whom it went to and why)."""

    title = models.CharField("标题", max_length=100)
    body = models.TextField("正文")
    region = models.ForeignKey(
        Region, verbose_name="发布区划", on_delete=models.PROTECT, related_name="+"
    )
    filters = models.CharField("发送对象条件", max_length=1000, blank=True)
    send_sms = models.BooleanField("同时发送短信", default=False)
    send_email = models.BooleanField("同时发送邮件", default=False)
    created_by = models.ForeignKey(
        User, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("发布时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class DeliveryStatus(models.TextChoices):
    NONE = "none", "不发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"
    NO_ADDRESS = "no_address", "无联系方式"


class NoticeRecipient(models.Model):
    notice = models.ForeignKey(
        Notice, verbose_name="通知", on_delete=models.CASCADE, related_name="recipients"
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name="接收人",
        on_delete=models.PROTECT,
        related_name="notices_received",
    )
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    sms_status = models.CharField(
        "短信", max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.NONE
    )
    email_status = models.CharField(
        "邮件", max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.NONE
    )

    class Meta:
        verbose_name = verbose_name_plural = "通知接收人"
        ordering = ["notice", "id"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "person"], name="notice_recipient_once")
        ]

    def __str__(self) -> str:
        return f"{self.notice} → {self.person}"
