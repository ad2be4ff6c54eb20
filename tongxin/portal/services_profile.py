"""本人申报: a person proposes changes to their own record or asks for a correction; staff of the
person's region (and line) approve or reject; approved changes go through the registry's services
with the approver as the actor, and their audit rows say "本人申报，审核人：…".

What a change request keeps (``ProfileRequest.changes`` / ``.before``), field by field:
- employer, position, title: the text;
- education: ``{"id": <CodeItem pk>, "name": "本科"}`` (or None for "not given");
- phone: ``{"masked": "139****0000", "sealed": <AES-GCM>}``: personal data stays encrypted at rest
  in the request as in the record; the before side keeps only the mask;
- honour (added, never replaced): ``{"title", "year", "level", "level_label", "issuer"}``.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from tongxin.core import access, audit, crypto, ids, versioning
from tongxin.core.models import AuditAction, User
from tongxin.registry import services as registry
from tongxin.registry.models import CodeItem, CodeKind, Honour, Level, Person

from . import profile_export
from .messaging import text_person
from .models import PortalAccount, ProfileRequest, ProfileRequestKind, ReviewStatus

TEXT_FIELDS = ("employer", "position", "title")
MAX_LENGTHS = {"employer": 128, "position": 128, "title": 64}
PHONE_CONTEXT = "portal.profilerequest.changes.phone"

NOTHING_CHANGED = "您填写的内容与现有信息相同，没有需要变更的项目。请修改至少一项后再提交。"
PENDING_EXISTS = (
    "您已有一份信息变更申报正在审核中，请等待审核结果；如需改动，请先撤回那份申报再重新提交。"
)
EMAIL_INVALID = "邮箱地址格式不正确，请按 name@example.com 的格式填写；不需要邮件通知可留空。"
EMAIL_MAX = 254  # PortalAccount.email's column (an EmailField)
CORRECTION_EMPTY = "请写明哪项信息有误、正确的内容是什么。"
TOO_LONG = "内容太长，请精简到 {n} 字以内。"
EDUCATION_UNKNOWN = "请从列表中选择学历。"
PHONE_INVALID = "请填写正确的手机号码（11位）或带区号的固定电话。"
HONOUR_TITLE_REQUIRED = "请填写荣誉名称；不新增荣誉请把荣誉各项都留空。"
HONOUR_YEAR_INVALID = "请填写获得荣誉的年份，如 2023。"
HONOUR_LEVEL_INVALID = "请从列表中选择荣誉的层级。"
NOT_PENDING = "该申报已处理或已撤回，不能再撤回。"
ALREADY_DECIDED = "该申报已由{who}于{when}处理（{status}），无需再次处理。请刷新页面查看结果。"
ALREADY_WITHDRAWN = "申报人已撤回该申报，无需处理。"
REASON_REQUIRED = "请填写不通过的理由，申报人会看到它。"
REPLY_REQUIRED = "请填写给申报人的答复，说明已如何处理。"
WRONG_KIND = "该申报的类型不能这样处理，请刷新页面后重试。"
CORRECTION_TOO_LONG = 1000
REASON_MAX = 500


def approver_note(actor: User) -> str:
    return f"本人申报，审核人：{actor.name or actor.username}"


# --- what a person proposes -----------------------------------------------------------------------


def _clean_text(name: str, value: str) -> str:
    cleaned = " ".join(str(value).split())
    if len(cleaned) > MAX_LENGTHS[name]:
        raise ValidationError({name: TOO_LONG.format(n=MAX_LENGTHS[name])})
    return cleaned


def _clean_phone(value: str) -> str:
    checked = ids.check_phone(value)
    if not checked.ok:
        raise ValidationError({"phone": PHONE_INVALID})
    return checked.number


def _education(value: Any) -> CodeItem | None:
    if value in (None, "", 0):
        return None
    try:
        return CodeItem.objects.get(pk=int(value), kind=CodeKind.EDUCATION, is_active=True)
    except (CodeItem.DoesNotExist, TypeError, ValueError):
        raise ValidationError({"education": EDUCATION_UNKNOWN}) from None


def _code(item: CodeItem | None) -> dict[str, Any] | None:
    return {"id": item.pk, "name": item.name} if item is not None else None


def _honour(value: dict[str, Any]) -> dict[str, Any] | None:
    """The honour to add, or None when every part of it was left empty."""
    title = " ".join(str(value.get("title") or "").split())
    issuer = " ".join(str(value.get("issuer") or "").split())
    level = str(value.get("level") or "")
    year_raw = value.get("year")
    if not (title or issuer or level or year_raw not in (None, "")):
        return None
    if not title:
        raise ValidationError({"honour_title": HONOUR_TITLE_REQUIRED})
    if len(title) > 128:
        raise ValidationError({"honour_title": TOO_LONG.format(n=128)})
    if len(issuer) > 64:
        raise ValidationError({"honour_issuer": TOO_LONG.format(n=64)})
    if level and level not in Level.values:
        raise ValidationError({"honour_level": HONOUR_LEVEL_INVALID})
    year: int | None = None
    if year_raw not in (None, ""):
        try:
            year = int(year_raw)
        except (TypeError, ValueError):
            raise ValidationError({"honour_year": HONOUR_YEAR_INVALID}) from None
        if not 1949 <= year <= timezone.localdate().year:
            raise ValidationError({"honour_year": HONOUR_YEAR_INVALID})
    return {
        "title": title,
        "year": year,
        "level": level,
        "level_label": Level(level).label if level else "",
        "issuer": issuer,
    }


def proposed_changes(
    person: Person, proposal: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(changes, before) of ``proposal``: only the fields whose new value differs from the record.
    A key left out (or None) of ``proposal`` means "not touched"."""
    changes: dict[str, Any] = {}
    before: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if proposal.get(name) is None:
            continue
        value = _clean_text(name, proposal[name])
        if value != getattr(person, name):
            changes[name], before[name] = value, getattr(person, name)
    phone = str(proposal.get("phone") or "").strip()
    if phone:
        number = _clean_phone(phone)
        if number != person.phone:
            changes["phone"] = {
                "masked": ids.mask_phone(number),
                "sealed": crypto.encrypt(number, context=PHONE_CONTEXT),
            }
            before["phone"] = {"masked": person.phone_masked} if person.phone else None
    if "education" in proposal and proposal["education"] is not None:
        item = _education(proposal["education"])
        if item is not None and item.pk != person.education_id:
            changes["education"] = _code(item)
            before["education"] = _code(person.education)
    if proposal.get("honour"):
        honour = _honour(proposal["honour"])
        if honour is not None:
            changes["honour"] = honour
            before["honour"] = None
    return changes, before


