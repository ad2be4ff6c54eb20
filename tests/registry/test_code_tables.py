"""Code tables: admins keep them; what they change is what the forms offer."""

from __future__ import annotations

import pytest

from tongxin.core.models import AuditAction, AuditEvent
from tongxin.registry import forms
from tongxin.registry.models import CodeItem, CodeKind

from ..conftest import Cast, login


def test_the_admin_sees_every_table_with_its_items(cast: Cast) -> None:
    client = login(cast.admin)
    text = client.get("/codes/").content.decode()
    for _, label in CodeKind.choices:
        assert label in text
    assert "新的社会阶层人士" in text and "新阶" in text  # the first table, with its lines
    text = client.get("/codes/", {"kind": "ethnicity"}).content.decode()
    assert "回族" in text and "外国血统中国籍人士" in text


def test_an_unknown_table_is_404(cast: Cast) -> None:
    assert login(cast.admin).get("/codes/", {"kind": "nope"}).status_code == 404


@pytest.mark.parametrize("who", ["city_staff", "jingyang", "leader", "liaison", "auditor"])
def test_only_admins_open_the_code_tables(cast: Cast, who: str) -> None:
    client = login(getattr(cast, who))
    item = CodeItem.objects.first()
    assert item is not None
    assert client.get("/codes/").status_code == 403
    assert client.get("/codes/new/?kind=religion").status_code == 403
    assert (
        client.post("/codes/new/?kind=religion", {"name": "新宗教", "order": 1}).status_code == 403
    )
    assert client.get(f"/codes/{item.pk}/edit/").status_code == 403
    assert not CodeItem.objects.filter(name="新宗教").exists()


def test_an_admin_adds_an_item_that_the_person_form_then_offers(cast: Cast) -> None:
    client = login(cast.admin)
    response = client.post(
        "/codes/new/?kind=education",
        {
            "name": "技工学校",
            "code": "44",
            "aliases": "技校",
            "order": 5,
            "is_active": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/codes/?kind=education"
    item = CodeItem.objects.get(kind=CodeKind.EDUCATION, name="技工学校")
    assert item.alias_list() == ["技校"]
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_repr="技工学校").exists()
    offered = forms.PersonForm(cast.admin).fields["education"].queryset  # type: ignore[attr-defined]
    assert item in offered


def test_a_name_already_in_the_table_is_refused(cast: Cast) -> None:
    response = login(cast.admin).post("/codes/new/?kind=religion", {"name": "佛教", "order": 1})
    assert response.status_code == 200
    assert forms.CODE_NAME_TAKEN.format(name="佛教") in response.content.decode()
    assert CodeItem.objects.filter(kind=CodeKind.RELIGION, name="佛教").count() == 1


def test_a_retired_item_is_no_longer_offered_but_stays_on_its_records(cast: Cast) -> None:
    item = CodeItem.objects.get(kind=CodeKind.RELIGION, name="伊斯兰教")
    response = login(cast.admin).post(
        f"/codes/{item.pk}/edit/",
        {
            "name": item.name,
            "code": item.code,
            "aliases": item.aliases,
            "order": item.order,
            "expected_version": item.version,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert not item.is_active
    assert item not in forms.PersonForm(cast.admin).fields["religion"].queryset  # type: ignore[attr-defined]
    person = cast.records.person
    kept = forms.PersonForm(cast.admin, person=person).fields["religion"].queryset  # type: ignore[attr-defined]
    assert item in kept
    text = login(cast.admin).get(f"/persons/{person.pk}/").content.decode()
    assert "伊斯兰教" in text


def test_a_subtype_needs_its_parent(cast: Cast) -> None:
    client = login(cast.admin)
    response = client.post("/codes/new/?kind=stratum_subtype", {"name": "网络主播", "order": 1})
    assert response.status_code == 200
    assert not CodeItem.objects.filter(name="网络主播").exists()
    parent = CodeItem.objects.get(kind=CodeKind.STRATUM_GROUP, name="新媒体从业人员")
    response = client.post(
        "/codes/new/?kind=stratum_subtype",
        {"name": "网络主播", "order": 1, "parent": parent.pk, "is_active": "on"},
    )
    assert response.status_code == 302
    assert CodeItem.objects.get(name="网络主播").parent == parent


def test_a_category_names_its_line(cast: Cast) -> None:
    client = login(cast.admin)
    text = client.get("/codes/new/?kind=category").content.decode()
    assert "所属条线" in text
    assert "所属条线" not in client.get("/codes/new/?kind=religion").content.decode()
