"""The persons kind of import (统战对象名册), the first kind the shared engine serves.

Rows are judged by import_rows.PersonChecker. A row is already on record when its ID number is
(through the blind index, anyone's: one ID is one person), else when a person the uploader can
see has its name and birth date. Good rows are written through the registry services: new people
a thousand at a time (services.person_bulk_create), existing ones one by one when the uploader
chose to update them.
"""

from __future__ import annotations

from typing import Any, cast

from tongxin.core import access, crypto
from tongxin.core.models import User

from . import services
from .import_kinds import ImportKind, RowFailed, RowResult, Writer, issue, register
from .import_readers import MAX_UPLOAD_MB
from .import_rows import EXAMPLE_ID_NUMBER, FIELDS, PersonChecker, PersonRow
from .models import Person, Tag

NO_ROWS = "文件只有表头，没有人员数据。请从表头下一行起逐行填写人员信息后重新上传。"
DUPLICATE_ID = "与已有记录“{name}”（{region}，编号{pk}）重复：身份证号相同。"
DUPLICATE_NAME = "与已有记录“{name}”（{region}，编号{pk}）重复：姓名和出生日期相同。"
DUPLICATE_HIDDEN = "该身份证号已在您管辖范围以外登记，不能导入。请联系市级管理员核实。"


# --- duplicates -----------------------------------------------------------------------------------


def find_existing(actor: User, rows: list[PersonRow]) -> None:
    """Existing records of the rows' people: by ID number through its blind index (anyone's,
    as services.find_by_id_number does: one ID is one person), else by name and birth date
    among the records the uploader can see."""
    by_index: dict[str, PersonRow] = {}
    for r in rows:
        if r.values["id_number"]:
            for index in crypto.blind_indexes(r.values["id_number"], purpose="id_number"):
                by_index[index] = r
    if by_index:
        found = list(
            Person.objects.filter(
                id_number_index__in=list(by_index), archived_at__isnull=True
            ).select_related("region")
        )
        visible = set(
            access.scope(actor, Person.objects.filter(pk__in=[p.pk for p in found])).values_list(
                "pk", flat=True
            )
        )
        for person in found:
            r = by_index[person.id_number_index]
            if person.pk in visible:
                _mark_duplicate(r, person, "公民身份号码", DUPLICATE_ID)
            else:
                r.errors.append(issue(r.row, "公民身份号码", DUPLICATE_HIDDEN))
    pending = [r for r in rows if r.existing is None and not r.errors and r.name_key]
    if not pending:
        return
    keys = {r.name_key for r in pending}
    # First the ids whose exact (name, birth date) pair is wanted, from the name-and-birth index
    # alone (common names match thousands of people; their rows are not read), then those rows.
    matched = [
        pk
        for pk, name, birth in Person.objects.filter(
            name_simplified__in={k[0] for k in keys if k},
            birth_date__in={k[1] for k in keys if k},
        )
        .order_by()
        .values_list("pk", "name_simplified", "birth_date")
        if (name, birth) in keys
    ]
    if not matched:
        return
    people = (
        access.scope(actor, Person.objects.filter(pk__in=matched, archived_at__isnull=True))
        .select_related("region")
        .order_by("pk")
    )
    by_key: dict[Any, list[Person]] = {}
    for person in people:
        by_key.setdefault((person.name_simplified, person.birth_date), []).append(person)
    for r in pending:
        for person in by_key.get(r.name_key, []):
            # Two different ID numbers are two people, whatever their names.
            if not r.values["id_number"] or not person.id_number_index:
                _mark_duplicate(r, person, "姓名", DUPLICATE_NAME)
                break


def _mark_duplicate(r: PersonRow, person: Person, column: str, template: str) -> None:
    message = template.format(name=person.name, region=person.region, pk=person.pk)
    r.mark_duplicate(
        person, column, message, person_id=person.pk, person=person.name, region=str(person.region)
    )


# --- writing --------------------------------------------------------------------------------------


