"""The department's frame: regions, units, business lines, users, API tokens and the audit log."""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from .versioning import Versioned


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    CITY_STAFF = "city_staff", "市级业务人员"
    DISTRICT_STAFF = "district_staff", "区县业务人员"
    LIAISON = "liaison", "成员单位联络员"
    LEADER = "leader", "领导"
    AUDITOR = "auditor", "审计员"


class BusinessLine(models.Model):
    """条线 (tiaoxian): a business line of the department, e.g. 新阶 for new-stratum work."""

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("简称", max_length=16, unique=True)
    full_name = models.CharField("全称", max_length=64)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "业务条线"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class RegionKind(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    DISTRICT = "district", "区"
    COUNTY = "county", "县"
    COUNTY_CITY = "county_city", "县级市"
    FUNCTIONAL = "functional", "功能区"


region_code_validator = RegexValidator(
    r"^\d{6}(\d{3}|\d{6})?$",
    "区划代码应为6位 GB/T 2260 代码；功能区可用9位或12位代码（如 510600901）。",
)


class Region(models.Model):
    """A node of the administrative tree. ``path`` ("/510000/510600/510603/") makes a subtree one
    indexed prefix query on both databases."""

    code = models.CharField(
        "区划代码", max_length=12, unique=True, validators=[region_code_validator]
    )
    name = models.CharField("名称", max_length=32)
    kind = models.CharField("类型", max_length=16, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("路径", max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "行政区划"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        old_path = self.path
        parent_path = self.parent.path if self.parent else "/"
        self.path = f"{parent_path}{self.code}/"
        self.depth = self.path.count("/") - 2
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            self._move_descendants(old_path)

    def clean(self) -> None:
        if (
            self.pk
            and self.path
            and self.parent is not None
            and self.parent.path.startswith(self.path)
        ):
            raise ValidationError({"parent": "上级不能是本区划或其下级。"})

    def _move_descendants(self, old_path: str) -> None:
        """A region moved or recoded: its subtree follows, so scoping stays one prefix query."""
        descendants = Region.objects.filter(path__startswith=old_path).exclude(pk=self.pk)
        for region in descendants.only("pk", "path"):
            path = self.path + region.path[len(old_path) :]
            Region.objects.filter(pk=region.pk).update(path=path, depth=path.count("/") - 2)

    def ancestor_paths(self) -> list[str]:
        """The paths of this region and every region above it, nearest last."""
        codes = [c for c in self.path.split("/") if c]
        return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]

    def contains(self, other: Region) -> bool:
        return other.path.startswith(self.path)


class UnitKind(models.TextChoices):
    PARTY = "party", "党委部门"
    GOVERNMENT = "government", "政府部门"
    PEOPLES_CONGRESS = "congress", "人大、政协机关"
    ORGANIZATION = "organization", "人民团体"
    INSTITUTION = "institution", "事业单位"
    OTHER = "other", "其他"


class Unit(Versioned):
    """A government or party unit: the department itself, a member unit, a district department."""

    name = models.CharField("单位名称", max_length=64, unique=True)
    short_name = models.CharField("简称", max_length=32, blank=True)
    kind = models.CharField("单位类型", max_length=16, choices=UnitKind.choices)
    region = models.ForeignKey(
        Region, verbose_name="所属区划", on_delete=models.PROTECT, related_name="units"
    )
    is_active = models.BooleanField("在用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "单位"
        ordering = ["region__path", "order", "name"]

    def __str__(self) -> str:
        return self.name


class TongxinUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(username__iexact=username)


class User(Versioned, AbstractUser):
    """A staff account. Scope comes from role, region, lines and unit; access.py reads them."""

    name = models.CharField("姓名", max_length=32)
    title = models.CharField("职务", max_length=64, blank=True)
    role = models.CharField("角色", max_length=16, choices=Role.choices)
    region = models.ForeignKey(
        Region, verbose_name="所属区划", on_delete=models.PROTECT, related_name="users"
    )
    lines = models.ManyToManyField(
        BusinessLine, verbose_name="业务条线", blank=True, related_name="users"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="所在单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    can_reveal = models.BooleanField(
        "可查看完整身份证号和手机号",
        default=False,
        help_text="列表和导出始终脱敏；有此权限者可在详情页逐条查看，每次查看记入审计日志。",
    )

    objects: ClassVar[TongxinUserManager] = TongxinUserManager()
    REQUIRED_FIELDS = ["name", "role"]

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.LIAISON) | models.Q(unit__isnull=False),
                name="user_liaison_has_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.username}）" if self.name else self.username

    @property
    def is_read_only(self) -> bool:
        return self.role in (Role.LEADER, Role.AUDITOR)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.role == Role.LIAISON and not self.unit_id:
            errors["unit"] = "成员单位联络员必须指定所在单位。"
        if (
            self.role == Role.DISTRICT_STAFF
            and self.region_id
            and self.region.kind in (RegionKind.PROVINCE, RegionKind.CITY)
        ):
            errors["region"] = "区县业务人员的区划应为区、县（市）或功能区。"
        if (
            self.role in (Role.CITY_STAFF, Role.LEADER)
            and self.region_id
            and self.region.kind != RegionKind.CITY
        ):
            errors["region"] = "市级业务人员和领导的区划应为市。"
        if (
            self.unit is not None
            and self.region_id
            and not self.unit.region.path.startswith(self.region.path)
        ):
            errors["unit"] = "所在单位必须位于用户所属区划内。"
        if errors:
            raise ValidationError(errors)


def token_digest(raw: str) -> str:
    # Tokens are 256-bit random, so a plain SHA-256 is enough; a slow hash would only cost time.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its digest is stored; the token is shown once."""

    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("用途", max_length=64)
    prefix = models.CharField("前缀", max_length=12)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "API 令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}…（{self.name}）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AuditAction(models.TextChoices):
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOCKOUT = "lockout", "账号锁定"
    UNLOCK = "unlock", "解除锁定"
    LOGOUT = "logout", "退出"
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    PASSWORD_CHANGE = "password_change", "修改密码"
    TOKEN_CREATE = "token_create", "创建令牌"
    TOKEN_REVOKE = "token_revoke", "吊销令牌"
    REVEAL = "reveal", "查看敏感信息"
    EXPORT = "export", "导出"


class AuditEvent(models.Model):
    """One row per thing worth answering for: who saw, changed or exported what, and when.

    Written by tongxin.core.audit inside the transaction of the change it records."""

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_username = models.CharField("操作账号", max_length=150, blank=True, db_index=True)
    action = models.CharField("操作", max_length=24, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True, db_index=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    detail = models.CharField("说明", max_length=500, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.get_action_display()}"


class CalendarDay(models.Model):
    """A day whose status an admin has set: a public holiday, or a make-up working day (调休) on a
    weekend. The State Council announces a year's schedule late in the year before; until the
    ``chinesecalendar`` package knows that year, the admin enters it here (see workdays.py)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("上班", help_text="勾选：调休上班日；不勾选：放假")
    name = models.CharField("名称", max_length=32, help_text="如：春节、国庆节调休")

    class Meta:
        verbose_name = verbose_name_plural = "节假日安排"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}（{'上班' if self.is_workday else '放假'}）"


class CalendarYear(models.Model):
    """A year whose whole schedule an admin has entered: its other days follow the week."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    entered_by = models.ForeignKey(
        User, verbose_name="录入人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "已录入节假日安排的年份"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年"