def _locked_person(account: PortalAccount) -> Person:
    # The person's row serializes two submissions of the same person (one pending at a time).
    return (
        Person.objects.select_for_update(of=("self",))
        .select_related("education")
        .get(pk=account.person_id)
    )


@transaction.atomic
def change_submit(
    *, account: PortalAccount, proposal: dict[str, Any], note: str = ""
) -> ProfileRequest:
    """File a change request for the account's own record. Refuses a proposal that changes
    nothing, and a second one while the first waits."""
    person = _locked_person(account)
    if ProfileRequest.objects.filter(
        person=person, kind=ProfileRequestKind.CHANGE, status=ReviewStatus.PENDING
    ).exists():
        raise ValidationError(PENDING_EXISTS)
    changes, before = proposed_changes(person, proposal)
    if not changes:
        raise ValidationError(NOTHING_CHANGED)
    note = note.strip()
    if len(note) > CORRECTION_TOO_LONG:
        raise ValidationError({"note": TOO_LONG.format(n=CORRECTION_TOO_LONG)})
    return ProfileRequest.objects.create(
        person=person, kind=ProfileRequestKind.CHANGE, changes=changes, before=before, note=note
    )


@transaction.atomic
def correction_submit(*, account: PortalAccount, text: str) -> ProfileRequest:
    """Ask in words for a correction of something staff keep (a wrong category, a wrong date…)."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": CORRECTION_EMPTY})
    if len(text) > CORRECTION_TOO_LONG:
        raise ValidationError({"text": TOO_LONG.format(n=CORRECTION_TOO_LONG)})
    return ProfileRequest.objects.create(
        person_id=account.person_id, kind=ProfileRequestKind.CORRECTION, note=text
    )


@transaction.atomic
def request_withdraw(*, account: PortalAccount, request_id: int) -> ProfileRequest:
    locked = (
        ProfileRequest.objects.select_for_update()
        .filter(pk=request_id, person_id=account.person_id)
        .first()
    )
    if locked is None:
        raise Http404(access.NOT_FOUND)
    if locked.status != ReviewStatus.PENDING:
        raise ValidationError(NOT_PENDING)
    versioning.claim(locked)
    locked.status = ReviewStatus.WITHDRAWN
    locked.save(update_fields=["status"])
    return locked


# --- what staff decide ----------------------------------------------------------------------------


def _decision_lock(
    actor: User, profile_request: ProfileRequest, expected_version: int | None
) -> tuple[ProfileRequest, Person]:
    """The request locked for the decision, and its person fetched within the actor's scope
    (404 outside it). A request already decided is refused, naming who decided it and when."""
    access.require_write(actor, *access.STAFF_ROLES)
    person = access.get_for_user(actor, Person.objects.all(), pk=profile_request.person_id)
    locked = ProfileRequest.objects.select_for_update().get(pk=profile_request.pk)
    if locked.status == ReviewStatus.WITHDRAWN:
        raise ValidationError(ALREADY_WITHDRAWN)
    if locked.status != ReviewStatus.PENDING:
        who = locked.reviewed_by.name if locked.reviewed_by else "他人"
        when = (
            timezone.localtime(locked.reviewed_at).strftime("%Y-%m-%d %H:%M")
            if locked.reviewed_at
            else ""
        )
        raise ValidationError(
            ALREADY_DECIDED.format(who=who, when=when, status=locked.get_status_display())
        )
    versioning.claim(locked, expected_version)
    return locked, person


def _check_reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": TOO_LONG.format(n=REASON_MAX)})
    return reason


def _close(locked: ProfileRequest, actor: User, status: str, reason: str) -> None:
    locked.decide(actor=actor, status=status, reason=reason)


def _apply(actor: User, person: Person, changes: dict[str, Any]) -> None:
    fields: dict[str, Any] = {name: changes[name] for name in TEXT_FIELDS if name in changes}
    if "phone" in changes:
        fields["phone"] = crypto.decrypt(changes["phone"]["sealed"], context=PHONE_CONTEXT)
    if "education" in changes:
        code = changes["education"]
        fields["education"] = (
            CodeItem.objects.get(pk=code["id"], kind=CodeKind.EDUCATION) if code else None
        )
    if fields:
        registry.person_update(actor=actor, person=person, **fields)
    honour = changes.get("honour")
    if honour:
        registry.detail_add(
            actor=actor,
            model=Honour,
            person=person,
            title=honour["title"],
            year=honour.get("year"),
            level=honour.get("level") or "",
            issuer=honour.get("issuer") or "",
        )


@transaction.atomic
def request_approve(
    *,
    actor: User,
    profile_request: ProfileRequest,
    reason: str = "",
    expected_version: int | None = None,
) -> ProfileRequest:
    """Apply the proposed changes through the registry's services, as ``actor``: the person's
    history then shows them with "本人申报，审核人：…"."""
    reason = _check_reason(reason)
    locked, person = _decision_lock(actor, profile_request, expected_version)
    if locked.kind != ProfileRequestKind.CHANGE:
        raise ValidationError(WRONG_KIND)
    # A view already acts as its user (middleware, with the IP); a call from elsewhere may not.
    acting = audit.acting_as(actor) if audit.current_actor() != actor else contextlib.nullcontext()
    with acting, audit.noting(approver_note(actor)):
        _apply(actor, person, locked.changes)
    _close(locked, actor, ReviewStatus.APPROVED, reason)
    text_person(person, "您申报的个人信息变更已审核通过，已更新到您的信息中。")
    return locked


@transaction.atomic
def request_reject(
    *,
    actor: User,
    profile_request: ProfileRequest,
    reason: str,
    expected_version: int | None = None,
) -> ProfileRequest:
    reason = _check_reason(reason)
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    locked, person = _decision_lock(actor, profile_request, expected_version)
    if locked.kind != ProfileRequestKind.CHANGE:
        raise ValidationError(WRONG_KIND)
    _close(locked, actor, ReviewStatus.REJECTED, reason)
    text_person(person, f"您申报的个人信息变更未通过审核：{locked.review_reason}")
    return locked


@transaction.atomic
def correction_handle(
    *,
    actor: User,
    profile_request: ProfileRequest,
    reply: str,
    expected_version: int | None = None,
) -> ProfileRequest:
    """Mark a correction request handled, with the reply the person reads. Staff correct the
    record itself on the person's page, as any edit (the request says what, not how)."""
    reply = _check_reason(reply)
    if not reply:
        raise ValidationError({"reason": REPLY_REQUIRED})
    locked, person = _decision_lock(actor, profile_request, expected_version)
    if locked.kind != ProfileRequestKind.CORRECTION:
        raise ValidationError(WRONG_KIND)
    _close(locked, actor, ReviewStatus.APPROVED, reply)
    text_person(person, "您提交的信息更正申请已处理，请登录个人门户查看答复。")
    return locked