class PersonWriter(Writer):
    BATCH = 1000

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tags: dict[str, Tag] = {}

    def values(self, r: RowResult) -> dict[str, Any]:
        values = {k: v for k, v in r.values.items() if v not in (None, "", [])}
        values["tags"] = self._tags(r.values["tags"])
        return values

    def create_batch(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        try:
            services.person_bulk_create(actor=self.actor, rows=[v for _, v in rows])
        except services.BulkRowError as exc:
            raise RowFailed(rows[exc.index][0], str(exc)) from exc

    def update(self, r: RowResult) -> None:
        assert isinstance(r, PersonRow)
        person: Person = r.existing
        values = self.values(r)
        if not r.region_given:
            values.pop("region", None)
        values.pop("name", None)
        # A file adds categories and tags; it never takes away what other lines recorded.
        values["categories"] = [*person.categories.all(), *values.get("categories", [])]
        values["tags"] = [*person.tags.all(), *values["tags"]]
        services.person_update(actor=self.actor, person=person, **values)

    def _tags(self, names: list[str]) -> list[Tag]:
        missing = [n for n in names if n not in self.tags]
        for tag in services.tags_from_names(missing):
            self.tags[tag.name] = tag
        return [self.tags[n] for n in names if n in self.tags]


# --- the kind -------------------------------------------------------------------------------------


class PersonKind(ImportKind):
    key = "persons"
    label = "统战对象"
    unit = "人"
    fields = FIELDS
    header_field = "name"
    roles = services.EDITORS
    checker_class = PersonChecker
    writer_class = PersonWriter
    no_rows = NO_ROWS

    asks_region = True
    region_help = "名册中“所属区域”为空的行记入此区域。"
    upload_url = "person_import"
    template_url = "person_import_template"
    back_url = "person_list"
    back_label = "返回名册"
    section = "名册"
    hints = (
        "第1行为表头，按表头识别各列：姓名（必填）、性别、民族、出生日期、公民身份号码、手机号码、"
        "所属区域、工作单位、职务、人员类别、新阶类别、政治面貌、宗教信仰、学历、职称、代表人士级别、"
        "备注。“身份证号”“联系电话”“区县”等常见写法也能识别，其他列可在预览时手动对应。",
        "性别和出生日期以身份证号为准；全角数字、繁体字、多余空格会自动规范。",
        "出生日期可写 1990-05-01、1990.05、1990年5月；人员类别可填多项，用顿号或逗号分隔。",
        "请勿合并单元格、勿使用公式；空行会被跳过。",
        "只能导入您管辖范围内的人员；与已有记录重复的，导入时可选择跳过或更新。",
    )
    update_note = (
        "更新，用名册中填写了的内容覆盖已有记录（空白单元格不改动；人员类别、标签只增不减）"
    )

    template_title = "统战对象名册导入模板"
    template_fields = (
        "name", "gender", "ethnicity", "birth_date", "id_number", "phone", "region", "employer",
        "position", "categories", "stratum_group", "political_status", "religion", "education",
        "title", "representative_level", "notes",
    )  # fmt: skip
    template_example = {
        "name": "张三",
        "gender": "男",
        "ethnicity": "汉族",
        "birth_date": "1990-05-01",
        "id_number": EXAMPLE_ID_NUMBER,
        "phone": "13800000000",
        "employer": "德阳某某科技有限公司",
        "position": "总经理",
        "categories": "新的社会阶层人士、非公有制经济人士",
        "stratum_group": "民营企业和外商投资企业管理技术人员",
        "political_status": "群众",
        "religion": "无宗教信仰",
        "education": "大学本科",
        "title": "工程师",
        "representative_level": "市级",
        "notes": "示例行，导入前请删除",
    }
    template_text_fields = ("id_number", "phone", "birth_date")
    template_instructions = (
        "统战对象名册导入说明",
        "",
        "一、在“名册”工作表中从第2行起每行填写一人，第1行表头请勿修改；系统只读取第一个工作表。",
        "二、“姓名”必填；“所属区域”填写区县名称或6位区划代码（见“代码表”，只能填您管辖范围内的"
        "区域），也可留空并在上传时选择默认区域。",
        "三、“公民身份号码”填写18位身份证号（末位X大小写均可）。性别和出生日期以身份证号为准，"
        "与之不符时系统给出提示。请将该列保持为“文本”格式，以免 Excel 把号码存成数字而丢失末几位。",
        "四、出生日期可写为 1990-05-01、1990.05、1990年5月 等格式。",
        "五、“人员类别”可填多项，用顿号、逗号或分号分隔，如：新的社会阶层人士、非公有制经济人士。",
        "六、民族、政治面貌、宗教信仰、学历、新阶类别、代表人士级别请使用“代码表”工作表中的名称"
        "（常见简称如“汉”“本科”“党员”也可识别）。",
        "七、请勿合并单元格、勿使用公式；空行会被跳过。",
        f"八、支持 .xlsx、.xls、.csv（UTF-8 或 GBK 编码）格式，单个文件不超过 {MAX_UPLOAD_MB} MB。",
        "九、上传后系统先预览：逐行列出错误（按 Excel 行号）、提示和与已有记录重复的人员；"
        "确认无误后再导入，导入时所有无误的行一次写入，遇到已有记录可选择跳过或更新。",
        "十、第2行为示例，导入前请删除（保留也不会被导入）。",
    )

    def may_import(self, user: Any) -> bool:
        return access.can_edit_registry(user)

    def find_existing(self, actor: User, rows: list[RowResult]) -> None:
        find_existing(actor, cast(list[PersonRow], rows))


PERSONS = register(PersonKind())
