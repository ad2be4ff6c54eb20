"""The trainees kind of import (培训学员): the list of a training class's trainees, for one class
chosen on the upload (the job's options: {"training": id}), served by the shared engine.

Trainees must be on the registry already: a row names a person the uploader can see, by ID
number (exact, through the blind index) or by name, with the employer when two share a name.
Someone already on the class is a duplicate, skipped. Good rows are written through
services_cadres.trainees_add, rows alike in hours, completion and notes together.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.urls import reverse

from tongxin.core import access, ids, text
from tongxin.core.models import User
from tongxin.registry.import_kinds import (
    Field,
    ImportKind,
    Layout,
    RowChecker,
    RowFailed,
    RowResult,
    Writer,
    plain,
    register,
)
from tongxin.registry.import_readers import MAX_UPLOAD_MB, ImportFileError
from tongxin.registry.import_rows import EXAMPLE_ID_NUMBER, EXAMPLE_ROW, ID_AS_NUMBER

from . import checks
from . import services_cadres as services
from .import_support import FLAG_INVALID, PeopleFinder, flag, name_key
from .models import Trainee, Training

if TYPE_CHECKING:
    from tongxin.registry.models import ImportJob

NO_ROWS = "文件只有表头，没有学员数据。请从表头下一行起，每行填写一位学员后重新上传。"
TRAINING_GONE = "该培训班不存在或不在您的管辖范围内，不能导入学员。请从培训班页面重新进入。"
NAME_REQUIRED = "姓名不能为空。请填写学员姓名，或删除这一行。"
NOT_FOUND = "名册中没有找到“{name}”。请先在统战对象中登记，或核对姓名和工作单位。"
NOT_FOUND_ID = (
    "名册中没有找到身份证号为{number}的人员。请先在统战对象中登记，或核对姓名和身份证号。"
)
ID_NAME_MISMATCH = "身份证号对应的人员是“{found}”，与姓名“{name}”不符。请核对姓名和身份证号。"
HOURS_INVALID = "学时“{value}”应为不小于0的数字，最多一位小数，如：24 或 12.5；留空按培训班学时计。"
REPEAT = "与第{row}行是同一人（{name}），请删除重复的一行。"
DUPLICATE = "“{name}”已是本培训班学员。"
TARGET = "培训班：{title}（{start:%Y-%m-%d} 至 {end:%Y-%m-%d}，{hours}学时）"

FIELDS: tuple[Field, ...] = (
    Field("name", "姓名", ("学员姓名", "学员"), max_length=64),
    Field("employer", "工作单位", ("单位", "所在单位", "工作单位及职务")),
    Field("id_number", "公民身份号码", ("身份证号", "身份证号码", "证件号码", "身份证")),
    Field("hours", "学时", ("培训学时",)),
    Field("completed", "是否结业", ("结业", "是否结业（是/否）")),
    Field("notes", "备注", ("说明",), max_length=200),
)
HOURS_MAX = Decimal("99999.9")  # Trainee.hours: six digits, one decimal place


def _training(actor: User, options: dict[str, Any]) -> Training | None:
    pk = options.get("training")
    if not isinstance(pk, int):
        return None
    return access.scope(actor, Training.objects.filter(pk=pk)).first()


class TraineeChecker(RowChecker):
    def __init__(self, kind: ImportKind, actor: User, job: ImportJob, layout: Layout) -> None:
        super().__init__(kind, actor, job, layout)
        training = _training(actor, job.options or {})
        if training is None:  # gone, or out of the uploader's sight since the upload
            raise ImportFileError(TRAINING_GONE)
        self.training = training
        self.finder = PeopleFinder(actor)
        self.seen: dict[int, int] = {}

    def judge(self, r: RowResult, cells: dict[str, Any]) -> None:
        name = text.clean(plain(cells.get("name")))
        if not name:
            self.error(r, "name", NAME_REQUIRED)
        self.length(r, "name", name)
        r.values.update(
            training=self.training,
            name=name,
            employer=text.clean(plain(cells.get("employer"))),
            id_number=self._id_number(r, cells.get("id_number")),
            hours=self._hours(r, cells.get("hours")),
            completed=self._completed(r, cells.get("completed")),
            notes=self._notes(r, cells),
            person=None,
        )

    def _id_number(self, r: RowResult, raw: Any) -> str:
        if isinstance(raw, float):
            self.error(r, "id_number", ID_AS_NUMBER)
            return ""
        if not plain(raw).strip():
            return ""
        check = ids.check_id_number(plain(raw))
        for message in check.errors:
            self.error(r, "id_number", message)
        if check.number == EXAMPLE_ID_NUMBER:
            self.error(r, "id_number", EXAMPLE_ROW)
        return check.number if check.ok else ""

    def _hours(self, r: RowResult, raw: Any) -> Decimal | None:
        shown = text.clean(plain(raw))
        if not shown:
            return None
        try:
            hours = Decimal(repr(raw) if isinstance(raw, float) else shown)
        except InvalidOperation:
            hours = Decimal("NaN")
        if (
            not hours.is_finite()
            or not 0 <= hours <= HOURS_MAX
            or hours != hours.quantize(Decimal("0.1"))
        ):
            self.error(r, "hours", HOURS_INVALID.format(value=shown))
            return None
        return hours.quantize(Decimal("0.1"))

    def _completed(self, r: RowResult, raw: Any) -> bool:
        shown = text.clean(plain(raw))
        if not shown:
            return True
        answer = flag(shown)
        if answer is None:
            label = self.layout.header("completed")
            self.error(r, "completed", FLAG_INVALID.format(label=label, value=shown))
            return True
        return answer

    def _notes(self, r: RowResult, cells: dict[str, Any]) -> str:
        notes = text.line(plain(cells.get("notes")))
        self.length(r, "notes", notes)
        return notes

    def judge_batch(self, rows: list[RowResult]) -> None:
        """People found a batch at a time: by ID number where given, else by name."""
        named = [r for r in rows if r.values["name"] and "id_number" not in r.unreadable]
        by_number = self.finder.by_id_numbers(
            r.values["id_number"] for r in named if r.values["id_number"]
        )
        self.finder.load(r.values["name"] for r in named if not r.values["id_number"])
        for r in named:
            v = r.values
            if v["id_number"]:
                person = by_number.get(v["id_number"])
                if person is None:
                    masked = ids.mask_id_number(v["id_number"])
                    self.error(r, "id_number", NOT_FOUND_ID.format(number=masked))
                    continue
                if person.name_simplified != name_key(v["name"]):
                    message = ID_NAME_MISMATCH.format(found=person.name, name=v["name"])
                    self.error(r, "name", message)
                    continue
            elif not any(e["column"] == self.layout.header("id_number") for e in r.errors):
                match = self.finder.find(v["name"], v["employer"])
                if match.person is None:
                    self.error(r, "name", match.problem or NOT_FOUND.format(name=v["name"]))
                    continue
                person = match.person
            else:
                continue
            v["person"] = person
            first = self.seen.setdefault(person.pk, r.row)
            if first != r.row:
                self.error(r, "name", REPEAT.format(row=first, name=person.name))


class TraineeWriter(Writer):
    BATCH = 500

    def create_batch(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        """One trainees_add per run of rows with the same hours, completion and notes."""
        runs: list[list[tuple[int, dict[str, Any]]]] = []
        for row, values in rows:
            if runs and _alike(runs[-1][-1][1], values):
                runs[-1].append((row, values))
            else:
                runs.append([(row, values)])
        for run in runs:
            first = run[0][1]
            try:
                services.trainees_add(
                    actor=self.actor,
                    training=first["training"],
                    people=[v["person"] for _, v in run],
                    hours=first["hours"],
                    completed=first["completed"],
                    notes=first["notes"],
                )
            except ValidationError as exc:
                raise RowFailed(run[0][0], "；".join(exc.messages)) from exc


def _alike(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return all(a[k] == b[k] for k in ("hours", "completed", "notes"))


class TraineeKind(ImportKind):
    key = "trainees"
    label = "培训学员"
    unit = "人"
    fields = FIELDS
    header_field = "name"
    roles = checks.STAFF
    checker_class = TraineeChecker
    writer_class = TraineeWriter
    no_rows = NO_ROWS
    updates = False

    upload_url = "trainee_import"
    template_url = "trainee_import_template"
    back_url = "training_detail"
    back_label = "返回培训班"
    section = "工作 · 培训与干部"
    hints = (
        "每行填写一位学员：姓名（必填）、工作单位、公民身份号码、学时、是否结业、备注。",
        "学员须已在统战对象名册中登记。按姓名查找；名册中有同名的，请填写工作单位或公民身份号码区分。",
        "学时留空按培训班学时计；是否结业填“是”或“否”，留空为“是”。",
        "已是本培训班学员的会被跳过；请勿合并单元格、勿使用公式，空行会被跳过。",
    )

    template_title = "培训学员导入模板"
    template_sheet = "学员名单"
    template_fields = ("name", "employer", "id_number", "hours", "completed", "notes")
    template_example = {
        "name": "张三",
        "employer": "德阳某某科技有限公司",
        "id_number": EXAMPLE_ID_NUMBER,
        "hours": 24,
        "completed": "是",
        "notes": "示例行，导入前请删除",
    }
    template_text_fields = ("id_number",)
    template_instructions = (
        "培训学员导入说明",
        "",
        "一、在“学员名单”工作表中从第2行起每行填写一位学员，第1行表头请勿修改；系统只读取第一个工作表。",
        "二、学员须已在统战对象名册中登记（不在名册中的，请先到“统战对象”中登记）。系统按姓名在您"
        "管辖范围内的名册中查找；名册中有同名的，请填写“工作单位”或“公民身份号码”区分。",
        "三、“公民身份号码”可不填；填写的，按身份证号精确查找，且须与姓名一致。请将该列保持为“文本”"
        "格式，以免 Excel 把号码存成数字而丢失末几位。",
        "四、“学时”可不填，留空按培训班的学时计；填写的为不小于0的数字，最多一位小数。",
        "五、“是否结业”填“是”或“否”，留空为“是”。",
        "六、已是本培训班学员的人员会被跳过；同一人在文件中出现两次会提示错误。",
        "七、请勿合并单元格、勿使用公式；空行会被跳过。",
        f"八、支持 .xlsx、.xls、.csv（UTF-8 或 GBK 编码）格式，单个文件不超过 {MAX_UPLOAD_MB} MB。",
        "九、上传后系统先预览：逐行列出错误（按 Excel 行号）和已是学员的人员；确认无误后再导入，"
        "所有无误的行一次写入，任何一行写入失败则全部不写入。",
        "十、第2行为示例，导入前请删除（保留也不会被导入）。",
    )

    def clean_options(self, actor: User, options: dict[str, Any]) -> dict[str, Any]:
        """The training class: 404 when it is not one the uploader can see."""
        training = access.get_for_user(actor, Training, pk=options.get("training"))
        return {"training": training.pk}

    def links(self, options: dict[str, Any]) -> dict[str, str]:
        links = {"template": reverse(self.template_url)}
        pk = options.get("training")
        if isinstance(pk, int):
            links["upload"] = reverse(self.upload_url, args=[pk])
            links["back"] = reverse(self.back_url, args=[pk])
        return links

    def describe(self, actor: User, options: dict[str, Any]) -> str:
        training = _training(actor, options)
        if training is None:
            return ""
        return TARGET.format(
            title=training.title,
            start=training.start_date,
            end=training.end_date,
            hours=f"{training.hours.normalize():f}",
        )

    def find_existing(self, actor: User, rows: list[RowResult]) -> None:
        """Trainees already on the class (one query per batch)."""
        people = {r.values["person"].pk: r for r in rows if r.values["person"] is not None}
        if not people:
            return
        training = rows[0].values["training"]
        on_class = access.scope(
            actor, Trainee.objects.filter(training=training, person_id__in=list(people))
        ).select_related("person")
        for trainee in on_class:
            r = people[trainee.person_id]
            r.mark_duplicate(
                trainee,
                "姓名",
                DUPLICATE.format(name=trainee.person.name),
                person_id=trainee.person_id,
            )


TRAINEES = register(TraineeKind())