# --- the person's copy of their own data ----------------------------------------------------------


@dataclass(frozen=True)
class OwnDataFile:
    name: str
    content_type: str
    content: bytes


@transaction.atomic
def own_data_export(*, account: PortalAccount, fmt: str = "json") -> OwnDataFile:
    """The person's own data as a file to download (个人信息保护法 第四十五条; an unknown ``fmt``
    is JSON). Its rows are read and the EXPORT audit row, on the person's record and naming what
    the file holds, written in one transaction: no download without its audit row, and no audit
    row for a read that failed."""
    if fmt not in profile_export.EXPORT_FORMATS:
        fmt = "json"
    data = profile_export.export_data(account)
    counts = profile_export.part_counts(data)
    audit.record(
        AuditAction.EXPORT,
        obj=account.person,
        actor=None,
        actor_username=f"本人（门户账号 {account.pk}）",
        detail=f"本人通过个人门户下载本人信息（{fmt}）",
        changes={"格式": [None, fmt], **{part: [None, n] for part, n in counts.items()}},
    )
    name, content_type, content = profile_export.render(data, name=account.person.name, fmt=fmt)
    return OwnDataFile(name, content_type, content)


# --- the person's own settings ------------------------------------------------------------------


def _clean_email(raw: str) -> str:
    """The address as stored: trimmed, its domain in lower case (Example.COM and example.com are
    one mailbox; the local part may not be, so it is kept as typed). Empty stays empty."""
    email = (raw or "").strip()
    if not email:
        return ""
    local, _, domain = email.rpartition("@")
    email = f"{local}@{domain.lower()}" if local else email
    if len(email) > EMAIL_MAX:
        raise ValidationError({"email": EMAIL_INVALID})
    try:
        EmailValidator(message=EMAIL_INVALID)(email)
    except ValidationError:
        raise ValidationError({"email": EMAIL_INVALID}) from None
    return email


@transaction.atomic
def account_set_email(*, account: PortalAccount, email: str) -> PortalAccount:
    """The address notices sent with email reach the person at (services_notices): their own
    setting, not part of the registry record, so it takes no review. Empty clears it. The change
    is audited by the account's signals, as the person's own."""
    email = _clean_email(email)
    locked = PortalAccount.objects.select_for_update().get(pk=account.pk)
    if locked.email != email:
        locked.email = email
        locked.version += 1
        locked.save(update_fields=["email", "version"])
    account.email, account.version = locked.email, locked.version
    return locked
