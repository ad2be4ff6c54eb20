"""Pages of standing mechanisms (联席会议制度, 领导小组 …): the list, a mechanism's page (rules
document, member units with duties and liaisons, meetings with their agendas, the issue list by
state, the member units' duty reports), the forms that create and edit a mechanism and its member
units, and the endpoints that raise, schedule, close and carry over agenda items.

Staff who keep the mechanism (its region and line) write; leaders read; a member unit's liaison
reads their own unit's rows and raises issues and files duty reports for it. Every write goes
through a service: a refusal comes back as the service's Chinese sentence on the form, a
permission refusal as the 403 page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tongxin.core import access, versioning
from tongxin.core.models import Role, Unit, User
from tongxin.core.views.helpers import paginate, query_without_page, role_required
from tongxin.registry.views import error_text, form_errors
from tongxin.work import checks as work_checks
from tongxin.work.models import Activity
from tongxin.work.selectors_activities import activity_detail

from . import forms_mechanisms as forms
from . import selectors_mechanisms as selectors
from . import services_mechanisms as services
from .models import AgendaItem, AgendaState, Mechanism

mechanism_view = role_required(*access.CASE_ROLES)
HEADING = "机制与考核 · 工作机制"
FIX_BELOW = "未保存：请按下方提示修改后再提交。"
ACTION_UNKNOWN = "请选择要进行的操作：列入议程、办结或转下次。"
NOT_KEEPER = "只有负责本机制的业务人员可以办理此事项。"
A = AgendaState


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _require_keeper(user: User, mechanism: Mechanism) -> None:
    """403 with the service's sentence for read-only roles and liaisons, else NOT_KEEPER."""
    access.require_write(user, *work_checks.STAFF)
    if not selectors.keeps(user, mechanism):
        raise PermissionDenied(work_checks.NOT_YOURS)


def _detail_url(mechanism_id: int, anchor: str = "") -> str:
    url = reverse("mechanism_detail", args=[mechanism_id])
    return f"{url}#{anchor}" if anchor else url


# --- the list -------------------------------------------------------------------------------------


@mechanism_view
def mechanism_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.MechanismListForm(request.GET)
    page = paginate(request, selectors.mechanism_list(user, form.mechanism_filter()))
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "can_create": access.has_role(user, *work_checks.STAFF),
        "is_liaison": user.role == Role.LIAISON,
    }
    template = (
        "governance/_mechanism_rows.html" if _is_htmx(request) else "governance/mechanism_list.html"
    )
    return render(request, template, context)


# --- a mechanism's page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemAction:
    key: str
    label: str
    icon: str
    form: forms.AgendaActionForm
    is_open: bool = False


ACTION_LOOK: dict[str, tuple[str, str]] = {
    "schedule": ("列入议程", "bi-calendar-plus"),
    "close": ("办结", "bi-check2-circle"),
    "carry": ("转下次", "bi-arrow-right-circle"),
}
KEYS_BY_STATE: dict[str, tuple[str, ...]] = {
    A.PENDING: ("schedule",),
    A.SCHEDULED: ("close", "carry"),
}


def _item_actions(
    item: AgendaItem,
    meetings: list[Activity],
    bound: forms.AgendaActionForm | None,
    bound_key: str,
) -> list[ItemAction]:
    actions = []
    for key in KEYS_BY_STATE.get(item.state, ()):
        label, icon = ACTION_LOOK[key]
        if bound is not None and bound.item.pk == item.pk and bound_key == key:
            actions.append(ItemAction(key, label, icon, bound, is_open=True))
        else:
            form = forms.AGENDA_ACTIONS[key](item=item, meetings=meetings)
            actions.append(ItemAction(key, label, icon, form))
    return actions


