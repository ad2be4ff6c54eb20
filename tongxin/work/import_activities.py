"""The activities kind of import (活动及参加人员): a sheet of activities with their participants,
one participant a row, served by the shared engine (registry/importing.py).

Rows are judged in import_activity_rows.py. An activity is already on record when one the
uploader can see has its title, date and region: its rows are duplicates, skipped, or (update)
their participants not yet listed are added. Good rows are written through the activity services:
each activity once (activity_create with its participants), later rows of it in later batches
through participations_add.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

from django.core.exceptions import ValidationError

from tongxin.core import access
from tongxin.core.models import User
from tongxin.registry.import_kinds import (
    Field,
    ImportKind,
    RowFailed,
    RowResult,
    Writer,
    register,
)
from tongxin.registry.import_readers import MAX_UPLOAD_MB
from tongxin.registry.models import CodeKind

from . import checks
from . import services_activities as services
from .import_activity_rows import EXAMPLE_TITLE, ActivityChecker, ActivityRow, Planned, who_of
from .models import Activity, Participation

NO_ROWS = "文件只有表头，没有活动数据。请从表头下一行起，每行填写一位参加人员后重新上传。"
DUPLICATE = "活动“{title}”（{date}，{region}，编号{pk}）已有记录：活动名称、日期和所属区域相同。"
DUPLICATE_LISTED = DUPLICATE + "“{who}”已在其参加名单中。"
DUPLICATE_NEW = DUPLICATE + "选择“更新”时，“{who}”将加入其参加名单。"
WRITE_FAILED = "活动“{title}”：{reason}"

FIELDS: tuple[Field, ...] = (
    Field("type", "活动类型", ("类型", "会议类型", "活动类别"), CodeKind.ACTIVITY_TYPE),
    Field("title", "活动名称", ("会议名称", "活动主题"), max_length=200),
    Field("date", "日期", ("活动日期", "会议日期")),
    Field("place", "地点", ("活动地点", "会议地点"), max_length=200),
    Field("region", "所属区域", ("区县", "区域", "所属区县", "区划")),
    Field("line", "条线", ("业务条线",)),
    Field("organizers", "主办单位", ("主办",), multiple=True),
    Field("headcount", "参加人数", ("人数", "参会人数")),
    Field("person", "参加人员", ("姓名", "参会人员", "人员"), max_length=32),
    Field("employer", "工作单位", ("所在单位",)),
    Field("unit", "参加单位", ("参会单位",)),
    Field("outsider", "名册外", ("名册外人员", "是否名册外")),
    Field("role", "角色", ("参加角色", "参会角色")),
    Field("person_title", "身份/职务", ("身份", "职务"), max_length=100),
    Field("note", "说明", ("备注", "发言题目"), max_length=200),
)


def find_existing(actor: User, rows: list[ActivityRow]) -> None:
    """Activities already on record, by title, date and region among those the uploader can see
    (one query per batch for the activities, one for the participants already listed)."""
    activities = {id(r.planned): r.planned for r in rows if r.planned is not None}
    fresh = [p for p in activities.values() if not p.looked_up]
    if fresh:
        found = access.scope(
            actor,
            Activity.objects.filter(
                title__in={p.key[0] for p in fresh}, date__in={p.key[1] for p in fresh}
            ),
        ).select_related("region")
        by_key: dict[Any, Activity] = {}
        for activity in found.order_by("pk"):
            by_key.setdefault((activity.title, activity.date, activity.region_id), activity)
        for p in fresh:
            p.looked_up = True
            region = p.fields["region"]
            p.existing = by_key.get((*p.key, region.pk)) if region is not None else None
    _read_listed(actor, [p for p in activities.values() if p.existing is not None])
    for r in rows:
        if r.planned is not None and r.planned.existing is not None:
            _mark(r, r.planned)


def _read_listed(actor: User, planned: list[Planned]) -> None:
    unread = {p.existing.pk: p for p in planned if p.listed is None}
    if not unread:
        return
    listed: dict[int, set[Any]] = defaultdict(set)
    participations = access.scope(actor, Participation.objects.filter(activity__in=list(unread)))
    for activity_id, person_id, unit_id, name in participations.values_list(
        "activity_id", "person_id", "unit_id", "name"
    ):
        listed[activity_id].add(who_of(person_id, unit_id, name))
    for pk, p in unread.items():
        p.listed = listed[pk]


def _mark(r: ActivityRow, planned: Planned) -> None:
    activity: Activity = planned.existing
    who = r.who
    r.listed = who is None or who in (planned.listed or set())
    facts = {
        "title": activity.title,
        "date": f"{activity.date:%Y-%m-%d}",
        "region": activity.region.name,
        "pk": activity.pk,
    }
    if who is None:
        message = DUPLICATE.format(**facts)
    else:
        name = _who_name(r)
        message = (DUPLICATE_LISTED if r.listed else DUPLICATE_NEW).format(who=name, **facts)
    r.mark_duplicate(activity, "活动名称", message, activity_id=activity.pk)


def _who_name(r: ActivityRow) -> str:
    v = r.values
    if v.get("person") is not None:
        return str(v["person"].name)
    if v.get("unit") is not None:
        return str(v["unit"].short_name or v["unit"].name)
    return str(v.get("name", ""))


# --- writing --------------------------------------------------------------------------------------


def _spec(values: dict[str, Any]) -> services.ParticipantSpec | None:
    if values["person"] is None and values["unit"] is None and not values["name"]:
        return None  # the first row of an activity listed without anyone named
    return services.ParticipantSpec(
        role=values["role"],
        person=values["person"],
        unit=values["unit"],
        name=values["name"],
        title=values["title"],
        note=values["note"],
    )


class ActivityWriter(Writer):
    """New activities are created once, with the participants of their rows in the batch; rows
    of an activity in a later batch are added to it. Participants of an existing activity are
    added (update) when not listed yet; anyone listed already is skipped."""

    BATCH = 500

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.created: dict[Any, Activity] = {}
        self.additions: list[tuple[int, Activity, dict[str, Any]]] = []

    def write(self, r: RowResult) -> None:
        assert isinstance(r, ActivityRow)
        if r.existing is not None and r.listed:
            self.counts["skipped"] += 1
            return
        super().write(r)

    def create_batch(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        groups: dict[Any, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        for row, values in rows:
            groups[values["planned"].key].append((row, values))
        for key, group in groups.items():
            planned: Planned = group[0][1]["planned"]
            specs = [s for _, v in group if (s := _spec(v)) is not None]
            try:
                if key in self.created:
                    services.participations_add(
                        actor=self.actor, activity=self.created[key], participants=specs
                    )
                else:
                    self.created[key] = services.activity_create(
                        actor=self.actor, participants=specs, **planned.service_fields
                    )
            except ValidationError as exc:
                raise _failed(group[0][0], planned.key[0], exc) from exc

    def update(self, r: RowResult) -> None:
        """Collected, and added a batch at a time (``flush``)."""
        self.additions.append((r.row, r.existing, self.values(r)))
        if len(self.additions) >= self.BATCH:
            self._add_to_existing()

    def flush(self) -> None:
        super().flush()
        self._add_to_existing()

    def _add_to_existing(self) -> None:
        additions, self.additions = self.additions, []
        groups: dict[int, list[tuple[int, Activity, dict[str, Any]]]] = defaultdict(list)
        for addition in additions:
            groups[addition[1].pk].append(addition)
        for group in groups.values():
            row, activity, _ = group[0]
            specs = [s for _, _, v in group if (s := _spec(v)) is not None]
            try:
                services.participations_add(actor=self.actor, activity=activity, participants=specs)
            except ValidationError as exc:
                raise _failed(row, activity.title, exc) from exc


def _failed(row: int, title: str, exc: ValidationError) -> RowFailed:
    return RowFailed(row, WRITE_FAILED.format(title=title, reason="；".join(exc.messages)))


# --- the kind -------------------------------------------------------------------------------------


class ActivityKind(ImportKind):
    key = "activities"
    label = "活动及参加人员"
    unit = "条"
    fields = FIELDS
    header_field = "title"
    roles = checks.STAFF
    checker_class = ActivityChecker
    writer_class = ActivityWriter
    no_rows = NO_ROWS

    asks_region = True
    region_help = "“所属区域”为空的活动记入此区域。"
    upload_url = "activity_import"
    template_url = "activity_import_template"
    back_url = "activity_list"
    back_label = "返回活动列表"
    section = "工作"
    hints = (
        "每行填写一位参加人员或一个参加单位；活动名称和日期相同的行是同一个活动。",
        "活动信息（活动类型、地点、所属区域、条线、主办单位、参加人数）填在每个活动的第一行，"
        "后续行可留空；活动名称和日期都留空的行，归入上方的活动。",
        "参加人员须已在统战对象名册中（同名时填写工作单位区分）；领导同志等名册外人员，"
        "在“名册外”列填“是”并填写身份/职务。",
        "角色填写出席并讲话、出席、主持、交流发言、参加、主讲或学员，留空为“参加”；"
        "参加人员按文件中的顺序记录。",
        "与已有活动（名称、日期、所属区域都相同）重复的，导入时可选择跳过，"
        "或把尚未列入的参加人员加入已有活动。",
    )
    update_note = "更新，把文件中尚未列入的参加人员加入已有活动（已有的参加人员和活动信息不改动）"

    template_title = "活动及参加人员导入模板"
    template_sheet = "活动及参加人员"
    template_fields = (
        "type", "title", "date", "place", "region", "line", "organizers", "headcount",
        "person", "employer", "unit", "outsider", "role", "person_title", "note",
    )  # fmt: skip
    template_example = {
        "type": "推进会",
        "title": EXAMPLE_TITLE,
        "date": "2023-07-05",
        "place": "市委统战部会议室",
        "line": "新阶",
        "organizers": "市委统战部",
        "headcount": 40,
        "person": "张三",
        "outsider": "是",
        "role": "出席并讲话",
        "person_title": "市委常委、统战部部长",
        "note": "示例行，导入前请删除",
    }
    template_instructions = (
        "活动及参加人员导入说明",
        "",
        "一、在“活动及参加人员”工作表中从第2行起每行填写一位参加人员（或一个参加单位），"
        "第1行表头请勿修改；系统只读取第一个工作表。",
        "二、“活动名称”和“日期”相同的行属于同一个活动。活动类型、地点、所属区域、条线、主办单位、"
        "参加人数填在该活动的第一行，后续行可以留空，也可以重复填写相同内容（填得不同会提示错误）；"
        "活动名称和日期都留空的行，归入上方的活动。",
        "三、“活动类型”使用“代码表”中的名称（常见写法如“政党协商会”也可识别）；日期写成 "
        "2023-07-05 或 2023年7月5日；“所属区域”填写区县名称或6位区划代码（只能填您管辖范围内的"
        "区域），也可留空并在上传时选择默认区域；“条线”填写新阶、党派、民族宗教、非公经济等，"
        "市级业务人员须填写本人负责的条线。",
        "四、“主办单位”“参加单位”填写单位全称或简称（如：市委统战部、市委网信办），"
        "主办单位有多个时用顿号分隔。",
        "五、“参加人员”须已在统战对象名册中登记，按姓名查找；名册中有同名的，请在“工作单位”列填写"
        "其工作单位。领导同志等不在名册中的人员，在“名册外”列填“是”，并在“身份/职务”列填写职务，"
        "如：市委常委、统战部部长。",
        "六、“角色”填写：出席并讲话、出席、主持、交流发言、参加、主讲、学员，留空为“参加”。"
        "参加人员按文件中的先后顺序记录；“说明”可填写发言题目等。",
        "七、只有活动、暂不列参加人员的，可在该活动第一行把参加人员和参加单位都留空。",
        "八、请勿合并单元格、勿使用公式；空行会被跳过。",
        f"九、支持 .xlsx、.xls、.csv（UTF-8 或 GBK 编码）格式，单个文件不超过 {MAX_UPLOAD_MB} MB。",
        "十、上传后系统先预览：逐行列出错误（按 Excel 行号）、提示和与已有活动重复的行；确认无误后"
        "再导入，所有无误的行一次写入，任何一行写入失败则全部不写入。与已有活动重复的，可选择跳过，"
        "或把尚未列入的参加人员加入已有活动。",
        "十一、第2行为示例，导入前请删除（保留也不会被导入）。",
    )

    def find_existing(self, actor: User, rows: list[RowResult]) -> None:
        find_existing(actor, cast(list[ActivityRow], rows))


ACTIVITIES = register(ActivityKind())
