"""Optimistic locking of every edit form and every PATCH: two editors open the same version, the
first saves, the second gets a Chinese conflict naming who changed the record and when, and the
record keeps the first editor's change (no lost update). After reopening, the second editor's
edit goes through, and the version has grown at each save.

The form tests act like a browser: they read the fields of the edit page as rendered (hidden
version included), change one, and post everything back."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from tongxin.core import audit, versioning
from tongxin.core.models import Unit, User
from tongxin.governance import services_duty
from tongxin.governance.models import DutyReport, DutyReportState
from tongxin.insight.models_summary import SummaryDraft
from tongxin.registry import services as registry
from tongxin.registry.models import CodeItem, CodeKind, Person

from ..conftest import Cast, bearer, login

# --- the browser's side: the fields of the form on a page ---------------------------------------


class _FormReader(HTMLParser):
    """Each <form method=post>'s fields as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        self._fields: dict[str, list[str]] | None = None
        self._select: str | None = None
        self._select_multiple = False
        self._select_first: str | None = None
        self._select_chosen = False
        self._option: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._fields = {}
        if self._fields is None:
            return
        name = a.get("name", "")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._fields.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self._fields.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select" and name and "disabled" not in a:
            self._select, self._select_multiple = name, "multiple" in a
            self._select_first, self._select_chosen = None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._fields.setdefault(self._select, []).append(value)
                self._select_chosen = True
        elif tag == "textarea" and name and "disabled" not in a:
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if self._fields is None:
            return
        if tag == "select" and self._select:
            if not self._select_chosen and not self._select_multiple:
                self._fields.setdefault(self._select, []).append(self._select_first or "")
            self._select = None
        elif tag == "textarea" and self._textarea:
            # A browser drops the one newline that follows <textarea>.
            self._fields.setdefault(self._textarea, []).append(self._text.removeprefix("\n"))
            self._textarea = None
        elif tag == "form":
            self.forms.append(self._fields)
            self._fields = None