def _detail(
    request: HttpRequest,
    mechanism: Mechanism,
    *,
    bound: forms.AgendaActionForm | None = None,
    bound_key: str = "",
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    keeper = selectors.keeps(user, mechanism)
    own = selectors.own_member(user, mechanism)
    meetings = selectors.meetings(user, mechanism)
    agenda = selectors.agenda(user, mechanism, meetings)

    def rows(items: list[AgendaItem]) -> list[tuple[AgendaItem, list[ItemAction]]]:
        return [(i, _item_actions(i, meetings, bound, bound_key) if keeper else []) for i in items]

    member_rows = selectors.members(user, mechanism)
    year = _year(request.GET.get("year"))
    duty_form = None
    if selectors.liaison_may_submit(user, own):
        assert own is not None
        duty_form = forms.DutySubmitForm(user, initial={"member": own.pk, "year": year})
        duty_form.fields["text"].widget.attrs["rows"] = 5
    may_raise = (keeper or own is not None) and not user.is_read_only
    context = {
        "mechanism": mechanism,
        "heading": HEADING,
        "keeper": keeper,
        "own": own,
        "is_liaison": user.role == Role.LIAISON,
        "members": member_rows,
        "agenda": agenda,
        "pending_rows": rows(agenda.pending),
        "meeting_rows": [(group, rows(group.items)) for group in agenda.meetings],
        "rules_openable": selectors.rules_document_openable(user, mechanism),
        "raise_form": forms.RaiseForm(user, mechanism, own) if may_raise else None,
        "duty_year": year,
        "duty_years": _year_choices(year),
        "duty_rows": selectors.duty_overview(user, mechanism, year, member_rows),
        "duty_form": duty_form,
        "can_add_meeting": keeper and access.can_use_activities(user),
    }
    return render(request, "governance/mechanism_detail.html", context, status=status)


def _year(raw: str | None) -> int:
    default = selectors.duty_year()
    try:
        year = int(raw or default)
    except ValueError:
        return default
    return year if 2000 <= year <= default + 1 else default


def _year_choices(chosen: int) -> list[int]:
    last = selectors.duty_year()
    return sorted({*range(last - 4, last + 1), chosen}, reverse=True)


@mechanism_view
def mechanism_detail(request: HttpRequest, mechanism_id: int) -> HttpResponse:
    return _detail(request, selectors.mechanism_detail(_user(request), mechanism_id))


# --- create and edit ------------------------------------------------------------------------------


def _form_page(
    request: HttpRequest, form: Any, *, title: str, intro: str, back_url: str, template: str
) -> HttpResponse:
    return render(
        request,
        template,
        {"form": form, "title": title, "intro": intro, "back_url": back_url, "heading": HEADING},
    )


@mechanism_view
def mechanism_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    work_checks.check_writer(user)
    form = forms.MechanismForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mechanism = services.mechanism_create(actor=user, **form.service_kwargs())
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request, f"已建立“{mechanism.name}”。请添加成员单位，并指定各单位的联络员。"
            )
            return redirect("mechanism_detail", mechanism_id=mechanism.pk)
    return _form_page(
        request,
        form,
        title="建立工作机制",
        intro="联席会议制度、领导小组等。带 * 的为必填项；成员单位在保存后添加。",
        back_url=reverse("mechanism_list"),
        template="governance/mechanism_form.html",
    )


