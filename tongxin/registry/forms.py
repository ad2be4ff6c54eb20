"""Forms of the registry pages. They validate input and hand plain values to the services; the
services check scope and lines again and do the writing.

``PersonListForm`` reads a person list's query string (search, filters, sort, page size and the
chosen columns). The exports read the same query string through ``person_list_params``, so a list
and its export always hold the same rows and columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet

from tongxin.core import access, text
from tongxin.core.models import BusinessLine, Region, Role, User
from tongxin.core.widgets import QuickSelect

from . import selectors, services
from .codes import PARENT_KIND
from .models import (
    AnnualReview,
    CodeItem,
    CodeKind,
    Designation,
    EnterpriseFigure,
    Gender,
    Honour,
    Membership,
    Organization,
    Person,
    PoliticalArrangement,
    StandardCheck,
    Tag,
)

NAME_REQUIRED = "请填写姓名。"
REGION_REQUIRED = "请选择所属区域。"
CATEGORY_REQUIRED = "请至少选择一个人员类别。"
SUBTYPE_MISMATCH = "所选新阶细类不属于所选新阶类别，请重新选择。"
TERM_ORDER = "任期结束日期不能早于开始日期，请核对。"
YEAR_ORDER = "截止年不能早于起始年，请核对。"
REVIEW_EXISTS = "该人员{year}年已有考核结果。如需更改，请先删除原记录再添加。"
ORG_NAME_REQUIRED = "请填写组织名称。"
ORG_TYPE_REQUIRED = "请选择组织类型。"
ORG_NAME_TAKEN = "{region}已有名为“{name}”的组织。请核对名称，或直接编辑那条记录。"
KEEP_UNCHANGED = "留空表示不修改。"
CODE_NAME_TAKEN = "该代码表中已有“{name}”，请换一个名称，或编辑原有的那一项。"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def scoped_regions(user: User) -> QuerySet[Region]:
    return access.scope(user, Region.objects.all()).order_by("path")


def code_choices(kind: str, current: CodeItem | None = None) -> QuerySet[CodeItem]:
    """The active items of a code table, plus the record's current one if it has been retired."""
    keep = Q(pk=current.pk) if current is not None else Q(pk__in=[])
    return CodeItem.objects.filter(Q(kind=kind) & (Q(is_active=True) | keep)).order_by(
        "order", "id"
    )


def _plain_blanks(form: forms.BaseForm) -> None:
    """An empty choice reads "—", not Django's "---------"."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == "---------":
                field.empty_label = "—"
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)  # type: ignore[arg-type]
            if choices and choices[0] == ("", "---------"):
                field.choices = [("", "—"), *choices[1:]]


class TidyModelForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain_blanks(self)


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return "　" * max(obj.depth - 1, 0) + obj.name


class _NameChoiceIterator(forms.models.ModelChoiceIterator):
    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


class NameChoiceField(forms.ModelChoiceField):
    """A choice of records shown by their name (what their ``str`` is), the options read as
    (id, name) pairs: a filter of every organization in a city has over a thousand, and an
    instance each was most of the page's time. Choosing still goes through the queryset."""

    iterator = _NameChoiceIterator
    widget = QuickSelect


# --- the person list: filters and chosen columns --------------------------------------------------


def _names(items: Any) -> str:
    return "、".join(str(i) for i in items.all())


def _date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable[[Person], str]
    beliefs: bool = False  # religion and ethnicity: only for access.can_see_beliefs


