"""Output pages (成果): the list with filters and counts, the detail (authors, compilation,
endorsements, adoptions, adopting activities, files), create and edit, the authors, endorsements
and adoptions added and removed; and the files of activities and outputs: download and delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tongxin.core import access, versioning
from tongxin.core.models import Role
from tongxin.core.views.helpers import paginate, query_without_page
from tongxin.registry.views import flash_errors, form_errors, form_page

from . import attachments
from . import forms_outputs as forms
from . import selectors_outputs as selectors
from . import services_outputs as services
from .models import Adoption, Attachment, Endorsement, Output, OutputAuthor, OutputKind
from .selectors_activities import visible_ids
from .views_activities import (
    can_edit,
    is_htmx,
    person_choices,
    require_editor,
    upload,
    user_of,
    work_view,
)

HEADING = "工作 · 成果"


@work_view
def output_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = forms.OutputListForm(user, request.GET)
    page = paginate(request, selectors.output_list(user, form.output_filter()))
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "can_edit": can_edit(user),
        "media_post": OutputKind.MEDIA_POST,
    }
    template = "work/output_rows.html" if is_htmx(request) else "work/output_list.html"
    return render(request, template, context)


def _back(output: Output, anchor: str = "") -> str:
    url = reverse("output_detail", args=[output.pk])
    return f"{url}#{anchor}" if anchor else url


@work_view
def output_detail(request: HttpRequest, output_id: int) -> HttpResponse:
    user = user_of(request)
    output = selectors.output_detail(user, output_id)
    editor = can_edit(user)
    parts = selectors.output_parts(user, output)
    # Links to the registry only where the user could open the record anyway.
    registry = access.can_use_registry(user)
    people = [a.person for a in parts.authors if a.person]
    organizations = [a.organization for a in parts.authors if a.organization]
    return render(
        request,
        "work/output_detail.html",
        {
            "output": output,
            "parts": parts,
            "can_edit": editor,
            "is_liaison": user.role == Role.LIAISON,
            "openable_people": visible_ids(user, people) if registry else set(),
            "openable": visible_ids(user, organizations) if registry else set(),
            "media_post": OutputKind.MEDIA_POST,
            "compilation_kind": OutputKind.COMPILATION,
            "endorsement_form": forms.EndorsementForm() if editor else None,
            "adoption_form": forms.AdoptionForm() if editor else None,
            "max_mb": attachments.MAX_ATTACHMENT_MB,
            "upload_url": reverse("output_attachment_add", args=[output.pk]),
        },
    )


# --- create and edit ------------------------------------------------------------------------------


def _form_page(
    request: HttpRequest, form: forms.OutputForm, *, title: str, back_url: str
) -> HttpResponse:
    return render(
        request,
        "work/output_form.html",
        {
            "form": form,
            "title": title,
            "back_url": back_url,
            "heading": HEADING,
            "media_post": OutputKind.MEDIA_POST,
        },
    )


@work_view
def output_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    require_editor(user)
    form = forms.OutputForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            output = services.output_create(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request, f"已新增成果“{output.title}”。请继续添加作者、批示和采用情况。"
            )
            return redirect("output_detail", output_id=output.pk)
    return _form_page(request, form, title="新增成果", back_url=reverse("output_list"))


@work_view
def output_edit(request: HttpRequest, output_id: int) -> HttpResponse:
    user = user_of(request)
    output = selectors.output_detail(user, output_id)
    require_editor(user)
    form = forms.OutputForm(user, request.POST or None, instance=Output.objects.get(pk=output.pk))
    versioning.add_version_field(form, output)
    if request.method == "POST" and form.is_valid():
        try:
            services.output_update(actor=user, output=output, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("output_detail", output_id=output.pk)
    return _form_page(request, form, title=f"编辑：{output.title}", back_url=_back(output))


# --- authors --------------------------------------------------------------------------------------


def _specs(output: Output, *, without: OutputAuthor | None = None) -> list[services.AuthorSpec]:
    """The output's authors as the service takes them, in order. Read for rewriting the list,
    never shown: authors_set replaces the whole list and checks each one is in the actor's sight."""
    rows = output.authors.order_by("order", "id")
    if without is not None:
        rows = rows.exclude(pk=without.pk)
    return [
        services.AuthorSpec(person=a.person, organization=a.organization, unit=a.unit)
        for a in rows.select_related("person", "organization", "unit")
    ]


