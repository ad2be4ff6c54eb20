"""People: the list with search, filters and chosen columns; the detail page with every section
and the change history; create, edit, archive, restore, merge and reveal."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tongxin.core import access, versioning
from tongxin.core.models import User
from tongxin.core.views.helpers import paginate, query_without_page
from tongxin.work.selectors_timeline import LIMIT, person_timeline

from . import forms, history, selectors, services
from .models import Person
from .views import error_text, flash_errors, form_errors, registry_view, require_editor

MERGE_ARCHIVED = "只能合并两条未归档的记录。已归档的记录请先恢复。"
NOT_ARCHIVED = "该记录未归档，无需恢复。"
ALREADY_ARCHIVED = "该记录已归档。"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@registry_view
def person_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.PersonListForm(user, request.GET)
    page = paginate(
        request, selectors.person_list(user, form.person_filter()), size=form.page_size()
    )
    columns = form.columns()
    people = list(page.object_list)
    context = {
        "form": form,
        "page": page,
        "columns": columns,
        "chosen": {c.key for c in columns},
        "rows": [(p, [c.value(p) for c in columns]) for p in people],
        "query": query_without_page(request),
        "can_edit": access.can_edit_registry(user),
    }
    template = "registry/_person_rows.html" if request.htmx else "registry/person_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _detail_context(user: User, person: Person, all_work: bool = False) -> dict[str, object]:
    return {
        "person": person,
        "timeline": person_timeline(user, person, limit=None if all_work else LIMIT),
        "memberships": selectors.person_memberships(user, person),
        "arrangements": person.arrangements.select_related("kind"),
        "honours": person.honours.all(),
        "reviews": person.reviews.all(),
        "history": history.person_history(user, person),
        "can_edit": access.can_edit_registry(user),
        "can_reveal": access.can_reveal(user),
        "beliefs": access.can_see_beliefs(user),
        "arrangement_form": forms.ArrangementForm(),
        "honour_form": forms.HonourForm(),
        "review_form": forms.ReviewForm(person=person),
        "membership_form": forms.MembershipForm(user),
        "archive_form": forms.ArchiveForm(),
    }


@registry_view
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    user = _user(request)
    person = selectors.person_detail(user, person_id)
    context = _detail_context(user, person, all_work=request.GET.get("work") == "all")
    return render(request, "registry/person_detail.html", context)


@require_POST
@registry_view
def person_reveal(request: HttpRequest, person_id: int) -> HttpResponse:
    """The full ID number and phone, audited. htmx swaps them into the page; without htmx the
    detail page is shown with them."""
    user = _user(request)
    person = selectors.person_detail(user, person_id)
    try:
        revealed = services.person_reveal(actor=user, person=person)
    except PermissionDenied as exc:
        if request.htmx:  # type: ignore[attr-defined]
            raise
        messages.error(request, str(exc))
        return redirect("person_detail", person_id=person.pk)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "registry/_identity.html", {"person": person, "revealed": revealed})
    context = _detail_context(user, person) | {"revealed": revealed}
    return render(request, "registry/person_detail.html", context)


def _save_person(
    request: HttpRequest, form: forms.PersonForm, person: Person | None
) -> Person | None:
    user = _user(request)
    data = form.service_kwargs()
    tag_names = data.pop("tag_names")
    try:
        # Tags are created on the way: they go with the person or not at all.
        with transaction.atomic():
            tags = services.tags_from_names(tag_names)
            if person is None:
                person = services.person_create(actor=user, tags=tags, **data)
            else:
                person = services.person_update(actor=user, person=person, tags=tags, **data)
    except ValidationError as exc:
        form_errors(form, exc)
        return None
    if data.get("id_number"):
        for warning in services.check_identity(person.id_number, "").warnings:
            messages.warning(request, warning)
    return person


@registry_view
def person_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require_editor(user)
    form = forms.PersonForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = _save_person(request, form, None)
        if person is not None:
            messages.success(request, f"已新增统战对象“{person.name}”。")
            return redirect("person_detail", person_id=person.pk)
    return render(
        request,
        "registry/person_form.html",
        {"form": form, "title": "新增统战对象", "back_url": reverse("person_list")},
    )


@registry_view
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    user = _user(request)
    person = selectors.person_detail(user, person_id)
    require_editor(user)
    form = forms.PersonForm(user, request.POST or None, person=person)
    versioning.add_version_field(form, person)
    if request.method == "POST" and form.is_valid():
        saved = _save_person(request, form, person)
        if saved is not None:
            messages.success(request, "已保存。")
            return redirect("person_detail", person_id=saved.pk)
    return render(
        request,
        "registry/person_form.html",
        {
            "form": form,
            "person": person,
            "title": f"编辑：{person.name}",
            "back_url": reverse("person_detail", args=[person.pk]),
        },
    )


@require_POST
@registry_view
def person_archive(request: HttpRequest, person_id: int) -> HttpResponse:
    user = _user(request)
    person = selectors.person_detail(user, person_id)
    require_editor(user)
    if person.is_archived:
        messages.info(request, ALREADY_ARCHIVED)
        return redirect("person_detail", person_id=person.pk)
    form = forms.ArchiveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["reason"]))
        services.person_archive(actor=user, person=person, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request, f"已归档“{person.name}”。归档的记录仍保留在统计和历史中，可随时恢复。"
        )
    return redirect("person_detail", person_id=person.pk)


@require_POST
@registry_view
def person_restore(request: HttpRequest, person_id: int) -> HttpResponse:
    user = _user(request)
    person = selectors.person_detail(user, person_id)
    require_editor(user)
    if not person.is_archived:
        messages.info(request, NOT_ARCHIVED)
        return redirect("person_detail", person_id=person.pk)
    try:
        services.person_restore(actor=user, person=person)
    except ValidationError as exc:
        messages.error(request, "无法恢复：" + error_text(exc))
    else:
        messages.success(request, f"已恢复“{person.name}”。")
    return redirect("person_detail", person_id=person.pk)


def _comparison(user: User, a: Person, b: Person) -> list[tuple[str, str, str]]:
    columns = [c for c in forms.available_columns(user) if c.key != "updated_at"]
    rows = [("姓名", a.name, b.name)]
    rows += [(c.label, c.value(a), c.value(b)) for c in columns]
    for label, attr in (
        ("组织任职", "memberships"),
        ("政治安排", "arrangements"),
        ("荣誉", "honours"),
        ("年度考核", "reviews"),
    ):
        rows.append((label, f"{getattr(a, attr).count()}条", f"{getattr(b, attr).count()}条"))
    return rows


@registry_view
def person_merge(request: HttpRequest, person_id: int) -> HttpResponse:
    """Pick the other record of the same person, compare them side by side, confirm."""
    user = _user(request)
    person = selectors.person_detail(user, person_id)
    require_editor(user)
    # Records with the same name are the likeliest duplicates: they are offered first.
    q = request.GET.get("q", person.name).strip()
    other_id = request.POST.get("other") or request.GET.get("other")
    other = selectors.person_detail(user, other_id) if other_id else None  # type: ignore[arg-type]
    if other is not None and other.pk == person.pk:
        other = None
    form = forms.MergeForm(
        request.POST or None, initial={"other": other.pk if other else None, "keep": "this"}
    )
    if request.method == "POST" and form.is_valid() and other is not None:
        if person.is_archived or other.is_archived:
            messages.error(request, MERGE_ARCHIVED)
        else:
            keep, drop = (person, other) if form.cleaned_data["keep"] == "this" else (other, person)
            try:
                services.person_merge(actor=user, keep=keep, drop=drop)
            except ValidationError as exc:
                flash_errors(request, exc)
            else:
                messages.success(
                    request,
                    f"已将“{drop.name}”（编号 {drop.pk}）合并到本记录，"
                    "其任职、政治安排、荣誉、考核和变更记录均已保留。",
                )
                return redirect("person_detail", person_id=keep.pk)
    candidates = []
    if q:
        candidates = list(
            selectors.person_list(user, selectors.PersonFilter(q=q)).exclude(pk=person.pk)[:20]
        )
    context = {
        "person": person,
        "other": other,
        "q": q,
        "candidates": candidates,
        "form": form,
        "comparison": _comparison(user, person, other) if other is not None else [],
    }
    if request.htmx and request.GET.get("q") is not None:  # type: ignore[attr-defined]
        return render(request, "registry/_merge_candidates.html", context)
    return render(request, "registry/person_merge.html", context)
