"""The registry's services and selectors as the pages use them: Chinese refusals that change
nothing, one living record per ID number, merges that keep everything, archives instead of
deletes, audited reveals, scope by region and line, search, and encryption at rest."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tongxin.core import ids
from tongxin.core.audit import SECRET_MARK
from tongxin.core.ids import make_id_number
from tongxin.core.models import AuditAction, AuditEvent, Region, User
from tongxin.registry import forms, history, selectors, services
from tongxin.registry.models import CodeItem, Membership, Person

from ..conftest import Cast

ID_1 = make_id_number("510603", dt.date(1978, 3, 5), 21, "F")
ID_2 = make_id_number("510604", dt.date(1969, 11, 20), 33, "M")


def code(kind: str, name: str) -> CodeItem:
    return CodeItem.objects.get(kind=kind, name=name)


def new_person(actor: User | None, region: Region, name: str = "曾蓉", **fields: Any) -> Person:
    fields.setdefault("categories", [code("category", "新的社会阶层人士")])
    return services.person_create(actor=actor, name=name, region=region, **fields)


def names(user: User, q: str = "", **kwargs: Any) -> set[str]:
    return {p.name for p in selectors.person_list(user, selectors.PersonFilter(q=q, **kwargs))}


def messages_of(exc: pytest.ExceptionInfo[ValidationError], field: str) -> list[str]:
    return exc.value.message_dict[field]


# --- create and update ----------------------------------------------------------------------------


def test_a_bad_id_number_is_refused_with_a_chinese_sentence(cast: Cast) -> None:
    bad = ID_1[:-1] + ("0" if ID_1[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        new_person(cast.jingyang, cast.jingyang_region, id_number=bad)
    assert messages_of(exc, "id_number") == [ids.ID_CHECKSUM]
    assert not Person.objects.filter(name="曾蓉").exists()


def test_a_bad_phone_is_refused_with_a_chinese_sentence(cast: Cast) -> None:
    with pytest.raises(ValidationError) as exc:
        new_person(cast.jingyang, cast.jingyang_region, phone="12345")
    assert messages_of(exc, "phone") == [ids.PHONE_INVALID]


def test_gender_and_birth_date_come_from_the_id_number(cast: Cast) -> None:
    person = new_person(
        cast.jingyang,
        cast.jingyang_region,
        id_number=ID_1.lower(),
        gender="M",
        birth_date=dt.date(2000, 1, 1),
    )
    assert (person.gender, person.birth_date) == ("F", dt.date(1978, 3, 5))
    assert person.id_number == ID_1


def test_a_district_cannot_create_a_person_in_another_district(cast: Cast) -> None:
    with pytest.raises(ValidationError) as exc:
        new_person(cast.luojiang, cast.jingyang_region)
    assert messages_of(exc, "region") == [services.REGION_OUT_OF_SCOPE]


def test_an_update_that_fails_changes_nothing(cast: Cast) -> None:
    person = new_person(cast.jingyang, cast.jingyang_region, phone="13812340000")
    with pytest.raises(ValidationError):
        services.person_update(actor=cast.jingyang, person=person, name="曾蓉蓉", phone="999")
    person.refresh_from_db()
    assert (person.name, person.phone) == ("曾蓉", "13812340000")


def test_a_second_record_with_the_same_id_number_is_refused(cast: Cast) -> None:
    new_person(cast.jingyang, cast.jingyang_region, id_number=ID_1)
    with pytest.raises(ValidationError) as exc:
        new_person(cast.jingyang, cast.jingyang_region, name="曾蓉二", id_number=ID_1)
    assert "已登记为“曾蓉”" in messages_of(exc, "id_number")[0]
    assert Person.objects.filter(name="曾蓉二").count() == 0


def test_a_duplicate_outside_ones_scope_is_refused_without_naming_it(cast: Cast) -> None:
    new_person(cast.jingyang, cast.jingyang_region, id_number=ID_1)
    with pytest.raises(ValidationError) as exc:
        new_person(cast.luojiang, cast.luojiang_region, name="另一人", id_number=ID_1)
    message = messages_of(exc, "id_number")[0]
    assert "管辖范围以外" in message and "曾蓉" not in message


# --- merge, archive -------------------------------------------------------------------------------


def test_a_merge_keeps_memberships_details_and_history(cast: Cast) -> None:
    keep = new_person(cast.admin, cast.jingyang_region)
    drop = new_person(
        cast.admin,
        cast.jingyang_region,
        id_number=ID_1,
        phone="13900001111",
        employer="旌阳区律师事务所",
    )
    membership = services.membership_add(
        actor=cast.admin, person=drop, organization=cast.records.organization, role="理事"
    )
    services.person_update(actor=cast.admin, person=drop, position="主任")

    services.person_merge(actor=cast.admin, keep=keep, drop=drop)

    keep.refresh_from_db()
    drop.refresh_from_db()
    assert Membership.objects.get(pk=membership.pk).person == keep
    assert (keep.id_number, keep.phone, keep.employer) == (ID_1, "13900001111", "旌阳区律师事务所")
    assert drop.is_archived and drop.merged_into == keep
    entries = history.person_history(cast.admin, keep)
    details = [c for e in entries for c in e.changes]
    assert any(c.label == "职务" and c.after == "主任" for c in details)  # drop's own history
    assert any(e.subject.startswith("组织成员") for e in entries)
    assert any("合并了记录" in e.detail for e in entries)


def test_a_record_cannot_be_merged_with_itself(cast: Cast) -> None:
    person = new_person(cast.admin, cast.jingyang_region)
    with pytest.raises(ValidationError) as exc:
        services.person_merge(actor=cast.admin, keep=person, drop=person)
    assert exc.value.messages == [services.MERGE_SAME]


def test_archiving_keeps_the_record_out_of_the_list_but_in_the_database(cast: Cast) -> None:
    person = new_person(cast.jingyang, cast.jingyang_region)
    with pytest.raises(ValidationError) as exc:
        services.person_archive(actor=cast.jingyang, person=person, reason="  ")
    assert messages_of(exc, "archive_reason") == [services.ARCHIVE_REASON_REQUIRED]
    services.person_archive(actor=cast.jingyang, person=person, reason="已调离本市")
    assert Person.objects.filter(pk=person.pk).exists()
    assert "曾蓉" not in names(cast.jingyang)
    assert "曾蓉" in names(cast.jingyang, archived=True)
    services.person_restore(actor=cast.jingyang, person=person)
    assert "曾蓉" in names(cast.jingyang)


# --- reveal ---------------------------------------------------------------------------------------


def test_a_reveal_is_audited(cast: Cast) -> None:
    cast.jingyang.can_reveal = True
    cast.jingyang.save()
    person = cast.records.person
    revealed = services.person_reveal(actor=cast.jingyang, person=person)
    assert revealed == {"id_number": person.id_number, "phone": "13812345678"}
    event = AuditEvent.objects.get(action=AuditAction.REVEAL)
    assert (event.actor, event.object_id) == (cast.jingyang, str(person.pk))


@pytest.mark.parametrize("who", ["jingyang", "leader", "admin"])
def test_a_reveal_without_the_permission_is_refused_and_reveals_nothing(
    cast: Cast, who: str
) -> None:
    with pytest.raises(PermissionDenied) as exc:
        services.person_reveal(actor=getattr(cast, who), person=cast.records.person)
    assert str(exc.value) == services.NOT_REVEALABLE
    assert not AuditEvent.objects.filter(action=AuditAction.REVEAL).exists()


# --- scope by line and by region ------------------------------------------------------------------


def test_city_staff_see_and_keep_only_the_people_of_their_lines(cast: Cast) -> None:
    new_person(
        cast.admin, cast.luojiang_region, name="释明心", categories=[code("category", "宗教界人士")]
    )
    seen = names(cast.city_staff)
    assert "旌阳测试人员" in seen and "释明心" not in seen
    with pytest.raises(ValidationError) as exc:
        new_person(
            cast.city_staff,
            cast.jingyang_region,
            name="释明光",
            categories=[code("category", "宗教界人士")],
        )
    assert messages_of(exc, "categories") == [services.CATEGORY_OUT_OF_LINE]


def test_religion_and_ethnicity_are_hidden_from_roles_whose_line_does_not_need_them(
    cast: Cast,
) -> None:
    for user, sees in (
        (cast.city_staff, False),
        (cast.leader, False),
        (cast.admin, True),
        (cast.jingyang, True),
    ):
        keys = {c.key for c in forms.available_columns(user)}
        assert ({"religion", "ethnicity"} <= keys) is sees, user.username
        form_fields = set(forms.PersonForm(user).fields)
        assert ({"religion", "ethnicity"} <= form_fields) is sees, user.username


def test_a_jingyang_user_never_sees_a_luojiang_person(cast: Cast) -> None:
    person = new_person(
        cast.luojiang, cast.luojiang_region, name="罗江人员甲", id_number=ID_2, phone="13700001234"
    )
    for q in ("", "罗江人员甲", "ljryj", ID_2, "13700001234"):
        assert "罗江人员甲" not in names(cast.jingyang, q), q
    with pytest.raises(Exception) as exc:
        selectors.person_detail(cast.jingyang, person.pk)
    assert exc.value.__class__.__name__ == "Http404"


# --- search ---------------------------------------------------------------------------------------


@pytest.fixture
def searchable(cast: Cast) -> Cast:
    new_person(cast.admin, cast.jingyang_region, name="曾蓉", id_number=ID_1, phone="13900001111")
    new_person(cast.admin, cast.jingyang_region, name="单建国", employer="旌阳区同德律师事务所")
    new_person(cast.admin, cast.jingyang_region, name="陈志明")
    new_person(cast.admin, cast.jingyang_region, name="陳家輝")
    new_person(cast.admin, cast.jingyang_region, name="张振中")
    new_person(cast.admin, cast.jingyang_region, name="安卓")
    return cast


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("zr", "曾蓉"),
        ("ZR", "曾蓉"),
        ("zengrong", "曾蓉"),
        ("shan", "单建国"),
        ("sjg", "单建国"),
        ("陳", "陈志明"),
        ("陈", "陳家輝"),
        ("陈家辉", "陳家輝"),
        ("同德律师", "单建国"),
        (ID_1, "曾蓉"),
        (ID_1.lower(), "曾蓉"),
        ("139 0000 1111", "曾蓉"),
        ("13900001111", "曾蓉"),
        # Prefixes ending in z, where the indexed range's upper end moves to the letter before.
        ("zz", "张振中"),
        ("zzz", "张振中"),
        ("zhangz", "张振中"),
        ("az", "安卓"),
        ("anz", "安卓"),
    ],
)
def test_the_search_box_finds(searchable: Cast, q: str, found: str) -> None:
    assert found in names(searchable.admin, q)


@pytest.mark.parametrize(
    ("q", "expected"),
    [("zz", {"张振中"}), ("az", {"安卓"}), ("zr", {"曾蓉"}), ("zh", {"张振中"}), ("zzzz", set())],
)
def test_a_pinyin_prefix_finds_exactly_the_names_it_begins(
    searchable: Cast, q: str, expected: set[str]
) -> None:
    assert names(searchable.admin, q) == expected


def test_a_partial_id_number_finds_nobody(searchable: Cast) -> None:
    assert names(searchable.admin, ID_1[:10]) == set()


# --- at rest --------------------------------------------------------------------------------------


def test_a_dump_of_the_person_table_holds_no_id_number_or_phone(cast: Cast) -> None:
    new_person(cast.admin, cast.jingyang_region, id_number=ID_1, phone="13900001111")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM registry_person")
        dump = repr(cursor.fetchall())
    assert "曾蓉" in dump  # the dump is real
    for secret in (ID_1, ID_1[6:14] + ID_1[14:], "13900001111", "13812345678"):
        assert secret not in dump


def test_the_history_notes_a_changed_phone_without_its_value(cast: Cast) -> None:
    person = new_person(cast.admin, cast.jingyang_region, phone="13900001111")
    services.person_update(actor=cast.admin, person=person, phone="13900002222")
    entries = history.person_history(cast.admin, person)
    phones = [c for e in entries for c in e.changes if c.label == "手机号码"]
    assert phones and all(c.after == SECRET_MARK and c.before is None for c in phones)
    assert "13900002222" not in repr(entries) and "13900001111" not in repr(entries)