@work_view
def author_add(request: HttpRequest, output_id: int) -> HttpResponse:
    user = user_of(request)
    output = selectors.output_detail(user, output_id)
    require_editor(user)
    form = forms.AuthorForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.authors_set(actor=user, output=output, authors=[*_specs(output), form.spec()])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "已添加作者。")
            return redirect(_back(output, "authors"))
    return render(
        request,
        "work/output_author_form.html",
        {
            "output": output,
            "form": form,
            "authors": selectors.scoped_authors(user).filter(output=output),
            "back_url": _back(output, "authors"),
        }
        | person_choices(request, form)
        | {"heading": HEADING},
    )


@require_POST
@work_view
def author_remove(request: HttpRequest, author_id: int) -> HttpResponse:
    user = user_of(request)
    author = access.get_for_user(
        user,
        OutputAuthor.objects.select_related("output", "person", "organization", "unit"),
        pk=author_id,
    )
    require_editor(user)
    output = author.output
    try:
        services.authors_set(actor=user, output=output, authors=_specs(output, without=author))
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, f"已移除作者“{author}”。")
    return redirect(_back(output, "authors"))


# --- endorsements and adoptions -------------------------------------------------------------------


def _add_row(
    request: HttpRequest,
    output_id: int,
    form_class: type[forms.EndorsementForm] | type[forms.AdoptionForm],
    *,
    what: str,
    anchor: str,
) -> HttpResponse:
    user = user_of(request)
    output = selectors.output_detail(user, output_id)
    require_editor(user)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if isinstance(form, forms.EndorsementForm):
                row: Any = services.endorsement_add(
                    actor=user, output=output, **form.service_kwargs()
                )
            else:
                row = services.adoption_add(actor=user, output=output, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"已添加{what}：{row}。")
            return redirect(_back(output, anchor))
    return form_page(
        request,
        form,
        title=f"{output.title}：添加{what}",
        back_url=_back(output, anchor),
        submit="添加",
        heading=HEADING,
    )


@work_view
def endorsement_add(request: HttpRequest, output_id: int) -> HttpResponse:
    return _add_row(
        request, output_id, forms.EndorsementForm, what="领导批示", anchor="endorsements"
    )


@require_POST
@work_view
def endorsement_remove(request: HttpRequest, endorsement_id: int) -> HttpResponse:
    user = user_of(request)
    row = access.get_for_user(user, Endorsement.objects.select_related("output"), pk=endorsement_id)
    require_editor(user)
    services.endorsement_remove(actor=user, endorsement=row)
    messages.success(request, f"已删除领导批示：{row}。")
    return redirect(_back(row.output, "endorsements"))


@work_view
def adoption_add(request: HttpRequest, output_id: int) -> HttpResponse:
    return _add_row(request, output_id, forms.AdoptionForm, what="采用情况", anchor="adoptions")


@require_POST
@work_view
def adoption_remove(request: HttpRequest, adoption_id: int) -> HttpResponse:
    user = user_of(request)
    row = access.get_for_user(user, Adoption.objects.select_related("output"), pk=adoption_id)
    require_editor(user)
    services.adoption_remove(actor=user, adoption=row)
    messages.success(request, f"已删除采用情况：{row}。")
    return redirect(_back(row.output, "adoptions"))


# --- files of outputs and activities --------------------------------------------------------------


@require_POST
@work_view
def output_attachment_add(request: HttpRequest, output_id: int) -> HttpResponse:
    output = selectors.output_detail(user_of(request), output_id)
    return upload(request, _back(output, "attachments"), output=output)


def _owner_url(attachment: Attachment) -> str:
    if attachment.activity_id is not None:
        return reverse("activity_detail", args=[attachment.activity_id]) + "#attachments"
    if attachment.task_event is not None:
        return reverse("task_detail", args=[attachment.task_event.task_id])
    return reverse("output_detail", args=[attachment.output_id]) + "#attachments"


@require_GET
@work_view
def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    """The file under its original (Chinese) name, for those who can see its activity or output."""
    attachment = access.get_for_user(user_of(request), Attachment, pk=attachment_id)
    return FileResponse(
        attachments.open_stored(attachment),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@require_POST
@work_view
def attachment_delete(request: HttpRequest, attachment_id: int) -> HttpResponse:
    user = user_of(request)
    attachment = access.get_for_user(user, Attachment, pk=attachment_id)
    require_editor(user)
    back = _owner_url(attachment)
    attachments.attachment_delete(actor=user, attachment=attachment)
    messages.success(request, f"已删除附件“{attachment.original_name}”。")
    return redirect(back)
