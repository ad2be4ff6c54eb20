"""The roster: people (统战对象), organizations, memberships, enterprise figures, designations.

Code tables (categories, groups, ethnicities, …) are rows of ``CodeItem``, editable by admins.
ID numbers and phones are encrypted at rest (core.fields) with a blind index beside them.
Nothing a report counts is deleted: records are archived (``archived_at``).
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tongxin.core import crypto, ids, text
from tongxin.core.fields import EncryptedTextField
from tongxin.core.models import BusinessLine, Region, User
from tongxin.core.versioning import Versioned


class CodeKind(models.TextChoices):
    CATEGORY = "category", "统战对象类别"
    STRATUM_GROUP = "stratum_group", "新阶类别"
    STRATUM_SUBTYPE = "stratum_subtype", "新阶细类"
    ETHNICITY = "ethnicity", "民族"
    RELIGION = "religion", "宗教信仰"
    POLITICAL_STATUS = "political_status", "政治面貌"
    EDUCATION = "education", "学历"
    REP_LEVEL = "rep_level", "代表人士级别"
    ARRANGEMENT_KIND = "arrangement_kind", "政治安排类别"
    ORG_TYPE = "org_type", "组织类型"
    ORG_SUBTYPE = "org_subtype", "组织细类"
    DESIGNATION_KIND = "designation_kind", "命名称号"
    ACTIVITY_TYPE = "activity_type", "活动类型"


class CodeItem(Versioned):
    """One value of a code table. ``aliases`` lets imports accept 汉 for 汉族."""

    kind = models.CharField("代码表", max_length=24, choices=CodeKind.choices, db_index=True)
    code = models.CharField("代码", max_length=16, blank=True)
    name = models.CharField("名称", max_length=64)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    line = models.ForeignKey(
        BusinessLine,
        verbose_name="所属条线",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    aliases = models.CharField("别名", max_length=200, blank=True, help_text="以、或逗号分隔")
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "代码表项"
        ordering = ["kind", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="codeitem_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def alias_list(self) -> list[str]:
        return text.split_multi(self.aliases)


class Tag(models.Model):
    name = models.CharField("标签", max_length=32, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "标签"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Archivable(models.Model):
    archived_at = models.DateTimeField("归档时间", null=True, blank=True, db_index=True)
    archive_reason = models.CharField("归档原因", max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class SearchKeys(models.Model):
    """Stored search keys: simplified name, full pinyin and initials. Kept by ``save``, so search
    is an indexed prefix query with the same results on SQLite and PostgreSQL."""

    name_simplified = models.CharField(max_length=128, editable=False, db_index=True, default="")
    name_pinyin = models.CharField(max_length=255, editable=False, db_index=True, default="")
    name_initials = models.CharField(max_length=64, editable=False, db_index=True, default="")

    class Meta:
        abstract = True


def _code(kind: str) -> dict[str, Any]:
    return {"limit_choices_to": {"kind": kind}, "on_delete": models.PROTECT, "related_name": "+"}


class Person(Versioned, Archivable, SearchKeys):
    """A 统战对象: someone the department keeps in touch with."""

    name = models.CharField("姓名", max_length=64)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    id_number = EncryptedTextField("公民身份号码", blank=True)
    id_number_index = models.CharField(max_length=64, editable=False, db_index=True, default="")
    phone = EncryptedTextField("手机号码", blank=True)
    phone_index = models.CharField(max_length=64, editable=False, db_index=True, default="")
    ethnicity = models.ForeignKey(
        CodeItem, verbose_name="民族", null=True, blank=True, **_code(CodeKind.ETHNICITY)
    )
    religion = models.ForeignKey(
        CodeItem, verbose_name="宗教信仰", null=True, blank=True, **_code(CodeKind.RELIGION)
    )
    political_status = models.ForeignKey(
        CodeItem, verbose_name="政治面貌", null=True, blank=True, **_code(CodeKind.POLITICAL_STATUS)
    )
    education = models.ForeignKey(
        CodeItem, verbose_name="学历", null=True, blank=True, **_code(CodeKind.EDUCATION)
    )
    title = models.CharField("职称", max_length=64, blank=True)
    employer = models.CharField("工作单位", max_length=128, blank=True)
    position = models.CharField("职务", max_length=128, blank=True)
    region = models.ForeignKey(
        Region, verbose_name="所属区域", on_delete=models.PROTECT, related_name="persons"
    )
    categories = models.ManyToManyField(
        CodeItem,
        verbose_name="人员类别",
        related_name="persons",
        limit_choices_to={"kind": CodeKind.CATEGORY},
    )
    stratum_group = models.ForeignKey(
        CodeItem, verbose_name="新阶类别", null=True, blank=True, **_code(CodeKind.STRATUM_GROUP)
    )
    stratum_subtype = models.ForeignKey(
        CodeItem, verbose_name="新阶细类", null=True, blank=True, **_code(CodeKind.STRATUM_SUBTYPE)
    )
    is_representative = models.BooleanField("代表人士", default=False)
    representative_level = models.ForeignKey(
        CodeItem, verbose_name="代表人士级别", null=True, blank=True, **_code(CodeKind.REP_LEVEL)
    )
    political_performance = models.TextField("主要政治表现", blank=True)
    tags = models.ManyToManyField(Tag, verbose_name="标签", blank=True, related_name="persons")
    notes = models.TextField("备注", blank=True)
    employer_simplified = models.CharField(max_length=128, editable=False, default="")
    merged_into = models.ForeignKey(
        "self",
        verbose_name="已合并到",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    created_by = models.ForeignKey(
        User,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "统战对象"
        ordering = ["name_pinyin", "id"]
        constraints = [
            # One living record per ID number; archived duplicates and merged records step aside.
            models.UniqueConstraint(
                fields=["id_number_index"],
                condition=~Q(id_number_index="") & Q(archived_at__isnull=True),
                name="person_unique_live_id_number",
                violation_error_message="该身份证号已有在册记录，请直接编辑那条记录或先合并。",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "name_pinyin"]),
            # Imports look people up by name and birth date, a batch at a time: common names
            # match thousands of people, whose birth dates the index answers without the rows.
            models.Index(fields=["name_simplified", "birth_date"], name="person_name_birth_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *self.KEY_FIELDS}
        super().save(*args, **kwargs)

    KEY_FIELDS = (
        "name_simplified",
        "name_pinyin",
        "name_initials",
        "employer_simplified",
        "id_number_index",
        "phone_index",
    )

    def refresh_keys(self) -> None:
        keys = text.name_search_keys(self.name)
        # Lowercase: Django's contains is case-insensitive on SQLite, case-sensitive on PostgreSQL;
        # lowercase keys and queries give both databases the same answers.
        self.name_simplified = keys["name_simplified"].lower()
        self.name_pinyin = keys["name_pinyin"]
        self.name_initials = keys["name_initials"]
        self.employer_simplified = text.t2s(text.clean(self.employer)).lower()
        self.id_number_index = crypto.blind_index(self.id_number, purpose="id_number")
        self.phone_index = crypto.blind_index(self.phone, purpose="phone")

    @property
    def id_number_masked(self) -> str:
        return ids.mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return ids.mask_phone(self.phone)


class OrgRegistration(models.TextChoices):
    REGISTERED = "registered", "已登记"
    IN_PROGRESS = "in_progress", "办理中"
    UNREGISTERED = "unregistered", "未登记"
    NOT_APPLICABLE = "", "不适用"


class Organization(Versioned, Archivable, SearchKeys):
    """联谊组织, 服务团, 民主党派 committees, 商会, 宗教活动场所, enterprises, schools,
    think tanks…"""

    name = models.CharField("名称", max_length=128)
    short_name = models.CharField("简称", max_length=64, blank=True)
    org_type = models.ForeignKey(CodeItem, verbose_name="组织类型", **_code(CodeKind.ORG_TYPE))
    org_subtype = models.ForeignKey(
        CodeItem, verbose_name="细类", null=True, blank=True, **_code(CodeKind.ORG_SUBTYPE)
    )
    region = models.ForeignKey(
        Region, verbose_name="所属区域", on_delete=models.PROTECT, related_name="organizations"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    founded_on = models.DateField("成立日期", null=True, blank=True)
    legal_registration = models.CharField(
        "法人登记", max_length=16, blank=True, choices=OrgRegistration.choices
    )
    is_non_public = models.BooleanField("非公有制", default=False)
    is_taiwan_funded = models.BooleanField("台资", default=False)
    is_overseas_funded = models.BooleanField("侨资", default=False)
    notes = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "组织"
        ordering = ["name_pinyin", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "region"],
                condition=Q(archived_at__isnull=True),
                name="organization_unique_live_name",
                violation_error_message="本区域已有同名组织，请换一个名称或编辑已有组织。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "name_simplified",
                "name_pinyin",
                "name_initials",
            }
        super().save(*args, **kwargs)

    def refresh_keys(self) -> None:
        """The stored search keys; bulk writers (imports, the benchmark generator) call it too."""
        self.name_simplified = text.t2s(text.clean(self.name)).lower()
        self.name_pinyin, self.name_initials = text.pinyin_text(self.name)


class Membership(Versioned):
    """A person's place in an organization: role and term. Ended, never deleted."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="组织", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("职务", max_length=32, default="会员")
    term_start = models.DateField("任期开始", null=True, blank=True)
    term_end = models.DateField("任期结束", null=True, blank=True)
    notes = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "组织成员"
        ordering = ["organization", "-term_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gte=models.F("term_start")),
                name="membership_term_ordered",
                violation_error_message="任期结束日期不能早于开始日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.organization} · {self.role}"

    @property
    def is_current(self) -> bool:
        return self.term_end is None or self.term_end >= timezone.localdate()


money = {
    "max_digits": 16,
    "decimal_places": 2,
    "null": True,
    "blank": True,
    "validators": [MinValueValidator(0)],
}


class EnterpriseFigure(Versioned):
    """An enterprise's figures for one year. Money in 万元 (ten thousand yuan)."""

    organization = models.ForeignKey(
        Organization, verbose_name="企业", on_delete=models.PROTECT, related_name="figures"
    )
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(1980), MaxValueValidator(2100)]
    )
    revenue = models.DecimalField("营业收入（万元）", **money)  # type: ignore[arg-type]
    tax = models.DecimalField("纳税额（万元）", **money)  # type: ignore[arg-type]
    employees = models.PositiveIntegerField("从业人数（人）", null=True, blank=True)
    rd_spend = models.DecimalField("研发投入（万元）", **money)  # type: ignore[arg-type]

    class Meta:
        verbose_name = verbose_name_plural = "企业年度数据"
        ordering = ["organization", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="figure_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}年"


class Designation(Versioned):
    """A title given to an organization: 同心德阳统战工作基地 (第一批, 2022-…), 示范场所, …"""

    organization = models.ForeignKey(
        Organization, verbose_name="单位", on_delete=models.PROTECT, related_name="designations"
    )
    kind = models.ForeignKey(CodeItem, verbose_name="称号", **_code(CodeKind.DESIGNATION_KIND))
    batch = models.CharField("批次", max_length=32, blank=True)
    designated_on = models.DateField("命名日期")
    issuer = models.CharField("命名单位", max_length=64, blank=True)
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    notes = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "命名称号"
        ordering = ["-designated_on", "id"]

    def __str__(self) -> str:
        return f"{self.kind}（{self.batch}）" if self.batch else str(self.kind)


class StandardCheck(Versioned):
    """The standard-building checklist of an organization for a year (标准化建设)."""

    organization = models.ForeignKey(
        Organization, verbose_name="组织", on_delete=models.PROTECT, related_name="standard_checks"
    )
    year = models.PositiveSmallIntegerField("年度")
    has_charter = models.BooleanField("有章程", default=False)
    has_council = models.BooleanField("有理事会", default=False)
    has_venue = models.BooleanField("有阵地", default=False)
    has_rules = models.BooleanField("有制度", default=False)
    has_activities = models.BooleanField("有活动", default=False)
    notes = models.CharField("说明", max_length=200, blank=True)

    ITEMS = ("has_charter", "has_council", "has_venue", "has_rules", "has_activities")

    class Meta:
        verbose_name = verbose_name_plural = "标准化建设"
        ordering = ["organization", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="check_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}年标准化建设"

    @property
    def items_met(self) -> int:
        return sum(bool(getattr(self, item)) for item in self.ITEMS)


class Level(models.TextChoices):
    NATIONAL = "national", "全国"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"


class PoliticalArrangement(models.Model):
    """人大代表, 政协委员, 参事, 特约人员 at a level, with the 届次."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="arrangements"
    )
    kind = models.ForeignKey(CodeItem, verbose_name="类别", **_code(CodeKind.ARRANGEMENT_KIND))
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    term = models.CharField("届次", max_length=16, help_text="如：第十届")
    role = models.CharField("职务", max_length=32, blank=True, help_text="如：常委、委员")
    start_year = models.PositiveSmallIntegerField("起始年", null=True, blank=True)
    end_year = models.PositiveSmallIntegerField("截止年", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "政治安排"
        ordering = ["person", "-start_year", "id"]

    def __str__(self) -> str:
        return f"{self.get_level_display()}{self.kind}（{self.term}）"


class Honour(models.Model):
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="honours"
    )
    title = models.CharField("荣誉", max_length=128)
    level = models.CharField("层级", max_length=16, choices=Level.choices, blank=True)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    issuer = models.CharField("授予单位", max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "荣誉"
        ordering = ["person", "-year", "id"]

    def __str__(self) -> str:
        return self.title


class ReviewResult(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"


class AnnualReview(models.Model):
    """年度考核 of a person."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="reviews"
    )
    year = models.PositiveSmallIntegerField("年度")
    result = models.CharField("结果", max_length=16, choices=ReviewResult.choices)
    notes = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度考核"
        ordering = ["person", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="review_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.get_result_display()}"


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", "已预览"
    COMMITTED = "committed", "已导入"
    FAILED = "failed", "无法导入"


class ImportJob(models.Model):
    """An uploaded roster: previewed first (every error, warning and duplicate by Excel row),
    then committed in one transaction, or not at all."""

    kind = models.CharField("类型", max_length=16, default="persons")
    file = models.FileField("文件", upload_to="imports/%Y/%m/")
    original_name = models.CharField("文件名", max_length=200)
    created_by = models.ForeignKey(
        User, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", default=timezone.now)
    region = models.ForeignKey(
        Region,
        verbose_name="默认区域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        "状态", max_length=16, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    column_map = models.JSONField("列对应", default=dict, blank=True)
    # What a kind of import needs besides the file, checked by the kind (clean_options): the
    # training class a list of trainees is for.
    options = models.JSONField("导入选项", default=dict, blank=True)
    rows_total = models.PositiveIntegerField("总行数", default=0)
    rows_ok = models.PositiveIntegerField("无误行数", default=0)
    rows_error = models.PositiveIntegerField("有误行数", default=0)
    report = models.JSONField("预览报告", default=dict, blank=True)
    on_duplicate = models.CharField("重复时", max_length=8, blank=True)
    result = models.JSONField("导入结果", default=dict, blank=True)
    committed_at = models.DateTimeField("导入时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "导入任务"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name}（{self.get_status_display()}）"
