"""Imports and exports: upload and preview, hand mapping of columns, commit and the template
download for every kind of import (import_kinds.py; each kind's upload and template pages are
routed with its key as the ``kind`` argument), and the .xlsx and CSV exports of a filtered person
list."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from tongxin.core import access
from tongxin.core.models import Region, User

from . import exporting, import_kinds, import_template, importing, progress
from .import_kinds import ImportKind
from .import_readers import EXTENSIONS
from .models import ImportJob, ImportStatus
from .views import error_text, form_errors, registry_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT_JOBS = 20
COMMITTED = "导入完成：新增{created}{unit}，更新{updated}{unit}，跳过{skipped}{unit}。"
PREVIEWED = "已读取“{name}”：共{total}行，{ok}行无误，{error}行有误。请核对预览后再导入。"
REMAPPED = "已按新的列对应重新检查。"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def importer_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log in first; then 403 unless the user may import some kind (import_kinds.kinds_for).
    Which jobs they see is access.scope's answer: their own, of the kinds they may import."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not import_kinds.kinds_for(request.user):
            raise PermissionDenied(access.ROLE_FORBIDDEN)
        return view(request, *args, **kwargs)

    return wrapped


def _kind_for(user: User, key: str) -> ImportKind:
    kind = import_kinds.get(key)
    if not kind.may_import(user):
        raise PermissionDenied(access.ROLE_FORBIDDEN)
    return kind


class _RegionChoice(forms.ModelChoiceField):  # type: ignore[type-arg,unused-ignore]
    def label_from_instance(self, obj: Region) -> str:
        return "　" * max(obj.depth - 1, 0) + f"{obj.name}（{obj.code}）"


class ImportForm(forms.Form):
    file = forms.FileField(
        label="名册文件",
        help_text=importing.UPLOAD_LIMIT,
        error_messages={"required": "请选择要导入的名册文件。", "empty": "文件是空的。"},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )
    region = _RegionChoice(
        Region.objects.none(),
        to_field_name="code",
        required=False,
        label="默认区域",
        empty_label="不指定（按名册“所属区域”列）",
    )

    def __init__(self, user: User, kind: ImportKind, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not kind.asks_region:
            del self.fields["region"]
            return
        self.fields["region"].help_text = kind.region_help
        self.fields["region"].queryset = access.scope(  # type: ignore[attr-defined]
            user, Region.objects.order_by("path")
        )


@importer_view
def import_upload(
    request: HttpRequest, kind: str, options: dict[str, Any] | None = None
) -> HttpResponse:
    """The upload page of one kind of import, with the uploader's recent jobs of that kind (and
    of the same ``options``: a page of another app passes them, e.g. the training class)."""
    user = _user(request)
    importer = _kind_for(user, kind)
    options = importer.clean_options(user, dict(options or {}))  # 404 outside one's scope
    form = ImportForm(user, importer, request.POST or None, request.FILES or None)
    if request.method == "POST":
        importer.require(user)
        if form.is_valid():
            try:
                job = importing.start(
                    actor=user,
                    upload=form.cleaned_data["file"],
                    kind=importer.key,
                    region=form.cleaned_data.get("region"),
                    options=options,
                    progress_token=request.POST.get("progress", ""),
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.info(
                    request,
                    PREVIEWED.format(
                        name=job.original_name,
                        total=job.rows_total,
                        ok=job.rows_ok,
                        error=job.rows_error,
                    ),
                )
                return redirect("import_job", job_id=job.pk)
    jobs = access.scope(user, ImportJob.objects.filter(created_by=user, kind=importer.key))
    for name, value in options.items():
        jobs = jobs.filter(**{f"options__{name}": value})
    return render(
        request,
        "registry/import_upload.html",
        {
            "form": form,
            "kind": importer,
            "links": importer.links(options),
            "target": importer.describe(user, options),
            "jobs": jobs.select_related("region").order_by("-created_at", "-id")[:RECENT_JOBS],
            "progress_token": progress.new_token(),
        },
    )


def _template_regions(user: User) -> list[str]:
    regions = access.scope(user, Region.objects.order_by("path")).values_list("name", "pk")
    own = [name for name, pk in regions if pk == user.region_id]
    return own + [name for name, pk in regions if pk != user.region_id]


@require_GET
@importer_view
def import_template_download(request: HttpRequest, kind: str) -> HttpResponse:
    user = _user(request)
    importer = _kind_for(user, kind)
    return HttpResponse(
        import_template.template_bytes(importer, _template_regions(user)),
        content_type=XLSX,
        headers={
            "Content-Disposition": content_disposition_header(
                True, import_template.template_filename(importer)
            )
        },
    )


@importer_view
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    user = _user(request)
    job = access.get_for_user(
        user, ImportJob.objects.select_related("region", "created_by"), pk=job_id
    )
    kind = import_kinds.get(job.kind)
    if request.method == "POST":
        # The hand mapping of columns: one select per column, named after its position.
        columns = (job.report or {}).get("columns", [])
        column_map = {
            c["header"]: request.POST.get(f"map-{c['index']}", c["field"]) for c in columns
        }
        try:
            importing.remap(actor=user, job=job, column_map=column_map)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, REMAPPED)
        return redirect("import_job", job_id=job.pk)
    report = job.report or {}
    return render(
        request,
        "registry/import_job.html",
        {
            "job": job,
            "kind": kind,
            "links": kind.links(job.options),
            "target": kind.describe(user, job.options),
            "report": report,
            "checked": "columns" in report,
            "fields": [(f.key, f.label) for f in kind.fields],
            "can_commit": job.status == ImportStatus.PREVIEWED and job.rows_ok > 0,
            "progress_token": progress.new_token(),
            "committed": job.status == ImportStatus.COMMITTED,
            "on_duplicate": importing.ON_DUPLICATE,
        },
    )


@require_POST
@importer_view
def import_commit(request: HttpRequest, job_id: int) -> HttpResponse:
    user = _user(request)
    job = access.get_for_user(user, ImportJob.objects.select_related("region"), pk=job_id)
    kind = import_kinds.get(job.kind)
    try:
        result = importing.commit(
            actor=user,
            job=job,
            on_duplicate=request.POST.get("on_duplicate", "skip"),
            progress_token=request.POST.get("progress", ""),
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, COMMITTED.format(unit=kind.unit, **result))
    return redirect("import_job", job_id=job.pk)


PROGRESS_PHASES = {"preview": "正在检查", "commit": "正在写入"}


@require_GET
@importer_view
def import_progress(request: HttpRequest) -> HttpResponse:
    """How many rows a running upload or commit has got through (polled by app.js). The token is
    a random value the page handed to the form; it reveals a count and nothing else."""
    state = progress.read(request.GET.get("token", ""))
    if state is None:
        return HttpResponse("正在读取文件……")
    phase = PROGRESS_PHASES.get(state["phase"], "正在处理")
    return HttpResponse(f"{phase}：已处理 {state['rows']} 行……")


@require_GET
@registry_view
def person_export_xlsx(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    export = exporting.export_from_params(user, request.GET)
    count = exporting.count(user, export)
    out = exporting.write_xlsx(user, export, count)
    exporting.record(user, export, "xlsx", count)
    response = FileResponse(
        out, as_attachment=True, filename=exporting.filename("xlsx"), content_type=XLSX
    )
    return cast(HttpResponse, response)  # a streaming response; registry_view wants this type


@require_GET
@registry_view
def person_export_csv(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    export = exporting.export_from_params(user, request.GET)
    count = exporting.count(user, export)
    # Written before streaming starts: the audit context ends with the view, not the download.
    exporting.record(user, export, "csv", count)
    response = StreamingHttpResponse(
        exporting.csv_lines(user, export, count), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, exporting.filename("csv"))
    return cast(HttpResponse, response)