def edit_form(client: Client, url: str) -> dict[str, list[str]]:
    """The fields of the page's form that carries a version, as rendered."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    reader = _FormReader()
    reader.feed(response.content.decode())
    carrying = [f for f in reader.forms if versioning.FIELD in f or "base_version" in f]
    assert len(carrying) == 1, f"{url}: no single form carries the version"
    return carrying[0]


def post(client: Client, url: str, fields: dict[str, list[str]], **changes: str) -> Any:
    return client.post(url, {**fields, **{k: [v] for k, v in changes.items()}})


# --- the edit pages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EditPage:
    name: str
    editor: Callable[[Cast], User]
    url: Callable[[Cast], str]
    field: str
    values: tuple[str, str]  # what the first and the second editor type
    saved: Callable[[Cast], Any]  # the value now stored


def _code_item() -> CodeItem:
    return CodeItem.objects.get(kind=CodeKind.RELIGION, name="伊斯兰教")


def _refetch(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)


def _latest_summary_title(cast: Cast) -> str:
    draft = SummaryDraft.objects.filter(year=2022, region=cast.jingyang_region).first()
    return draft.title if draft else ""


def _duty_report(cast: Cast) -> DutyReport:
    return _refetch(cast.gov.duty_report)  # type: ignore[no-any-return]


def _jy_liaison(cast: Cast) -> User:
    return User.objects.get(username="t_jy_liaison")


PAGES = [
    EditPage(
        "unit",
        lambda c: c.admin,
        lambda c: f"/units/{c.jingyang_unit.pk}/edit/",
        "order",
        ("7", "8"),
        lambda c: str(Unit.objects.get(pk=c.jingyang_unit.pk).order),
    ),
    EditPage(
        "user",
        lambda c: c.admin,
        lambda c: f"/users/{c.luojiang.pk}/",
        "title",
        ("科长", "处长"),
        lambda c: _refetch(c.luojiang).title,
    ),
    EditPage(
        "person",
        lambda c: c.jingyang,
        lambda c: f"/persons/{c.records.person.pk}/edit/",
        "notes",
        ("甲的备注", "乙的备注"),
        lambda c: _refetch(c.records.person).notes,
    ),
    EditPage(
        "organization",
        lambda c: c.jingyang,
        lambda c: f"/organizations/{c.records.organization.pk}/edit/",
        "notes",
        ("甲的备注", "乙的备注"),
        lambda c: _refetch(c.records.organization).notes,
    ),
    EditPage(
        "figure",
        lambda c: c.jingyang,
        lambda c: f"/figures/{c.records.figure.pk}/edit/",
        "employees",
        ("120", "130"),
        lambda c: str(_refetch(c.records.figure).employees),
    ),
    EditPage(
        "designation",
        lambda c: c.jingyang,
        lambda c: f"/designations/{c.records.designation.pk}/edit/",
        "notes",
        ("甲的备注", "乙的备注"),
        lambda c: _refetch(c.records.designation).notes,
    ),
    EditPage(
        "standard_check",
        lambda c: c.jingyang,
        lambda c: f"/checks/{c.records.standard_check.pk}/edit/",
        "notes",
        ("甲的备注", "乙的备注"),
        lambda c: _refetch(c.records.standard_check).notes,
    ),
    EditPage(
        "code_item",
        lambda c: c.admin,
        lambda c: f"/codes/{_code_item().pk}/edit/",
        "aliases",
        ("回教", "清真教"),
        lambda c: _code_item().aliases,
    ),
    EditPage(
        "activity",
        lambda c: c.jingyang,
        lambda c: f"/activities/{c.work.activity.pk}/edit/",
        "place",
        ("甲会议室", "乙会议室"),
        lambda c: _refetch(c.work.activity).place,
    ),
    EditPage(
        "output",
        lambda c: c.jingyang,
        lambda c: f"/outputs/{c.work.output.pk}/edit/",
        "title",
        ("甲的标题", "乙的标题"),
        lambda c: _refetch(c.work.output).title,
    ),
    EditPage(
        "training",
        lambda c: c.jingyang,
        lambda c: f"/trainings/{c.work.training.pk}/edit/",
        "place",
        ("甲教室", "乙教室"),
        lambda c: _refetch(c.work.training).place,
    ),
    EditPage(
        "secondment",
        lambda c: c.jingyang,
        lambda c: f"/secondments/{c.work.secondment.pk}/edit/",
        "notes",
        ("甲的备注", "乙的备注"),
        lambda c: _refetch(c.work.secondment).notes,
    ),
    EditPage(
        "dual_report",
        lambda c: c.jingyang,
        lambda c: f"/dual-reports/{c.work.dual_report.pk}/edit/",
        "report_title",
        ("甲的报告", "乙的报告"),
        lambda c: _refetch(c.work.dual_report).report_title,
    ),
    EditPage(
        "indicator_set",
        lambda c: c.jingyang,
        lambda c: f"/indicator-sets/{c.gov.indicator_set.pk}/edit/",
        "description",
        ("甲的说明", "乙的说明"),
        lambda c: _refetch(c.gov.indicator_set).description,
    ),
    EditPage(
        "indicator",
        lambda c: c.jingyang,
        lambda c: f"/indicators/{c.gov.indicator.pk}/edit/",
        "description",
        ("甲的说明", "乙的说明"),
        lambda c: _refetch(c.gov.indicator).description,
    ),
    EditPage(
        "mechanism",
        lambda c: c.jingyang,
        lambda c: f"/mechanisms/{c.gov.mechanism.pk}/edit/",
        "name",
        ("旌阳区甲机制", "旌阳区乙机制"),
        lambda c: _refetch(c.gov.mechanism).name,
    ),
    EditPage(
        "mechanism_member",
        lambda c: c.jingyang,
        lambda c: f"/members/{c.gov.member.pk}/edit/",
        "duties",
        ("甲的职责", "乙的职责"),
        lambda c: _refetch(c.gov.member).duties,
    ),
    EditPage(
        "duty_report",
        _jy_liaison,
        lambda c: f"/duty-reports/submit/?member={c.gov.member.pk}&year={c.gov.duty_report.year}",
        "text",
        ("甲的述职内容", "乙的述职内容"),
        lambda c: _duty_report(c).text,
    ),
    EditPage(
        "annual_summary",
        lambda c: c.jingyang,
        lambda c: f"/summaries/annual/edit/?year=2022&region={c.jingyang_region.code}",
        "title",
        ("甲拟的综述标题", "乙拟的综述标题"),
        _latest_summary_title,
    ),
]


def _second_editor(cast: Cast, first: User) -> User:
    """Another account of the same standing, so the message names the first editor."""
    second = User.objects.get(pk=first.pk)
    second.pk = None
    second.id = None
    second.username = first.username + "_2"
    second.name = first.name + "二"
    second.version = 1
    second.save()
    second.lines.set(first.lines.all())
    return second


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_the_second_of_two_editors_gets_a_conflict_and_the_first_edit_stays(
    cast: Cast, page: EditPage
) -> None:
    first_user = page.editor(cast)
    first, second = login(first_user), login(_second_editor(cast, first_user))
    url = page.url(cast)
    seen_by_first, seen_by_second = edit_form(first, url), edit_form(second, url)
    one, two = page.values

    response = post(first, url, seen_by_first, **{page.field: one})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert page.saved(cast) == one

    response = post(second, url, seen_by_second, **{page.field: two})
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{first_user.name}（{first_user.username}）" in body
    assert "修改未保存" in body
    assert timezone.localtime().strftime("%Y-%m-%d") in body
    assert two in body  # the second editor's input is kept on the page
    assert page.saved(cast) == one

    # Reopened, the second editor's edit goes through.
    response = post(second, url, edit_form(second, url), **{page.field: two})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert page.saved(cast) == two


@pytest.mark.parametrize("page", PAGES[:-1], ids=[p.name for p in PAGES[:-1]])
def test_each_save_moves_the_version_on(cast: Cast, page: EditPage) -> None:
    client = login(page.editor(cast))
    url = page.url(cast)
    before = int(edit_form(client, url)[versioning.FIELD][0])
    response = post(client, url, edit_form(client, url), **{page.field: page.values[0]})
    assert response.status_code == 302
    assert int(edit_form(client, url)[versioning.FIELD][0]) > before


@pytest.mark.parametrize(
    "page", [p for p in PAGES if p.name != "annual_summary"], ids=lambda p: p.name
)
def test_an_edit_form_posted_without_its_version_is_refused(cast: Cast, page: EditPage) -> None:
    client = login(page.editor(cast))
    url = page.url(cast)
    fields = edit_form(client, url)
    before = page.saved(cast)
    fields.pop(versioning.FIELD)
    response = post(client, url, fields, **{page.field: page.values[0]})
    assert response.status_code == 200
    body = response.content.decode()
    if page.name == "duty_report":  # no version: a first submission, but a report is there
        assert "修改未保存" in body
    else:
        assert "缺少或无法识别版本号" in body
    assert page.saved(cast) == before


def test_a_scorer_cannot_score_a_report_resubmitted_after_they_read_it(cast: Cast) -> None:
    report = _duty_report(cast)
    if report.state != DutyReportState.SUBMITTED:
        pytest.skip("the cast's duty report is not awaiting a score")
    scorer = login(cast.jingyang)
    url = f"/duty-reports/{report.pk}/"
    seen = edit_form(scorer, url)
    services_duty.duty_report_submit(
        actor=_jy_liaison(cast),
        member=report.member,
        year=report.year,
        text_="重新提交的述职内容",
        expected_version=report.version,
    )
    response = post(scorer, url, seen, score="90")
    assert response.status_code == 302
    assert "修改未保存" in "".join(str(m) for m in response.wsgi_request._messages)
    assert _duty_report(cast).state == DutyReportState.SUBMITTED
    response = post(scorer, url, edit_form(scorer, url), score="90")
    assert _duty_report(cast).state == DutyReportState.SCORED


# --- the API --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Patchable:
    name: str
    url: Callable[[Cast], str]
    field: str
    values: tuple[Any, Any]


PATCHES = [
    Patchable("person", lambda c: f"/api/v1/persons/{c.records.person.pk}", "notes", ("甲", "乙")),
    Patchable(
        "organization",
        lambda c: f"/api/v1/organizations/{c.records.organization.pk}",
        "notes",
        ("甲", "乙"),
    ),
    Patchable(
        "membership",
        lambda c: f"/api/v1/memberships/{c.records.membership.pk}",
        "notes",
        ("甲", "乙"),
    ),
    Patchable(
        "activity", lambda c: f"/api/v1/activities/{c.work.activity.pk}", "place", ("甲", "乙")
    ),
    Patchable("output", lambda c: f"/api/v1/outputs/{c.work.output.pk}", "title", ("甲", "乙")),
    Patchable(
        "training", lambda c: f"/api/v1/trainings/{c.work.training.pk}", "place", ("甲", "乙")
    ),
    Patchable(
        "secondment",
        lambda c: f"/api/v1/secondments/{c.work.secondment.pk}",
        "notes",
        ("甲", "乙"),
    ),
]


def _patch(client: Client, url: str, body: dict[str, Any], auth: dict[str, str], **h: str) -> Any:
    return client.patch(url, body, content_type="application/json", **auth, **h)


@pytest.mark.parametrize("target", PATCHES, ids=[p.name for p in PATCHES])
@pytest.mark.parametrize("how", ["if_match", "body"])
def test_a_stale_patch_is_refused_and_the_first_change_stays(
    cast: Cast, target: Patchable, how: str
) -> None:
    client, url = Client(), target.url(cast)
    first, second = bearer(cast.jingyang), bearer(cast.admin)
    read = client.get(url, **first)
    assert read.status_code == 200
    version = read.json()["version"]
    assert read["ETag"] == f'"{version}"'
    one, two = target.values

    def send(auth: dict[str, str], value: Any, at: int) -> Any:
        if how == "if_match":
            return _patch(client, url, {target.field: value}, auth, HTTP_IF_MATCH=f'"{at}"')
        return _patch(client, url, {target.field: value, "version": at}, auth)

    done = send(first, one, version)
    assert done.status_code == 200, done.json()
    assert done.json()[target.field] == one
    assert done.json()["version"] > version
    assert done["ETag"] == f'"{done.json()["version"]}"'

    refused = send(second, two, version)
    assert refused.status_code == (412 if how == "if_match" else 409)
    assert refused.json()["code"] == "edit_conflict"
    assert "旌阳人员（t_jingyang）" in refused.json()["detail"]
    assert client.get(url, **first).json()[target.field] == one

    again = send(second, two, done.json()["version"])
    assert again.status_code == 200
    assert again.json()[target.field] == two


@pytest.mark.parametrize("target", PATCHES, ids=[p.name for p in PATCHES])
def test_a_patch_without_a_version_still_applies(cast: Cast, target: Patchable) -> None:
    client, url, auth = Client(), target.url(cast), bearer(cast.jingyang)
    version = client.get(url, **auth).json()["version"]
    done = _patch(client, url, {target.field: target.values[0]}, auth)
    assert done.status_code == 200
    assert done.json()["version"] > version


@pytest.mark.parametrize("header", ['W/"1"', "1", '"x"', '"1", "2"'])
def test_an_unreadable_if_match_is_refused(cast: Cast, header: str) -> None:
    url, auth = f"/api/v1/persons/{cast.records.person.pk}", bearer(cast.jingyang)
    response = _patch(Client(), url, {"notes": "改"}, auth, HTTP_IF_MATCH=header)
    assert response.status_code == 412
    assert "版本号" in response.json()["detail"]
    assert _refetch(cast.records.person).notes != "改"


def test_if_match_star_and_a_matching_body_version_agree(cast: Cast) -> None:
    url, auth = f"/api/v1/persons/{cast.records.person.pk}", bearer(cast.jingyang)
    version = Client().get(url, **auth).json()["version"]
    response = _patch(Client(), url, {"notes": "改", "version": version}, auth, HTTP_IF_MATCH="*")
    assert response.status_code == 200
    stale = _patch(Client(), url, {"notes": "再改", "version": version}, auth, HTTP_IF_MATCH="*")
    assert stale.status_code == 409


def test_archiving_through_a_stale_patch_is_refused(cast: Cast) -> None:
    url, auth = f"/api/v1/persons/{cast.records.person.pk}", bearer(cast.jingyang)
    version = Client().get(url, **auth).json()["version"]
    registry.person_update(actor=cast.admin, person=_refetch(cast.records.person), notes="管理员改")
    response = _patch(
        Client(), url, {"archived": True, "archive_reason": "重复登记", "version": version}, auth
    )
    assert response.status_code == 409
    assert not _refetch(cast.records.person).is_archived


# --- the services ---------------------------------------------------------------------------------


def test_a_service_refuses_a_stale_copy_even_without_an_expected_version(cast: Cast) -> None:
    stale = _refetch(cast.records.person)
    with audit.acting_as(cast.jingyang):
        registry.person_update(actor=cast.jingyang, person=_refetch(stale), notes="先改")
    with pytest.raises(versioning.EditConflict) as caught:
        registry.person_update(actor=cast.admin, person=stale, notes="后改")
    assert caught.value.changed_by == "旌阳人员（t_jingyang）"
    assert _refetch(stale).notes == "先改"


def test_merging_moves_the_version_of_the_record_kept(cast: Cast) -> None:
    keep = _refetch(cast.records.person)
    drop = registry.person_create(
        actor=cast.jingyang,
        name=keep.name,
        region=keep.region,
        categories=list(keep.categories.all()),
    )
    registry.person_merge(actor=cast.jingyang, keep=_refetch(keep), drop=drop)
    assert Person.objects.get(pk=keep.pk).version > keep.version
    with pytest.raises(versioning.EditConflict):
        registry.person_update(
            actor=cast.jingyang, person=_refetch(keep), expected_version=keep.version, notes=""
        )


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are PostgreSQL's; SQLite serializes writers by itself",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_saves_of_one_version_cannot_both_win(cast: Cast) -> None:
    """Two threads, two connections, the same expected version: one claim waits on the other's
    row lock, then finds the version moved."""
    person = _refetch(cast.records.person)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def edit(note: str) -> None:
        barrier.wait()
        try:
            registry.person_update(
                actor=cast.jingyang,
                person=_refetch(person),
                expected_version=person.version,
                notes=note,
            )
            outcomes.append("saved:" + note)
        except versioning.EditConflict:
            outcomes.append("conflict")
        finally:
            connection.close()  # each thread has its own connection; leave none open

    threads = [threading.Thread(target=edit, args=(n,)) for n in ("甲", "乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.split(":")[0] for o in outcomes) == ["conflict", "saved"]
    saved = next(o.split(":")[1] for o in outcomes if o.startswith("saved"))
    assert _refetch(person).notes == saved
    assert _refetch(person).version == person.version + 1


def test_the_conflict_names_the_time_in_local_time(cast: Cast) -> None:
    person = _refetch(cast.records.person)
    registry.person_update(actor=cast.jingyang, person=_refetch(person), notes="改")
    error = versioning.conflict(person)
    assert error.changed_at is not None
    local = timezone.localtime(error.changed_at).strftime("%Y-%m-%d %H:%M")
    assert local in error.messages[0]
    assert error.changed_at <= timezone.now() + dt.timedelta(seconds=1)
