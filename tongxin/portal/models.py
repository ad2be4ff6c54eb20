"""The people's realm: accounts of the persons Tongxin serves, kept apart from staff users.

A portal account is not a ``core.User``: it never passes Django's authentication, so no staff page
or staff API can take it for a user (realm.py keeps the two apart on every request). An account
belongs to exactly one registry Person and sees only that person's data."""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tongxin.core import crypto
from tongxin.core.fields import EncryptedTextField
from tongxin.core.models import Region, User
from tongxin.core.versioning import Versioned

from .models_requests import Reviewed


def phone_index(phone: str) -> str:
    return crypto.blind_index(phone, purpose="portal_phone")


class AccountStatus(models.TextChoices):
    ACTIVE = "active", "正常"
    DISABLED = "disabled", "已停用"


class PortalAccount(Versioned):
    """A person's own login: phone number and password, for one registry Person."""

    person = models.OneToOneField(
        "registry.Person",
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="portal_account",
    )
    phone = EncryptedTextField("手机号码")
    phone_index = models.CharField(max_length=64, unique=True, editable=False)
    password = models.CharField("密码", max_length=128)
    email = models.EmailField("电子邮箱", blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=AccountStatus.choices, default=AccountStatus.ACTIVE
    )
    invitation = models.ForeignKey(
        "portal.Invitation",
        verbose_name="注册邀请",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    created_at = models.DateTimeField("开通时间", default=timezone.now)
    last_login_at = models.DateTimeField("最近登录", null=True, blank=True)
    # Changing the password ends every session and token issued before it (realm.py compares).
    password_changed_at = models.DateTimeField("密码修改时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "门户账号"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"门户账号（{self.person}）"

    def save(self, *args: object, **kwargs: object) -> None:
        self.phone_index = phone_index(self.phone)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_active(self) -> bool:
        return self.status == AccountStatus.ACTIVE

    @staticmethod
    def _hash(raw: str) -> str:
        return make_password(raw)

    def set_password(self, raw: str) -> None:
        self.password = make_password(raw)
        self.password_changed_at = timezone.now()

    def check_password(self, raw: str) -> bool:
        return check_password(raw, self.password)


class InvitationTarget(models.TextChoices):
    REGION = "region", "区域"
    ORGANIZATION = "organization", "组织"
    ACTIVITY = "activity", "活动"


class InvitationState(models.TextChoices):
    VALID = "valid", "有效"
    REVOKED = "revoked", "已作废"
    EXPIRED = "expired", "已过期"
    USED_UP = "used_up", "已用完"


def new_invitation_code() -> str:
    return secrets.token_urlsafe(16)


class Invitation(models.Model):
    """A link or QR code staff hand out: whoever opens it may open an account, until it expires
    or its uses run out. It names a region, and may name an organization or an activity."""

    code = models.CharField(max_length=32, unique=True, default=new_invitation_code, editable=False)
    target = models.CharField("邀请范围", max_length=16, choices=InvitationTarget.choices)
    region = models.ForeignKey(
        Region, verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name="组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    activity = models.ForeignKey(
        "work.Activity",
        verbose_name="活动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField("说明", max_length=100, help_text="如：2026年新阶联谊会会员注册")
    expires_at = models.DateTimeField("有效期至")
    max_uses = models.PositiveIntegerField("可用次数")
    uses = models.PositiveIntegerField("已用次数", default=0)
    created_by = models.ForeignKey(
        User, verbose_name="发放人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("发放时间", default=timezone.now)
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "注册邀请"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(uses__lte=models.F("max_uses")), name="invitation_uses_within_limit"
            ),
            models.CheckConstraint(
                condition=Q(max_uses__gte=1), name="invitation_max_uses_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def state(self) -> InvitationState:
        """Whether the link still opens accounts, and if not, why: the one definition the
        registration, the staff pages and their badges read."""
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationState.EXPIRED
        if self.uses >= self.max_uses:
            return InvitationState.USED_UP
        return InvitationState.VALID

    @property
    def usable(self) -> bool:
        return self.state == InvitationState.VALID


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "未通过"


class AccountApplication(Reviewed):
    """Someone without an invitation asks for an account; staff of the region approve it (linking
    or creating the registry record) or reject it with a reason."""

    name = models.CharField("姓名", max_length=64)
    phone = EncryptedTextField("手机号码")
    phone_index = models.CharField(max_length=64, editable=False, db_index=True)
    password = models.CharField(max_length=128, editable=False)
    region = models.ForeignKey(
        Region, verbose_name="所在区县", on_delete=models.PROTECT, related_name="+"
    )
    employer = models.CharField("工作单位", max_length=128, blank=True)
    position = models.CharField("职务", max_length=128, blank=True)
    message = models.TextField("申请说明", blank=True)
    consent_version = models.CharField("同意的隐私声明版本", max_length=16)
    status = models.CharField(
        "状态", max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
    )
    submitted_at = models.DateTimeField("申请时间", default=timezone.now)
    account = models.OneToOneField(
        PortalAccount,
        verbose_name="开通的账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
    )

    class Meta:
        verbose_name = verbose_name_plural = "开通申请"
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.name} 的开通申请"

    def save(self, *args: object, **kwargs: object) -> None:
        self.phone_index = phone_index(self.phone)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Consent(models.Model):
    """A person agreed to a version of the privacy notice (个人信息保护法 第十四条): kept before any
    of their data is sent, and again whenever the notice changes."""

    account = models.ForeignKey(
        PortalAccount,
        verbose_name="账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consents",
    )
    application = models.ForeignKey(
        AccountApplication,
        verbose_name="开通申请",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consents",
    )
    version = models.CharField("隐私声明版本", max_length=16)
    accepted_at = models.DateTimeField("同意时间", default=timezone.now)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "隐私声明同意记录"
        ordering = ["-accepted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(account__isnull=False) | Q(application__isnull=False),
                name="consent_has_someone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.accepted_at:%Y-%m-%d %H:%M}"


class CodePurpose(models.TextChoices):
    REGISTER = "register", "注册"
    LOGIN = "login", "登录"
    RESET = "reset", "重设密码"


def code_digest(phone_idx: str, code: str) -> str:
    # Six digits are few: a plain hash of them is read back by trying all 10^6, so the digest is
    # keyed (HMAC with the field key) and bound to the phone; attempts are capped per code.
    return crypto.blind_index(f"{phone_idx}:{code}", purpose="portal_code")


class OneTimeCode(models.Model):
    """An SMS code: only its digest is kept; it expires, and a few wrong tries spend it."""

    phone_index = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(max_length=16, choices=CodePurpose.choices)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "短信验证码"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"


PORTAL_TOKEN_PREFIX = "txp_"  # noqa: S105 - a prefix, not a secret


class PortalToken(models.Model):
    """A bearer token of the portal API (/api/v1/portal/). Only its digest is stored. Its prefix
    differs from staff tokens (tx_), and the staff API refuses it outright."""

    account = models.ForeignKey(
        PortalAccount, verbose_name="账号", on_delete=models.CASCADE, related_name="tokens"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "门户令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{PORTAL_TOKEN_PREFIX}…（{self.account_id}）"


from .models_events import (  # noqa: E402
    DeliveryStatus,
    Notice,
    NoticeRecipient,
    Signup,
    SignupOpening,
    SignupStatus,
)
from .models_requests import (  # noqa: E402
    RATINGS,
    JoinApplication,
    JoinQuota,
    ProfileRequest,
    ProfileRequestKind,
    ReviewStatus,
    Submission,
    SubmissionAttachment,
    SubmissionKind,
    SubmissionStatus,
)

__all__ = [
    "RATINGS",
    "DeliveryStatus",
    "JoinApplication",
    "JoinQuota",
    "Notice",
    "NoticeRecipient",
    "ProfileRequest",
    "ProfileRequestKind",
    "ReviewStatus",
    "Signup",
    "SignupOpening",
    "SignupStatus",
    "Submission",
    "SubmissionAttachment",
    "SubmissionKind",
    "SubmissionStatus",
]
