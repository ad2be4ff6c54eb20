"""Every create, update and delete is audited with before and after, in the same transaction."""

from __future__ import annotations

import pytest
from django.db import transaction

from tongxin.core import audit
from tongxin.core.models import AuditAction, AuditEvent, Unit, UnitKind
from tongxin.core.services import unit_create, unit_update, user_set_password

from ..conftest import Cast, login


def test_an_update_records_the_changed_fields_before_and_after(cast: Cast) -> None:
    unit = Unit.objects.get(pk=cast.jingyang_unit.pk)
    with audit.acting_as(cast.admin, ip="10.1.2.3"):
        unit_update(actor=cast.admin, unit=unit, short_name="旌阳司法", kind=UnitKind.OTHER)
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).latest("id")
    assert event.actor == cast.admin
    assert event.ip == "10.1.2.3"
    assert event.object_type == "core.unit"
    assert event.object_id == str(unit.pk)
    assert event.changes == {
        "short_name": ["旌阳区司法局", "旌阳司法"],
        "kind": ["政府部门", "其他"],
    }


def test_a_create_records_the_new_values_with_related_names(cast: Cast) -> None:
    with audit.acting_as(cast.admin):
        unit = unit_create(
            actor=cast.admin, name="德阳市测试局", kind=UnitKind.GOVERNMENT, region=cast.city
        )
    event = AuditEvent.objects.get(
        action=AuditAction.CREATE, object_id=str(unit.pk), object_type="core.unit"
    )
    assert event.changes["name"] == [None, "德阳市测试局"]
    assert event.changes["region"] == [None, f"德阳市（{cast.city.pk}）"]


def test_a_delete_is_recorded(cast: Cast) -> None:
    with audit.acting_as(cast.admin):
        unit = unit_create(actor=cast.admin, name="临时单位", kind=UnitKind.OTHER, region=cast.city)
        unit_id = unit.pk
        unit.delete()
    event = AuditEvent.objects.get(action=AuditAction.DELETE, object_id=str(unit_id))
    assert event.changes["name"] == ["临时单位", None]


def test_a_saved_record_without_changes_writes_no_row(cast: Cast) -> None:
    unit = Unit.objects.get(pk=cast.jingyang_unit.pk)
    before = AuditEvent.objects.count()
    unit.save()
    assert AuditEvent.objects.count() == before


def test_a_rolled_back_change_leaves_no_audit_row(cast: Cast) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        unit = Unit.objects.get(pk=cast.jingyang_unit.pk)
        unit_update(actor=cast.admin, unit=unit, short_name="不会保存")
        raise RuntimeError("the request fails after the write")
    assert AuditEvent.objects.count() == before
    assert Unit.objects.get(pk=cast.jingyang_unit.pk).short_name == "旌阳区司法局"


def test_password_changes_are_recorded_without_the_hash(cast: Cast) -> None:
    user_set_password(actor=cast.jingyang, user=cast.jingyang, password="New-secret-2026")
    events = AuditEvent.objects.filter(object_type="core.user", object_id=str(cast.jingyang.pk))
    assert events.filter(action=AuditAction.PASSWORD_CHANGE).exists()
    update = events.get(action=AuditAction.UPDATE)
    assert update.changes == {"password": ["（已修改，内容不记录）", "（已修改，内容不记录）"]}
    assert "md5$" not in str(update.changes) and "argon2" not in str(update.changes)


def test_changes_made_through_a_page_name_the_user_who_made_them(cast: Cast) -> None:
    response = login(cast.admin).post(
        f"/units/{cast.jingyang_unit.pk}/edit/",
        {
            "name": cast.jingyang_unit.name,
            "short_name": "旌阳区司法",
            "kind": UnitKind.GOVERNMENT,
            "region": cast.jingyang_region.pk,
            "order": 0,
            "is_active": "on",
            "expected_version": cast.jingyang_unit.version,
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).latest("id")
    assert event.actor_username == "t_admin"
    assert event.changes["short_name"] == ["旌阳区司法局", "旌阳区司法"]


def test_the_auditor_filters_by_who_what_and_when(cast: Cast) -> None:
    with audit.acting_as(cast.admin):
        unit_update(
            actor=cast.admin, unit=Unit.objects.get(pk=cast.city_unit.pk), short_name="网信办"
        )
    client = login(cast.auditor)
    page = client.get(
        "/audit/", {"actor": "t_admin", "action": "update", "object_type": "core.unit"}
    ).content.decode()
    assert "网信办" in page and "简称" in page
    empty = client.get("/audit/", {"actor": "nobody"}).content.decode()
    assert "没有符合条件的记录" in empty
    future = client.get("/audit/", {"date_from": "2999-01-01"}).content.decode()
    assert "没有符合条件的记录" in future


def test_the_auditor_reads_only_the_audit_log(cast: Cast) -> None:
    client = login(cast.auditor)
    assert client.get("/").status_code == 302
    for url in ("/units/", "/regions/", f"/units/{cast.city_unit.pk}/", "/users/"):
        assert client.get(url).status_code == 403, url
    assert (
        client.get(
            "/api/v1/units",
        ).status_code
        == 200
    )
    assert client.get("/api/v1/units").json()["count"] == 0


@pytest.mark.parametrize("who", ["city_staff", "jingyang", "liaison", "leader", "outsider"])
def test_only_auditors_and_admins_open_the_audit_log(cast: Cast, who: str) -> None:
    assert login(getattr(cast, who)).get("/audit/").status_code == 403


def test_the_audit_log_page_runs_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: object
) -> None:
    client = login(cast.auditor)
    client.get("/audit/")
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        client.get("/audit/")