PERSON_COLUMNS: tuple[Column, ...] = (
    Column("gender", "性别", lambda p: p.get_gender_display()),
    Column("birth_date", "出生日期", lambda p: _date(p.birth_date)),
    Column("region", "所属区域", lambda p: p.region.name),
    Column("employer", "工作单位", lambda p: p.employer),
    Column("position", "职务", lambda p: p.position),
    Column("categories", "人员类别", lambda p: _names(p.categories)),
    Column("phone", "手机号码", lambda p: p.phone_masked),
    Column("id_number", "公民身份号码", lambda p: p.id_number_masked),
    Column("ethnicity", "民族", lambda p: str(p.ethnicity or ""), beliefs=True),
    Column("religion", "宗教信仰", lambda p: str(p.religion or ""), beliefs=True),
    Column("political_status", "政治面貌", lambda p: str(p.political_status or "")),
    Column("education", "学历", lambda p: str(p.education or "")),
    Column("title", "职称", lambda p: p.title),
    Column("stratum_group", "新阶类别", lambda p: str(p.stratum_group or "")),
    Column("stratum_subtype", "新阶细类", lambda p: str(p.stratum_subtype or "")),
    Column(
        "representative",
        "代表人士",
        lambda p: str(p.representative_level or "是") if p.is_representative else "",
    ),
    Column("tags", "标签", lambda p: _names(p.tags)),
    Column("updated_at", "更新时间", lambda p: _date(p.updated_at)),
)
DEFAULT_COLUMNS = ("gender", "birth_date", "region", "employer", "position", "categories", "phone")
PAGE_SIZES = (20, 50, 100)
SORT_CHOICES = [
    ("pinyin", "按姓名拼音"),
    ("region", "按所属区域"),
    ("birth", "按出生日期（早→晚）"),
    ("-birth", "按出生日期（晚→早）"),
    ("updated", "最近更新在前"),
]


def available_columns(user: User) -> list[Column]:
    beliefs = access.can_see_beliefs(user)
    return [c for c in PERSON_COLUMNS if beliefs or not c.beliefs]


def _style(form: forms.Form) -> None:
    """Bootstrap classes for hand-laid filter forms."""
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
            widget.attrs.setdefault("aria-label", bound.label)
        elif isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")


class PersonListForm(forms.Form):
    q = forms.CharField(required=False, label="查询")
    region = RegionChoiceField(
        Region.objects.none(),
        required=False,
        to_field_name="code",
        empty_label="全部区域",
        label="所属区域",
    )
    category = forms.ModelChoiceField(
        CodeItem.objects.none(), required=False, empty_label="全部类别", label="人员类别"
    )
    stratum_group = forms.ModelChoiceField(
        CodeItem.objects.none(), required=False, empty_label="全部新阶类别", label="新阶类别"
    )
    organization = NameChoiceField(
        Organization.objects.none(), required=False, empty_label="全部组织", label="所在组织"
    )
    rep_level = forms.ModelChoiceField(
        CodeItem.objects.none(),
        required=False,
        empty_label="全部代表人士级别",
        label="代表人士级别",
    )
    tag = forms.ModelChoiceField(
        Tag.objects.none(),
        required=False,
        to_field_name="name",
        empty_label="全部标签",
        label="标签",
        widget=QuickSelect,
    )
    archived = forms.BooleanField(required=False, label="显示已归档")
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False, label="排序")
    size = forms.TypedChoiceField(
        choices=[(n, f"每页{n}条") for n in PAGE_SIZES], coerce=int, required=False, label="每页"
    )
    cols = forms.MultipleChoiceField(choices=[], required=False, label="显示列")

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        fields = self.fields
        fields["region"].queryset = scoped_regions(user)  # type: ignore[attr-defined]
        fields["category"].queryset = selectors.codes(CodeKind.CATEGORY)  # type: ignore[attr-defined]
        fields["stratum_group"].queryset = selectors.codes(CodeKind.STRATUM_GROUP)  # type: ignore[attr-defined]
        fields["rep_level"].queryset = selectors.codes(CodeKind.REP_LEVEL)  # type: ignore[attr-defined]
        fields["organization"].queryset = (  # type: ignore[attr-defined]
            access.scope(user, Organization.objects.filter(archived_at__isnull=True))
            .only("id", "name")
            .order_by("name_pinyin", "id")
        )
        # Only the tags of people this user may see: a tag can say more than a name.
        visible = access.scope(user, Person.objects.filter(tags=OuterRef("pk")))
        fields["tag"].queryset = Tag.objects.filter(Exists(visible)).order_by("name")  # type: ignore[attr-defined]
        self.column_options = available_columns(user)
        fields["cols"].choices = [(c.key, c.label) for c in self.column_options]  # type: ignore[attr-defined]
        fields["q"].widget = forms.TextInput(
            attrs={
                "type": "search",
                "class": "form-control",
                "autocomplete": "off",
                "placeholder": "姓名、拼音首字母（如 zr）、身份证号、手机号、单位",
            }
        )
        _style(self)

    def _value(self, name: str) -> Any:
        # A stale or foreign value (a code that no longer exists, a region out of scope) is
        # ignored rather than answered with an error: the list simply shows everything.
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name)

    def person_filter(self) -> selectors.PersonFilter:
        return selectors.PersonFilter(
            q=self._value("q") or "",
            region=self._value("region"),
            category=self._value("category"),
            stratum_group=self._value("stratum_group"),
            organization=self._value("organization"),
            rep_level=self._value("rep_level"),
            tag=self._value("tag").name if self._value("tag") else "",
            archived=bool(self._value("archived")),
            sort=self._value("sort") or "pinyin",
        )

    def columns(self) -> list[Column]:
        chosen = set(self._value("cols") or DEFAULT_COLUMNS)
        return [c for c in self.column_options if c.key in chosen]

    def page_size(self) -> int:
        return self._value("size") or PAGE_SIZES[0]


