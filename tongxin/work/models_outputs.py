"""Outputs (成果): research reports, proposals, information submissions, innovation cases and their
compilations, courses, policy documents, theory articles, new-media posts; with their authors,
the leaders' endorsements (批示) and adoptions (采用); and the files of outputs and activities."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tongxin.core.models import BusinessLine, Region, Unit, User
from tongxin.core.versioning import Versioned
from tongxin.registry.models import Organization, Person


class OutputKind(models.TextChoices):
    RESEARCH_REPORT = "research_report", "调研报告"
    PROPOSAL = "proposal", "建言"
    INFORMATION = "information", "信息报送"
    INNOVATION_CASE = "innovation_case", "创新案例"
    COMPILATION = "compilation", "案例汇编"
    COURSE = "course", "课程"
    POLICY = "policy", "政策文件"
    THEORY_ARTICLE = "theory_article", "理论文章"
    MEDIA_POST = "media_post", "新媒体作品"


class MediaChannel(models.TextChoices):
    """The department's media matrix (融媒体矩阵)."""

    WECHAT = "wechat", "微信公众号"
    VIDEO = "video", "视频号"
    DOUYIN = "douyin", "抖音"
    WEIBO = "weibo", "微博"
    TOUTIAO = "toutiao", "今日头条"
    XUEXI = "xuexi", "学习强国"
    WEBSITE = "website", "门户网站"
    OTHER = "other", "其他"


class Output(Versioned):
    kind = models.CharField("类别", max_length=24, choices=OutputKind.choices, db_index=True)
    title = models.CharField("标题", max_length=200)
    date = models.DateField("形成/发布日期", db_index=True)
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
    summary = models.TextField("内容摘要", blank=True)
    document_number = models.CharField("文号", max_length=64, blank=True)
    compilation = models.ForeignKey(
        "self",
        verbose_name="收入汇编",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="included",
        limit_choices_to={"kind": OutputKind.COMPILATION},
    )
    channel = models.CharField("发布平台", max_length=16, choices=MediaChannel.choices, blank=True)
    reads = models.PositiveIntegerField("阅读量", null=True, blank=True)
    url = models.URLField("链接", blank=True)
    created_by = models.ForeignKey(
        User, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "成果"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["region", "kind", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=OutputKind.MEDIA_POST) | (Q(channel="") & Q(reads__isnull=True)),
                name="output_channel_only_for_media",
                violation_error_message="发布平台和阅读量只用于新媒体作品。",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class OutputAuthor(models.Model):
    """An author of an output: a person, an organization (e.g. a party committee) or a unit."""

    output = models.ForeignKey(
        Output, verbose_name="成果", on_delete=models.PROTECT, related_name="authors"
    )
    person = models.ForeignKey(
        Person,
        verbose_name="人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authored",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authored",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authored",
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "成果作者"
        ordering = ["output", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, organization__isnull=True, unit__isnull=True)
                | Q(person__isnull=True, organization__isnull=False, unit__isnull=True)
                | Q(person__isnull=True, organization__isnull=True, unit__isnull=False),
                name="output_author_one_kind",
                violation_error_message="每位作者须是一位人员、一个组织或一个单位，三者选一。",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person or self.organization or self.unit)


class EndorsementLevel(models.TextChoices):
    CENTRAL = "central", "中央"
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "区县"


class Endorsement(models.Model):
    """批示: a leader's written instruction on an output."""

    output = models.ForeignKey(
        Output, verbose_name="成果", on_delete=models.PROTECT, related_name="endorsements"
    )
    level = models.CharField("层级", max_length=16, choices=EndorsementLevel.choices)
    leader_title = models.CharField("批示领导", max_length=100, help_text="如：省委副书记")
    date = models.DateField("批示日期")
    text = models.TextField("批示内容", blank=True)
    is_affirmative = models.BooleanField("肯定性批示", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "领导批示"
        ordering = ["output", "-date", "id"]

    def __str__(self) -> str:
        return f"{self.get_level_display()}·{self.leader_title}（{self.date}）"


class Adopter(models.TextChoices):
    PARTY_CENTRAL = "party_central", "党派中央"
    NPC = "npc", "全国人大"
    CPPCC = "cppcc", "全国政协"
    CENTRAL_UFWD = "central_ufwd", "中央统战部"
    PROVINCE_PARTY = "province_party", "省委"
    PROVINCE_GOVERNMENT = "province_government", "省政府"
    PROVINCE_CPPCC = "province_cppcc", "省政协"
    PROVINCE_UFWD = "province_ufwd", "省委统战部"
    CITY_PARTY = "city_party", "市委"
    CITY_GOVERNMENT = "city_government", "市政府"
    CITY_CPPCC = "city_cppcc", "市政协"
    OTHER = "other", "其他"


class Adoption(models.Model):
    """采用: an output taken up by a body (党派中央, 全国人大, 全国政协, 省委 …)."""

    output = models.ForeignKey(
        Output, verbose_name="成果", on_delete=models.PROTECT, related_name="adoptions"
    )
    adopter = models.CharField("采用单位", max_length=24, choices=Adopter.choices)
    adopter_detail = models.CharField(
        "采用单位全称/刊物", max_length=100, blank=True, help_text="如：民建中央《信息专报》"
    )
    date = models.DateField("采用日期")
    notes = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "成果采用"
        ordering = ["output", "-date", "id"]

    def __str__(self) -> str:
        return f"{self.get_adopter_display()}（{self.date}）"


class Attachment(models.Model):
    """A file of an activity, an output or a task's progress report, kept through Django's
    storage API. Type and size are checked by the service before anything is stored
    (attachments.py)."""

    activity = models.ForeignKey(
        "work.Activity",
        verbose_name="活动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    output = models.ForeignKey(
        Output,
        verbose_name="成果",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    task_event = models.ForeignKey(
        "governance.TaskEvent",
        verbose_name="督办进展",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField("文件", upload_to="attachments/%Y/%m/")
    original_name = models.CharField("文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）", validators=[MinValueValidator(1)])
    content_type = models.CharField("类型", max_length=100)
    uploaded_by = models.ForeignKey(
        User, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "附件"
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(activity__isnull=False, output__isnull=True, task_event__isnull=True)
                | Q(activity__isnull=True, output__isnull=False, task_event__isnull=True)
                | Q(activity__isnull=True, output__isnull=True, task_event__isnull=False),
                name="attachment_has_one_owner",
                violation_error_message="附件须属于一个活动、一项成果或一次督办进展报告。",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name
