"""The person's own data as one document (个人信息保护法 第四十五条: a copy of what is kept about
oneself): what goes in it, and its forms, JSON or a spreadsheet with one sheet per part. The
download itself, read and audited in one transaction, is services_profile.own_data_export."""

from __future__ import annotations

import io
import json
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from tongxin.core import tabular
from tongxin.work.models import Participation

from .models import JoinApplication, PortalAccount, ProfileRequest, Signup, Submission
from .selectors_profile import change_rows, own_person, own_requests

EXPORT_FORMAT = "tongxin-portal-export/1"
EXPORT_NOTE = "本文件为您在同心平台中的个人信息副本。身份证号已部分隐藏，如需核对请联系工作人员。"


def _date(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return str(value.isoformat())


def _request_out(r: ProfileRequest) -> dict[str, Any]:
    return {
        "id": r.pk,
        "kind": r.get_kind_display(),
        "status": r.get_status_display(),
        "submitted_at": _date(r.submitted_at),
        "changes": {
            row.label: {"before": row.before, "after": row.after} for row in change_rows(r)
        },
        "note": r.note,
        "reviewed_at": _date(r.reviewed_at),
        "review_reason": r.review_reason,
    }


def export_data(account: PortalAccount) -> dict[str, Any]:
    """Everything Tongxin keeps about the account's person that the person may have a copy of,
    read for this person only (个人信息保护法 第四十五条)."""
    person = own_person(account)
    participations = (
        Participation.objects.filter(person=person)
        .select_related("activity")
        .order_by("-activity__date", "id")
    )
    submissions = Submission.objects.filter(person=person).order_by("-submitted_at", "-id")
    signups = (
        Signup.objects.filter(person=person)
        .select_related("opening__activity")
        .order_by("-signed_up_at", "-id")
    )
    joins = (
        JoinApplication.objects.filter(person=person)
        .select_related("organization")
        .order_by("-submitted_at", "-id")
    )
    return {
        "format": EXPORT_FORMAT,
        "exported_at": _date(timezone.now()),
        "note": EXPORT_NOTE,
        "record": {
            "name": person.name,
            "gender": person.get_gender_display(),
            "birth_date": _date(person.birth_date),
            "id_number": person.id_number_masked,
            "phone": person.phone,
            "ethnicity": str(person.ethnicity) if person.ethnicity_id else "",
            "religion": str(person.religion) if person.religion_id else "",
            "political_status": str(person.political_status or ""),
            "education": str(person.education or ""),
            "title": person.title,
            "employer": person.employer,
            "position": person.position,
            "region": person.region.name,
            "categories": [c.name for c in person.categories.all()],
            "stratum_group": str(person.stratum_group) if person.stratum_group_id else "",
            "is_representative": person.is_representative,
            "political_performance": person.political_performance,
            "honours": [
                {
                    "title": h.title,
                    "year": h.year,
                    "level": h.get_level_display(),
                    "issuer": h.issuer,
                }
                for h in person.honours.all()
            ],
            "political_arrangements": [
                {
                    "kind": a.kind.name,
                    "level": a.get_level_display(),
                    "term": a.term,
                    "role": a.role,
                    "start_year": a.start_year,
                    "end_year": a.end_year,
                }
                for a in person.arrangements.all()
            ],
        },
        "portal_account": {
            "phone": account.phone,
            "email": account.email,
            "created_at": _date(account.created_at),
            "last_login_at": _date(account.last_login_at),
        },
        "memberships": [
            {
                "organization": m.organization.name,
                "role": m.role,
                "term_start": _date(m.term_start),
                "term_end": _date(m.term_end),
            }
            for m in person.memberships.all()
        ],
        "participations": [
            {
                "activity": p.activity.title,
                "date": _date(p.activity.date),
                "place": p.activity.place,
                "role": p.get_role_display(),
            }
            for p in participations
        ],
        "submissions": [
            {
                "kind": s.get_kind_display(),
                "title": s.title,
                "text": s.text,
                "status": s.get_status_display(),
                "submitted_at": _date(s.submitted_at),
                "answer": s.answer,
                "rating": s.get_rating_display() if s.rating else "",
            }
            for s in submissions
        ],
        "signups": [
            {
                "activity": s.opening.activity.title,
                "date": _date(s.opening.activity.date),
                "status": s.get_status_display(),
                "signed_up_at": _date(s.signed_up_at),
                "checked_in_at": _date(s.checked_in_at),
            }
            for s in signups
        ],
        "join_applications": [
            {
                "organization": j.organization.name,
                "status": j.get_status_display(),
                "submitted_at": _date(j.submitted_at),
                "review_reason": j.review_reason,
            }
            for j in joins
        ],
        "profile_requests": [_request_out(r) for r in own_requests(account)],
        "consents": [
            {"version": c.version, "accepted_at": _date(c.accepted_at)}
            for c in account.consents.order_by("accepted_at")
        ],
    }


# The download as a spreadsheet: one sheet per part, Chinese headings for the keys above.
EXPORT_LABELS: dict[str, tuple[str, dict[str, str]]] = {
    "record": (
        "基本信息",
        {
            "name": "姓名",
            "gender": "性别",
            "birth_date": "出生日期",
            "id_number": "身份证号（部分隐藏）",
            "phone": "手机号码",
            "ethnicity": "民族",
            "religion": "宗教信仰",
            "political_status": "政治面貌",
            "education": "学历",
            "title": "职称",
            "employer": "工作单位",
            "position": "职务",
            "region": "所属区域",
            "categories": "人员类别",
            "stratum_group": "新阶类别",
            "is_representative": "代表人士",
            "political_performance": "主要政治表现",
        },
    ),
    "honours": ("荣誉", {"title": "荣誉", "year": "年度", "level": "层级", "issuer": "授予单位"}),
    "political_arrangements": (
        "政治安排",
        {
            "kind": "类别",
            "level": "层级",
            "term": "届次",
            "role": "职务",
            "start_year": "起始年",
            "end_year": "截止年",
        },
    ),
    "portal_account": (
        "门户账号",
        {
            "phone": "登录手机号",
            "email": "电子邮箱",
            "created_at": "开通时间",
            "last_login_at": "最近登录",
        },
    ),
    "memberships": (
        "参加的组织",
        {"organization": "组织", "role": "职务", "term_start": "任期开始", "term_end": "任期结束"},
    ),
    "participations": (
        "参加的活动",
        {"activity": "活动", "date": "日期", "place": "地点", "role": "角色"},
    ),
    "submissions": (
        "网上反映",
        {
            "kind": "类别",
            "title": "标题",
            "text": "内容",
            "status": "状态",
            "submitted_at": "提交时间",
            "answer": "答复",
            "rating": "评价",
        },
    ),
    "signups": (
        "活动报名",
        {
            "activity": "活动",
            "date": "日期",
            "status": "状态",
            "signed_up_at": "报名时间",
            "checked_in_at": "签到时间",
        },
    ),
    "join_applications": (
        "入会申请",
        {
            "organization": "组织",
            "status": "状态",
            "submitted_at": "申请时间",
            "review_reason": "审核意见",
        },
    ),
    "profile_requests": (
        "本人申报",
        {
            "id": "编号",
            "kind": "类型",
            "status": "状态",
            "submitted_at": "提交时间",
            "changes": "申报内容",
            "note": "说明",
            "reviewed_at": "审核时间",
            "review_reason": "审核意见",
        },
    ),
    "consents": ("隐私声明同意记录", {"version": "版本", "accepted_at": "同意时间"}),
}


EXPORT_FORMATS = {"json": "application/json", "xlsx": tabular.XLSX}


def _cell(value: Any) -> str:
    if isinstance(value, dict):
        return "；".join(
            f"{k}：{v['before'] or '（空）'} → {v['after']}" if isinstance(v, dict) else f"{k}：{v}"
            for k, v in value.items()
        )
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return tabular.neutralize(tabular.cell_text(value))


def _xlsx(data: dict[str, Any]) -> bytes:
    book = Workbook(write_only=True)
    record = dict(data["record"])
    parts = {
        **{k: record.pop(k) for k in ("honours", "political_arrangements")},
        **{k: v for k, v in data.items() if isinstance(v, list | dict) and k != "record"},
    }
    for key, (title, labels) in EXPORT_LABELS.items():
        sheet = book.create_sheet(title)
        value = record if key == "record" else parts.get(key)
        if isinstance(value, dict):
            sheet.append(["项目", "内容"])
            for name, label in labels.items():
                sheet.append([label, _cell(value.get(name))])
        else:
            sheet.append(list(labels.values()))
            for row in value or []:
                sheet.append([_cell(row.get(name)) for name in labels])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def part_counts(data: dict[str, Any]) -> dict[str, int]:
    """How many rows each listed part of ``data`` holds, by its sheet's title (for the audit row:
    what this download carried)."""
    record = data["record"]
    counts = {}
    for key, (title, _labels) in EXPORT_LABELS.items():
        value = record.get(key) if key in ("honours", "political_arrangements") else data.get(key)
        if isinstance(value, list):
            counts[title] = len(value)
    return counts


def render(data: dict[str, Any], *, name: str, fmt: str) -> tuple[str, str, bytes]:
    """(file name, content type, content) of ``data`` as ``fmt`` (json or xlsx)."""
    stamp = timezone.localdate().strftime("%Y%m%d")
    filename = f"我的信息-{name}-{stamp}.{fmt}"
    if fmt == "xlsx":
        return filename, EXPORT_FORMATS[fmt], _xlsx(data)
    return filename, EXPORT_FORMATS[fmt], json.dumps(data, ensure_ascii=False, indent=2).encode()