@mechanism_view
def mechanism_edit(request: HttpRequest, mechanism_id: int) -> HttpResponse:
    user = _user(request)
    mechanism = selectors.mechanism_detail(user, mechanism_id)
    _require_keeper(user, mechanism)
    # The form and the service work on their own copy: a refused save leaves the page's untouched.
    form = forms.MechanismForm(
        user, request.POST or None, instance=Mechanism.objects.get(pk=mechanism.pk)
    )
    versioning.add_version_field(form, mechanism)
    if request.method == "POST" and form.is_valid():
        try:
            services.mechanism_update(
                actor=user,
                mechanism=Mechanism.objects.get(pk=mechanism.pk),
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("mechanism_detail", mechanism_id=mechanism.pk)
    return _form_page(
        request,
        form,
        title=f"编辑：{mechanism.name}",
        intro="带 * 的为必填项。已有会议的机制不能再更改所属区域和条线。",
        back_url=_detail_url(mechanism.pk),
        template="governance/mechanism_form.html",
    )


# --- member units ---------------------------------------------------------------------------------


def _member_page(
    request: HttpRequest, form: forms.MemberForm, mechanism: Mechanism, title: str
) -> HttpResponse:
    return render(
        request,
        "governance/mechanism_member_form.html",
        {
            "form": form,
            "member": form.member,
            "mechanism": mechanism,
            "title": title,
            "heading": HEADING,
            "back_url": _detail_url(mechanism.pk, "members"),
        },
    )


@mechanism_view
def member_add(request: HttpRequest, mechanism_id: int) -> HttpResponse:
    user = _user(request)
    mechanism = selectors.mechanism_detail(user, mechanism_id)
    _require_keeper(user, mechanism)
    form = forms.MemberForm(user, mechanism, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_add(actor=user, mechanism=mechanism, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"已添加成员单位：{member.unit.name}。")
            return redirect(_detail_url(mechanism.pk, "members"))
    return _member_page(request, form, mechanism, f"{mechanism.name}：添加成员单位")


@mechanism_view
def member_edit(request: HttpRequest, member_id: int) -> HttpResponse:
    user = _user(request)
    member = selectors.member_detail(user, member_id)
    mechanism = member.mechanism
    _require_keeper(user, mechanism)
    form = forms.MemberForm(user, mechanism, request.POST or None, member=member)
    versioning.add_version_field(form, member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(
                actor=user,
                member=selectors.member_detail(user, member.pk),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"已保存成员单位：{member.unit.name}。")
            return redirect(_detail_url(mechanism.pk, "members"))
    return _member_page(request, form, mechanism, f"{member.unit.name}：成员单位职责与联络员")


@require_GET
@mechanism_view
def liaison_options(request: HttpRequest, mechanism_id: int) -> HttpResponse:
    """The liaison choices of the unit picked on the member form (htmx swaps them in)."""
    user = _user(request)
    mechanism = selectors.mechanism_detail(user, mechanism_id)
    _require_keeper(user, mechanism)
    raw = request.GET.get("unit", "")
    unit = access.scope(user, Unit.objects.filter(pk=int(raw))).first() if raw.isdigit() else None
    form = forms.MemberForm(user, mechanism, {"unit": raw} if unit else None)
    return render(
        request,
        "governance/_mechanism_liaison_field.html",
        {"field": form["liaison"], "unit": unit},
    )


# --- the issue list -------------------------------------------------------------------------------


@mechanism_view
def agenda_raise(request: HttpRequest, mechanism_id: int) -> HttpResponse:
    """Raise an issue: a liaison for their own unit, keepers for any member unit."""
    user = _user(request)
    mechanism = selectors.mechanism_detail(user, mechanism_id)
    access.require_write(user, *work_checks.STAFF, Role.LIAISON)
    own = selectors.own_member(user, mechanism)
    if own is None and not selectors.keeps(user, mechanism):
        raise PermissionDenied(NOT_KEEPER)
    form = forms.RaiseForm(user, mechanism, own, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.agenda_raise(
                actor=user,
                member=data["raised_by"],
                title=data["title"],
                text_=data["text"],
                raised_on=data["raised_on"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request, f"已提出议题“{item.title}”，待负责本机制的业务人员列入会议议程。"
            )
            return redirect(_detail_url(mechanism.pk, "pending"))
    return render(
        request,
        "governance/agenda_form.html",
        {
            "form": form,
            "mechanism": mechanism,
            "own": own,
            "heading": HEADING,
            "back_url": _detail_url(mechanism.pk, "pending"),
        },
    )


def _perform(key: str, form: forms.AgendaActionForm, user: User) -> tuple[AgendaItem, str]:
    data, item = form.cleaned_data, form.item
    if key == "schedule":
        done = services.agenda_schedule(actor=user, item=item, meeting=data["meeting"])
        return done, f"已将“{done.title}”列入{forms.meeting_label(data['meeting'])}的议程。"
    if key == "close":
        done = services.agenda_close(actor=user, item=item, note=data["note"])
        return done, f"议题“{done.title}”已办结。"
    done = services.agenda_carry_over(
        actor=user, item=item, next_meeting=data["next_meeting"], note=data["note"]
    )
    return done, f"议题“{done.title}”已转入{forms.meeting_label(data['next_meeting'])}。"


@require_POST
@mechanism_view
def agenda_act(request: HttpRequest, agenda_item_id: int) -> HttpResponse:
    """列入议程, 办结 or 转下次, by the staff who keep the item's mechanism."""
    user = _user(request)
    item = selectors.agenda_item_detail(user, agenda_item_id)
    mechanism = item.mechanism
    back = redirect(_detail_url(mechanism.pk, "agenda"))
    key = request.POST.get("action", "")
    if key not in forms.AGENDA_ACTIONS:
        messages.error(request, ACTION_UNKNOWN)
        return back
    _require_keeper(user, mechanism)
    meetings = selectors.meetings(user, mechanism)
    form = forms.AGENDA_ACTIONS[key](request.POST, item=item, meetings=meetings)
    if not form.is_valid():
        messages.error(request, FIX_BELOW)
        return _detail(request, mechanism, bound=form, bound_key=key)
    try:
        done, said = _perform(key, form, user)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            # The item moved meanwhile (closed by someone else, say): the fresh page shows it.
            messages.error(request, error_text(exc))
            return back
        form_errors(form, exc)
        messages.error(request, FIX_BELOW)
        return _detail(request, mechanism, bound=form, bound_key=key)
    messages.success(request, said)
    return redirect(_detail_url(mechanism.pk, f"meeting-{item.meeting_id or done.meeting_id}"))


@require_POST
@mechanism_view
def meeting_settle(request: HttpRequest, activity_id: int) -> HttpResponse:
    """After a meeting: are all of its items closed or carried over? Says which are not."""
    user = _user(request)
    meeting = activity_detail(user, activity_id)
    access.require_write(user, *work_checks.STAFF)
    mechanism_id = meeting.mechanism_id
    if mechanism_id is not None and (
        access.scope(user, Mechanism.objects.filter(pk=mechanism_id)).exists()
    ):
        back = _detail_url(mechanism_id, f"meeting-{meeting.pk}")
    else:
        back = reverse("activity_detail", args=[meeting.pk])
    try:
        items = services.meeting_settle(actor=user, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(back)
    if items:
        messages.success(request, f"本次会议的 {len(items)} 项议题均已办结或转下次，议题闭环。")
    else:
        messages.info(request, "本次会议没有列入议题。")
    return redirect(back)