def person_list_params(user: User, data: Any) -> tuple[selectors.PersonFilter, list[Column]]:
    """The filter and the columns a person list's query string asks for (exports use it)."""
    form = PersonListForm(user, data)
    return form.person_filter(), form.columns()


# --- a person -------------------------------------------------------------------------------------


class PersonForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=64, error_messages={"required": NAME_REQUIRED})
    region = RegionChoiceField(
        Region.objects.none(), label="所属区域", error_messages={"required": REGION_REQUIRED}
    )
    id_number = forms.CharField(
        label="公民身份号码",
        max_length=32,
        required=False,
        help_text="性别和出生日期按身份证号自动填写。",
    )
    phone = forms.CharField(label="手机号码", max_length=32, required=False)
    gender = forms.ChoiceField(label="性别", choices=[("", "—"), *Gender.choices], required=False)
    birth_date = forms.DateField(label="出生日期", required=False, widget=DATE)
    ethnicity = forms.ModelChoiceField(CodeItem.objects.none(), label="民族", required=False)
    religion = forms.ModelChoiceField(CodeItem.objects.none(), label="宗教信仰", required=False)
    political_status = forms.ModelChoiceField(
        CodeItem.objects.none(), label="政治面貌", required=False
    )
    education = forms.ModelChoiceField(CodeItem.objects.none(), label="学历", required=False)
    title = forms.CharField(label="职称", max_length=64, required=False)
    employer = forms.CharField(label="工作单位", max_length=128, required=False)
    position = forms.CharField(label="职务", max_length=128, required=False)
    categories = forms.ModelMultipleChoiceField(
        CodeItem.objects.none(),
        label="人员类别",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": CATEGORY_REQUIRED},
    )
    stratum_group = forms.ModelChoiceField(
        CodeItem.objects.none(), label="新阶类别", required=False
    )
    stratum_subtype = forms.ModelChoiceField(
        CodeItem.objects.none(), label="新阶细类", required=False
    )
    is_representative = forms.BooleanField(label="代表人士", required=False)
    representative_level = forms.ModelChoiceField(
        CodeItem.objects.none(), label="代表人士级别", required=False
    )
    political_performance = forms.CharField(
        label="主要政治表现", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    tags = forms.CharField(
        label="标签", max_length=300, required=False, help_text="多个标签以顿号或逗号分隔。"
    )
    notes = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    CODE_FIELDS = {
        "ethnicity": CodeKind.ETHNICITY,
        "religion": CodeKind.RELIGION,
        "political_status": CodeKind.POLITICAL_STATUS,
        "education": CodeKind.EDUCATION,
        "stratum_group": CodeKind.STRATUM_GROUP,
        "stratum_subtype": CodeKind.STRATUM_SUBTYPE,
        "representative_level": CodeKind.REP_LEVEL,
    }

    def __init__(self, user: User, *args: Any, person: Person | None = None, **kwargs: Any) -> None:
        if person is not None and not kwargs.get("initial"):
            kwargs["initial"] = self.initial_for(person)
        super().__init__(*args, **kwargs)
        self.user, self.person = user, person
        self.fields["region"].queryset = scoped_regions(user)  # type: ignore[attr-defined]
        self.fields["region"].empty_label = "请选择"  # type: ignore[attr-defined]
        for name, kind in self.CODE_FIELDS.items():
            current = getattr(person, name) if person is not None else None
            self.fields[name].queryset = code_choices(kind, current)  # type: ignore[attr-defined]
            self.fields[name].empty_label = "—"  # type: ignore[attr-defined]
        if not access.can_see_beliefs(user):
            del self.fields["ethnicity"], self.fields["religion"]
        self.fields["categories"].queryset = self._offered_categories()  # type: ignore[attr-defined]
        if person is not None:
            for name, masked in (
                ("id_number", person.id_number_masked),
                ("phone", person.phone_masked),
            ):
                current = f"当前：{masked}。" if masked else "当前未填写。"
                self.fields[name].help_text = current + KEEP_UNCHANGED
            if person.id_number:
                for name in ("gender", "birth_date"):
                    self.fields[name].disabled = True
                    self.fields[name].help_text = "由身份证号确定。"

    def _offered_categories(self) -> QuerySet[CodeItem]:
        # City staff keep the categories of their lines; the others a person holds are kept as
        # they are (see clean_categories), not offered for removal.
        qs = code_choices(CodeKind.CATEGORY)
        if self.user.role == Role.CITY_STAFF:
            qs = qs.filter(line__in=BusinessLine.objects.filter(users=self.user))
        return qs

    @staticmethod
    def initial_for(person: Person) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(person, name)
            for name in (
                "name",
                "region",
                "gender",
                "birth_date",
                "title",
                "employer",
                "position",
                "is_representative",
                "political_performance",
                "notes",
            )
        }
        for name in PersonForm.CODE_FIELDS:
            initial[name] = getattr(person, f"{name}_id")
        initial["categories"] = [c.pk for c in person.categories.all()]
        initial["tags"] = "、".join(t.name for t in person.tags.all())
        return initial

    def clean_categories(self) -> list[CodeItem]:
        chosen = list(self.cleaned_data["categories"])
        if self.person is not None and self.user.role == Role.CITY_STAFF:
            offered = set(self.fields["categories"].queryset.values_list("pk", flat=True))  # type: ignore[attr-defined]
            chosen += [c for c in self.person.categories.all() if c.pk not in offered]
        return chosen

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        group, subtype = data.get("stratum_group"), data.get("stratum_subtype")
        if (
            subtype is not None
            and subtype.parent_id
            and group is not None
            and subtype.parent_id != group.pk
        ):
            self.add_error("stratum_subtype", SUBTYPE_MISMATCH)
        if data.get("representative_level") is not None:
            data["is_representative"] = True
        self._check_identity(data)
        return data

    def _check_identity(self, data: dict[str, Any]) -> None:
        # The service checks again on save; checking here shows every mistake in one round.
        try:
            services.check_identity(data.get("id_number") or "", data.get("phone") or "")
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                self.add_error(name, errors)

    def service_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for services.person_create / person_update (tags as names)."""
        data = dict(self.cleaned_data)
        data["tag_names"] = text.split_multi(data.pop("tags", ""))
        for name in ("id_number", "phone"):
            if self.person is not None and not text.clean(data.get(name)):
                data.pop(name)  # left empty on edit: unchanged
        return data


class ArchiveForm(forms.Form):
    reason = forms.CharField(
        label="归档原因", max_length=200, error_messages={"required": "请填写归档原因。"}
    )


class MergeForm(forms.Form):
    other = forms.IntegerField(widget=forms.HiddenInput)
    keep = forms.ChoiceField(
        label="保留哪一条记录",
        choices=[("this", "本条"), ("other", "另一条")],
        widget=forms.RadioSelect,
        initial="this",
    )


class ArrangementForm(TidyModelForm):
    class Meta:
        model = PoliticalArrangement
        fields = ["kind", "level", "term", "role", "start_year", "end_year"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = code_choices(CodeKind.ARRANGEMENT_KIND)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", YEAR_ORDER)
        return data


class HonourForm(TidyModelForm):
    class Meta:
        model = Honour
        fields = ["title", "level", "year", "issuer"]


class ReviewForm(TidyModelForm):
    class Meta:
        model = AnnualReview
        fields = ["year", "result", "notes"]

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if self.person.reviews.filter(year=year).exists():
            raise ValidationError(REVIEW_EXISTS.format(year=year))
        return int(year)


class MembershipForm(TidyModelForm):
    class Meta:
        model = Membership
        fields = ["organization", "role", "term_start", "term_end", "notes"]
        widgets = {"term_start": DATE, "term_end": DATE}

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = access.scope(  # type: ignore[attr-defined]
            user, Organization.objects.filter(archived_at__isnull=True)
        ).order_by("name_pinyin", "id")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", TERM_ORDER)
        return data


class MembershipEndForm(forms.Form):
    term_end = forms.DateField(
        label="任期结束",
        required=False,
        widget=DATE,
        error_messages={"invalid": "任期结束日期格式不正确，请按“2024-06-30”的格式填写。"},
    )

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.membership = membership

    def clean_term_end(self) -> dt.date:
        end = self.cleaned_data.get("term_end") or dt.date.today()
        start = self.membership.term_start
        if start is not None and end < start:
            raise ValidationError(TERM_ORDER)
        return end


# --- organizations --------------------------------------------------------------------------------


class OrganizationListForm(forms.Form):
    q = forms.CharField(required=False)
    region = RegionChoiceField(
        Region.objects.none(), required=False, to_field_name="code", empty_label="全部区域"
    )
    org_type = forms.ModelChoiceField(
        CodeItem.objects.none(), required=False, empty_label="全部类型"
    )
    designation = forms.ModelChoiceField(
        CodeItem.objects.none(), required=False, empty_label="全部命名称号"
    )
    archived = forms.BooleanField(required=False)

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = scoped_regions(user)  # type: ignore[attr-defined]
        self.fields["org_type"].queryset = CodeItem.objects.filter(  # type: ignore[attr-defined]
            kind__in=[CodeKind.ORG_TYPE, CodeKind.ORG_SUBTYPE], is_active=True
        ).order_by("kind", "order", "id")
        self.fields["designation"].queryset = selectors.codes(CodeKind.DESIGNATION_KIND)  # type: ignore[attr-defined]
        self.fields["q"].widget = forms.TextInput(
            attrs={
                "type": "search",
                "class": "form-control",
                "autocomplete": "off",
                "placeholder": "名称、简称、拼音或首字母",
            }
        )
        _style(self)

    def organization_filter(self) -> selectors.OrganizationFilter:
        data = self.cleaned_data if self.is_valid() else getattr(self, "cleaned_data", {})
        return selectors.OrganizationFilter(
            q=data.get("q") or "",
            region=data.get("region"),
            org_type=data.get("org_type"),
            designation_kind=data.get("designation"),
            archived=bool(data.get("archived")),
        )


class OrganizationForm(TidyModelForm):
    region = RegionChoiceField(Region.objects.none(), label="所属区域")

    class Meta:
        model = Organization
        fields = [
            "name",
            "short_name",
            "org_type",
            "org_subtype",
            "region",
            "parent",
            "credit_code",
            "address",
            "founded_on",
            "legal_registration",
            "is_non_public",
            "is_taiwan_funded",
            "is_overseas_funded",
            "notes",
        ]
        widgets = {"founded_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "name": {"required": ORG_NAME_REQUIRED},
            "org_type": {"required": ORG_TYPE_REQUIRED},
        }

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = self.instance if self.instance.pk else None
        self.fields["region"].queryset = scoped_regions(user)  # type: ignore[attr-defined]
        types = code_choices(CodeKind.ORG_TYPE, org.org_type if org else None)
        if user.role == Role.CITY_STAFF:
            types = types.filter(line__in=BusinessLine.objects.filter(users=user))
        self.fields["org_type"].queryset = types  # type: ignore[attr-defined]
        self.fields["org_subtype"].queryset = code_choices(  # type: ignore[attr-defined]
            CodeKind.ORG_SUBTYPE, org.org_subtype if org else None
        )
        parents = access.scope(user, Organization.objects.filter(archived_at__isnull=True))
        if org is not None:
            parents = parents.exclude(pk=org.pk)
        self.fields["parent"].queryset = parents.order_by("name_pinyin", "id")  # type: ignore[attr-defined]
        self.fields["legal_registration"].help_text = "宗教活动场所、社会组织填写。"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name, region = text.clean(data.get("name")), data.get("region")
        if name and region is not None:
            same = Organization.objects.filter(name=name, region=region, archived_at__isnull=True)
            if same.exclude(pk=self.instance.pk).exists():
                self.add_error("name", ORG_NAME_TAKEN.format(region=region, name=name))
        org_type, subtype = data.get("org_type"), data.get("org_subtype")
        if (
            subtype is not None
            and org_type is not None
            and subtype.parent_id
            and subtype.parent_id != org_type.pk
        ):
            self.add_error("org_subtype", "所选细类不属于所选组织类型，请重新选择。")
        return data


class FigureForm(TidyModelForm):
    class Meta:
        model = EnterpriseFigure
        fields = ["year", "revenue", "tax", "employees", "rd_spend"]


class DesignationForm(TidyModelForm):
    class Meta:
        model = Designation
        fields = ["kind", "batch", "designated_on", "issuer", "revoked_on", "notes"]
        widgets = {"designated_on": DATE, "revoked_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.kind if self.instance.pk else None
        self.fields["kind"].queryset = code_choices(CodeKind.DESIGNATION_KIND, current)  # type: ignore[attr-defined]
        self.fields["batch"].help_text = "如：第一批"
        if not self.instance.pk:
            del self.fields["revoked_on"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("designated_on"), data.get("revoked_on")
        if start and end and end < start:
            self.add_error("revoked_on", "撤销日期不能早于命名日期，请核对。")
        return data


class StandardCheckForm(TidyModelForm):
    class Meta:
        model = StandardCheck
        fields = ["year", *StandardCheck.ITEMS, "notes"]


# --- code tables ----------------------------------------------------------------------------------


class CodeItemForm(TidyModelForm):
    class Meta:
        model = CodeItem
        fields = ["name", "code", "aliases", "line", "parent", "order", "is_active"]

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.kind = kind
        parent_kind = PARENT_KIND.get(kind)
        if parent_kind:
            self.fields["parent"].queryset = CodeItem.objects.filter(kind=parent_kind)  # type: ignore[attr-defined]
            self.fields["parent"].required = True
        else:
            del self.fields["parent"]
        if kind not in (CodeKind.CATEGORY, CodeKind.ORG_TYPE):
            del self.fields["line"]
        else:
            self.fields["line"].help_text = "市级业务人员按条线查看和维护对应的人员或组织。"

    def clean_name(self) -> str:
        name = text.clean(self.cleaned_data["name"])
        taken = CodeItem.objects.filter(kind=self.instance.kind, name=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise ValidationError(CODE_NAME_TAKEN.format(name=name))
        return name
