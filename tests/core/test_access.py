"""access.py: regions by subtree, units also up the tree, never a sibling district's."""

from __future__ import annotations

import pytest
from django.http import Http404

from tongxin.core import access
from tongxin.core.models import Region, Unit

from ..conftest import Cast, login


def _unit_names(user: object) -> set[str]:
    return set(access.scope(user, Unit.objects.all()).values_list("short_name", flat=True))


def test_district_staff_see_their_units_and_the_units_above_them(cast: Cast) -> None:
    names = _unit_names(cast.jingyang)
    assert {"旌阳区委统战部", "旌阳区司法局", "市委统战部", "市委网信办"} <= names
    assert "罗江区委统战部" not in names
    assert "罗江区工商联" not in names


def test_district_staff_see_their_region_subtree_only(cast: Cast) -> None:
    codes = set(access.scope(cast.jingyang, Region.objects.all()).values_list("code", flat=True))
    assert codes == {"510603"}


def test_city_staff_and_leaders_see_the_whole_city(cast: Cast) -> None:
    for user in (cast.city_staff, cast.leader):
        codes = set(access.scope(user, Region.objects.all()).values_list("code", flat=True))
        assert {"510600", "510603", "510604", "510600901"} <= codes
        assert "510100" not in codes and "510000" not in codes


def test_a_liaison_sees_only_their_own_unit(cast: Cast) -> None:
    assert _unit_names(cast.liaison) == {"市委网信办"}


def test_an_outsider_sees_nothing_of_deyang(cast: Cast) -> None:
    assert not access.scope(cast.outsider, Unit.objects.filter(region__path__contains="/510600/"))
    assert not access.scope(cast.outsider, Region.objects.filter(code="510603"))


def test_an_inactive_user_sees_nothing(cast: Cast) -> None:
    cast.admin.is_active = False
    assert not access.scope(cast.admin, Unit.objects.all()).exists()


def test_get_for_user_answers_404_alike_for_missing_and_foreign(cast: Cast) -> None:
    with pytest.raises(Http404):
        access.get_for_user(cast.luojiang, Unit, pk=cast.jingyang_unit.pk)
    with pytest.raises(Http404):
        access.get_for_user(cast.luojiang, Unit, pk=999999)


def test_a_model_without_a_rule_is_refused_not_passed(cast: Cast) -> None:
    from tongxin.core.models import BusinessLine

    with pytest.raises(LookupError):
        access.scope(cast.admin, BusinessLine.objects.all())


def test_a_jingyang_user_gets_404_for_a_luojiang_unit_in_ui_and_api(cast: Cast) -> None:
    client = login(cast.jingyang)
    assert client.get(f"/units/{cast.luojiang_unit.pk}/").status_code == 404
    response = client.get(f"/api/v1/units/{cast.luojiang_unit.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": access.NOT_FOUND, "code": "not_found"}
    assert client.get(f"/units/{cast.jingyang_unit.pk}/").status_code == 200


@pytest.mark.parametrize("who", ["leader", "auditor"])
def test_read_only_roles_get_403_on_writes(cast: Cast, who: str) -> None:
    client = login(getattr(cast, who))
    before = Unit.objects.count()
    response = client.post(
        "/units/new/", {"name": "新单位", "kind": "other", "region": cast.city.pk, "order": 0}
    )
    assert response.status_code == 403
    assert "只读" in response.content.decode() or "无权" in response.content.decode()
    assert Unit.objects.count() == before


def test_the_leader_is_told_the_account_is_read_only(cast: Cast) -> None:
    response = login(cast.leader).post(f"/units/{cast.city_unit.pk}/edit/", {"name": "x"})
    assert response.status_code == 403
    assert access.READ_ONLY in response.content.decode()


def test_district_staff_cannot_add_units(cast: Cast) -> None:
    response = login(cast.jingyang).post(
        "/units/new/", {"name": "新单位", "kind": "other", "region": cast.jingyang_region.pk}
    )
    assert response.status_code == 403
    assert not Unit.objects.filter(name="新单位").exists()


def test_a_moved_region_takes_its_subtree_along(cast: Cast) -> None:
    from tongxin.core.services import region_create, region_update

    zone = region_create(
        actor=cast.admin, code="510600903", name="临时片区", kind="functional", parent=cast.city
    )
    sub = region_create(
        actor=cast.admin, code="510600904", name="片区下属", kind="functional", parent=zone
    )
    region_update(actor=cast.admin, region=zone, parent=cast.jingyang_region)
    sub.refresh_from_db()
    assert sub.path == "/510000/510600/510603/510600903/510600904/"
    codes = set(access.scope(cast.jingyang, Region.objects.all()).values_list("code", flat=True))
    assert {"510600903", "510600904"} <= codes
