"""The meeting brief (会议新闻稿): a news-style draft of an activity, in the shape of the
department's own reports (seed 000): date and title, who attended and spoke, what the meeting
said, who gave exchange speeches (in their order), what it adopted, who attended, who chaired and
who else took part.

Every name in it comes from the activity's record (its participants with their roles, titles and
order, its adopted documents), read through the user's scope: a liaison's brief names units and
officials, never people of the registry. Nothing is typed here but the joining words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tongxin.core import access
from tongxin.core.models import User
from tongxin.governance.models import Mechanism, MemberUnit
from tongxin.work.models import Activity, Output, ParticipantRole, Participation

LIST_SEP = "、"
# A meeting is "召开"; a class, a tour or a forum is "举行".
MEETING_WORDS = ("会", "会议")
# A title that already says it ("…培训班开班") keeps its own verb.
ENDINGS = ("召开", "举行", "开班", "开幕")
BRIEF_NOTE = (
    "根据本活动的记录自动生成：日期、名称、参加人员及其角色和顺序、审议通过的文件。"
    "如需修改，请先修改活动记录（参加人员的角色、职务和排序），再重新生成。"
)


@dataclass(frozen=True)
class Brief:
    title: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def is_meeting(activity: Activity) -> bool:
    return any(
        name.endswith(MEETING_WORDS) for name in (activity.type.name, activity.title.strip())
    )


def date_phrase(start: dt.date, end: dt.date | None) -> str:
    """7月5日; 7月5日至6日; 7月30日至8月2日; a span across years names both years."""
    head = f"{start.month}月{start.day}日"
    if end is None or end == start:
        return head
    if end.year != start.year:
        return f"{start.year}年{head}至{end.year}年{end.month}月{end.day}日"
    if end.month != start.month:
        return f"{head}至{end.month}月{end.day}日"
    return f"{head}至{end.day}日"


def who(row: Participation) -> str:
    """A person with their title before the name ("市委常委、统战部部长朱莉"); a unit with the
    title after it ("市委宣传部分管负责同志")."""
    if row.unit is not None:
        return (row.unit.short_name or row.unit.name) + row.title
    name = row.person.name if row.person is not None else row.name
    return row.title + name


def names(rows: list[Participation]) -> str:
    return LIST_SEP.join(who(row) for row in rows)


def sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith(("。", "！", "？", "”", "；")) else text + "。"


def _visible_rows(user: User, activity: Activity) -> dict[str, list[Participation]]:
    rows = access.scope(
        user, Participation.objects.filter(activity=activity).select_related("person", "unit")
    ).order_by("order", "id")
    by_role: dict[str, list[Participation]] = {role: [] for role in ParticipantRole.values}
    for row in rows:
        by_role[row.role].append(row)
    return by_role


def _member_group(
    user: User, activity: Activity, by_role: dict[str, list[Participation]]
) -> tuple[str, set[int]]:
    """When every member unit of the meeting's mechanism not named elsewhere in the brief took
    part, the brief says "<mechanism>各成员单位" instead of listing them (as seed 000 does).
    Answers the phrase and the units it stands for (none when the rule does not hold)."""
    if activity.mechanism_id is None:
        return "", set()
    mechanism = access.scope(user, Mechanism.objects.filter(pk=activity.mechanism_id)).first()
    if mechanism is None:
        return "", set()
    members = set(
        access.scope(user, MemberUnit.objects.filter(mechanism=mechanism)).values_list(
            "unit_id", flat=True
        )
    )
    named = {
        row.unit_id
        for role, rows in by_role.items()
        if role != ParticipantRole.TAKES_PART
        for row in rows
        if row.unit_id
    }
    taking_part = {row.unit_id for row in by_role[ParticipantRole.TAKES_PART] if row.unit_id}
    grouped = members - named
    if len(members) < 2 or not grouped or not grouped <= taking_part:
        return "", set()
    return f"{mechanism.name}各成员单位", grouped


def _others(user: User, activity: Activity, by_role: dict[str, list[Participation]]) -> str:
    phrase, grouped = _member_group(user, activity, by_role)
    items: list[str] = []
    for row in by_role[ParticipantRole.TAKES_PART]:
        if row.unit_id in grouped:
            if phrase:
                items.append(phrase)
                phrase = ""
            continue
        items.append(who(row))
    return LIST_SEP.join(items)


def activity_brief(user: User, activity: Activity) -> Brief:
    """The news draft of ``activity`` as ``user`` may see it (the caller fetched the activity
    through access.get_for_user)."""
    by_role = _visible_rows(user, activity)
    noun = "会议" if is_meeting(activity) else "活动"
    verb = "召开" if noun == "会议" else "举行"
    title = activity.title.strip()
    for ending in ENDINGS:
        if title.endswith(ending) and len(title) > len(ending):
            title, verb = title[: -len(ending)], ending
            break

    lead = f"{date_phrase(activity.date, activity.end_date)}，{title}"
    if activity.place:
        lead += f"在{activity.place}"
    lead += verb
    if by_role[ParticipantRole.SPEAKS]:
        lead += f"，{names(by_role[ParticipantRole.SPEAKS])}出席{noun}并讲话"
    paragraphs = [sentence(lead)]

    if activity.summary.strip():
        paragraphs.append(sentence(activity.summary))

    proceedings = []
    if by_role[ParticipantRole.LECTURES]:
        proceedings.append(f"{names(by_role[ParticipantRole.LECTURES])}作专题授课。")
    if by_role[ParticipantRole.EXCHANGE]:
        proceedings.append(f"会上，{names(by_role[ParticipantRole.EXCHANGE])}作交流发言。")
    adopted = list(
        access.scope(user, Output.objects.filter(adopted_at=activity)).order_by("date", "id")
    )
    if adopted:
        documents = "".join(f"《{o.title}》" for o in adopted)
        proceedings.append(f"{noun}{'还' if proceedings else ''}审议通过了{documents}。")
    if proceedings:
        paragraphs.append("".join(proceedings))

    roles = []
    if by_role[ParticipantRole.ATTENDS]:
        roles.append(f"{names(by_role[ParticipantRole.ATTENDS])}出席{noun}")
    if by_role[ParticipantRole.CHAIRS]:
        roles.append(f"{names(by_role[ParticipantRole.CHAIRS])}主持{noun}")
    closing = "，".join(roles)
    others = _others(user, activity, by_role)
    if others:
        closing += ("；" if closing else "") + f"{others}等参加{noun}"
    trainees = len(by_role[ParticipantRole.TRAINEE])
    if trainees:
        closing += ("；" if closing else "") + f"共有{trainees}名学员参加"
    elif activity.headcount:
        closing += ("；" if closing else "") + f"共{activity.headcount}人参加"
    if closing:
        paragraphs.append(sentence(closing))
    return Brief(title=title + verb, paragraphs=tuple(paragraphs))
