"""Activities through their services: participants in roles, outcomes, money in Decimal, scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum

from tongxin.core import access
from tongxin.core.models import BusinessLine, Region, Unit
from tongxin.registry.models import CodeItem, CodeKind, Organization
from tongxin.work import services_activities as svc
from tongxin.work.checks import (
    LINE_OUT_OF_SCOPE,
    LINE_REQUIRED,
    LINK_OUT_OF_SCOPE,
    REGION_OUT_OF_SCOPE,
)
from tongxin.work.models import Activity, CreditAgreement, Participation

from ..conftest import Cast
from ..factories import UserFactory
from ..work_records import activity_type


def _meeting(cast: Cast, **fields: object) -> Activity:
    return svc.activity_create(
        actor=cast.jingyang,
        type=activity_type("对接会"),
        title="旌阳区政银企对接会",
        date=dt.date(2022, 9, 1),
        region=cast.jingyang_region,
        **fields,  # type: ignore[arg-type]
    )


def _enterprise(cast: Cast, name: str) -> Organization:
    return Organization.objects.create(
        name=name,
        org_type=CodeItem.objects.get(kind=CodeKind.ORG_TYPE, name="企业"),
        region=cast.jingyang_region,
        is_non_public=True,
    )


def test_the_activity_types_are_the_designs_list_and_admins_can_add_more(db: None) -> None:
    names = set(CodeItem.objects.filter(kind=CodeKind.ACTIVITY_TYPE).values_list("name", flat=True))
    assert {
        "推进会",
        "联席会议",
        "政党协商会议",
        "恳谈会",
        "对接会",
        "现场推进会",
        "培训班",
    } <= names
    assert {"走访", "宣讲", "主题教育", "调研", "论坛", "招商推介", "品牌活动", "课程教学"} <= names
    CodeItem.objects.create(kind=CodeKind.ACTIVITY_TYPE, name="同心讲堂")
    assert activity_type("同心讲堂").kind == CodeKind.ACTIVITY_TYPE


def test_participants_keep_their_roles_and_the_order_they_were_given(cast: Cast) -> None:
    unit = Unit.objects.get(short_name="旌阳区司法局")
    activity = _meeting(
        cast,
        participants=[
            svc.ParticipantSpec(role="chairs", person=cast.records.person),
            svc.ParticipantSpec(role="exchange", unit=unit, note="依法护企"),
        ],
    )
    rows = list(activity.participations.values_list("role", "unit__short_name", "note", "order"))
    assert rows == [("chairs", None, "", 0), ("exchange", "旌阳区司法局", "依法护企", 1)]


def test_a_person_takes_part_once_per_activity(cast: Cast) -> None:
    activity = _meeting(cast, participants=[svc.ParticipantSpec("takes_part", cast.records.person)])
    with pytest.raises(ValidationError):
        svc.participations_add(
            actor=cast.jingyang,
            activity=activity,
            participants=[svc.ParticipantSpec("attends", cast.records.person)],
        )
    assert activity.participations.count() == 1


def test_a_participant_is_a_person_or_a_unit_never_both_or_neither(cast: Cast) -> None:
    activity = _meeting(cast)
    unit = Unit.objects.get(short_name="旌阳区司法局")
    for spec in (
        svc.ParticipantSpec("attends"),
        svc.ParticipantSpec("attends", person=cast.records.person, unit=unit),
    ):
        with pytest.raises(ValidationError) as err:
            svc.participations_add(actor=cast.jingyang, activity=activity, participants=[spec])
        assert svc.PARTICIPANT_REQUIRED in err.value.messages
    with pytest.raises(ValidationError) as err:
        svc.participations_add(
            actor=cast.jingyang,
            activity=activity,
            participants=[svc.ParticipantSpec("cheers", person=cast.records.person)],
        )
    assert svc.ROLE_INVALID in err.value.messages
    assert not activity.participations.exists()


def test_credit_amounts_are_exact_decimals_and_add_up_to_the_cent(cast: Cast) -> None:
    activity = _meeting(cast)
    amounts = ["0.10", "0.20", "1234.56", "0.01", "9999999.99"]
    for n, amount in enumerate(amounts):
        svc.credit_add(
            actor=cast.jingyang,
            activity=activity,
            enterprise=_enterprise(cast, f"旌阳授信企业{n}"),
            bank="德阳银行",
            amount=amount,
        )
    total = CreditAgreement.objects.filter(activity=activity).aggregate(t=Sum("amount"))["t"]
    assert total == Decimal("10001234.86")
    assert total == sum(Decimal(a) for a in amounts)


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "1.005", "NaN", "Infinity", ""])
def test_a_bad_credit_amount_is_refused_and_nothing_written(cast: Cast, amount: str) -> None:
    activity = _meeting(cast)
    with pytest.raises(ValidationError) as err:
        svc.credit_add(
            actor=cast.jingyang,
            activity=activity,
            enterprise=_enterprise(cast, "旌阳测试授信企业"),
            bank="德阳银行",
            amount=amount,
        )
    assert svc.AMOUNT_INVALID in err.value.messages
    assert not CreditAgreement.objects.filter(activity=activity).exists()


def test_a_float_amount_becomes_the_decimal_it_was_written_as(cast: Cast) -> None:
    assert svc.parse_wan_yuan(6238.0) == Decimal("6238.00")
    assert svc.parse_wan_yuan("62,380.50") == Decimal("62380.50")


def test_credit_goes_to_an_enterprise_only(cast: Cast) -> None:
    with pytest.raises(ValidationError) as err:
        svc.credit_add(
            actor=cast.jingyang,
            activity=_meeting(cast),
            enterprise=cast.records.organization,  # a 联谊组织
            bank="德阳银行",
            amount="100",
        )
    assert svc.CREDIT_NOT_ENTERPRISE in err.value.messages


def test_a_district_user_cannot_record_an_activity_in_another_district(cast: Cast) -> None:
    with pytest.raises(ValidationError) as err:
        svc.activity_create(
            actor=cast.jingyang,
            type=activity_type("宣讲"),
            title="罗江宣讲",
            date=dt.date(2022, 1, 1),
            region=cast.luojiang_region,
        )
    assert REGION_OUT_OF_SCOPE in err.value.messages
    assert not Activity.objects.filter(title="罗江宣讲").exists()


def test_links_outside_ones_scope_are_refused_like_missing_ones(cast: Cast) -> None:
    luojiang_enterprise = Organization.objects.create(
        name="罗江企业",
        org_type=CodeItem.objects.get(kind=CodeKind.ORG_TYPE, name="企业"),
        region=cast.luojiang_region,
    )
    with pytest.raises(ValidationError) as err:
        _meeting(cast, landed_enterprises=[luojiang_enterprise])
    assert LINK_OUT_OF_SCOPE.format(label="落地企业") in err.value.messages
    assert not Activity.objects.filter(title="旌阳区政银企对接会").exists()


def test_city_staff_record_activities_of_their_own_lines_only(cast: Cast) -> None:
    kwargs = {
        "actor": cast.city_staff,
        "type": activity_type("推进会"),
        "title": "全市新阶工作推进会",
        "date": dt.date(2022, 3, 1),
        "region": cast.city,
    }
    with pytest.raises(ValidationError) as err:
        svc.activity_create(**kwargs)  # type: ignore[arg-type]
    assert LINE_REQUIRED in err.value.messages
    with pytest.raises(ValidationError) as err:
        svc.activity_create(**kwargs, line=BusinessLine.objects.get(name="党派"))  # type: ignore[arg-type]
    assert LINE_OUT_OF_SCOPE in err.value.messages
    activity = svc.activity_create(**kwargs, line=BusinessLine.objects.get(name="新阶"))  # type: ignore[arg-type]
    assert access.scope(cast.city_staff, Activity.objects.all()).filter(pk=activity.pk).exists()


def test_read_only_roles_cannot_record_activities(cast: Cast) -> None:
    for who in (cast.leader, cast.auditor, cast.liaison):
        with pytest.raises(PermissionDenied):
            svc.activity_create(
                actor=who,
                type=activity_type("宣讲"),
                title="不应写入",
                date=dt.date(2022, 1, 1),
                region=cast.city,
            )
    assert not Activity.objects.filter(title="不应写入").exists()


def test_a_liaison_sees_the_activities_of_their_unit_without_the_people(cast: Cast) -> None:
    activity = _meeting(
        cast,
        participants=[
            svc.ParticipantSpec("speaks", person=cast.records.person),
            svc.ParticipantSpec("exchange", unit=cast.city_unit),
        ],
    )
    seen = access.scope(cast.liaison, Activity.objects.all())
    assert list(seen) == [activity]  # not the 旌阳 恳谈会 their unit had no part in
    rows = access.scope(cast.liaison, Participation.objects.filter(activity=activity))
    assert [p.unit for p in rows] == [cast.city_unit]


def test_other_districts_and_outsiders_see_no_jingyang_activity(cast: Cast) -> None:
    for who in (cast.luojiang, cast.outsider, cast.auditor):
        assert not access.scope(who, Activity.objects.all()).exists()
        assert not access.scope(who, Participation.objects.all()).exists()
        assert not access.scope(who, CreditAgreement.objects.all()).exists()
    assert access.scope(cast.leader, Activity.objects.all()).filter(pk=cast.work.activity.pk)


def test_officials_outside_the_registry_take_part_by_name_and_title(cast: Cast) -> None:
    activity = _meeting(
        cast,
        participants=[
            svc.ParticipantSpec("speaks", name="朱莉", title="市委常委、统战部部长"),
            svc.ParticipantSpec("chairs", name="毛毅", title="市委统战部副部长"),
        ],
    )
    assert [(p.who, p.get_role_display()) for p in activity.participations.all()] == [
        ("朱莉", "出席并讲话"),
        ("毛毅", "主持"),
    ]
    with pytest.raises(ValidationError):
        svc.participations_add(
            actor=cast.jingyang,
            activity=activity,
            participants=[svc.ParticipantSpec("attends", name="朱莉")],
        )


def test_a_city_meeting_shows_to_districts_whose_people_or_units_took_part(cast: Cast) -> None:
    meeting = svc.activity_create(
        actor=cast.admin,
        type=activity_type("推进会"),
        title="全市新阶工作推进会",
        date=dt.date(2023, 7, 5),
        region=cast.city,
        participants=[
            svc.ParticipantSpec("speaks", name="朱莉", title="市委常委、统战部部长"),
            svc.ParticipantSpec("takes_part", person=cast.records.person),
            svc.ParticipantSpec("exchange", unit=Unit.objects.get(short_name="罗江区委统战部")),
        ],
    )
    # 旌阳: its person took part; it sees the meeting and all three rows.
    assert access.scope(cast.jingyang, Activity.objects.filter(pk=meeting.pk)).exists()
    seen = access.scope(cast.jingyang, Participation.objects.filter(activity=meeting))
    assert {p.who for p in seen} == {"朱莉", cast.records.person.name, "罗江区委统战部"}
    # 罗江: its department spoke; it sees the meeting but not 旌阳's person.
    assert access.scope(cast.luojiang, Activity.objects.filter(pk=meeting.pk)).exists()
    seen = access.scope(cast.luojiang, Participation.objects.filter(activity=meeting))
    assert {p.who for p in seen} == {"朱莉", "罗江区委统战部"}
    # Another county took no part: nothing; an outsider: nothing.
    zhongjiang = UserFactory(
        username="t_zj", role="district_staff", region=Region.objects.get(code="510623")
    )
    for who in (zhongjiang, cast.outsider):
        assert not access.scope(who, Activity.objects.filter(pk=meeting.pk)).exists()
        assert not access.scope(who, Participation.objects.filter(activity=meeting)).exists()


def test_a_district_reads_a_city_meeting_it_took_part_in_but_cannot_change_it(cast: Cast) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tongxin.work import attachments
    from tongxin.work.checks import NOT_YOURS
    from tongxin.work.models import Attachment, PromotedProject

    meeting = svc.activity_create(
        actor=cast.admin,
        type=activity_type("招商推介"),
        title="全市招商推介会",
        date=dt.date(2022, 4, 26),
        region=cast.city,
        participants=[svc.ParticipantSpec("takes_part", person=cast.records.person)],
    )
    luojiang_firm = _enterprise(cast, "罗江授信企业")
    luojiang_firm.region = cast.luojiang_region
    luojiang_firm.save()
    svc.credit_add(
        actor=cast.admin, activity=meeting, enterprise=luojiang_firm, bank="德阳银行", amount="9"
    )
    attachments.attachment_add(
        actor=cast.admin,
        activity=meeting,
        upload=SimpleUploadedFile("名单.pdf", b"%PDF-1.4 x"),
    )
    assert access.scope(cast.jingyang, Activity.objects.filter(pk=meeting.pk)).exists()
    # What other districts signed, and the meeting's files, stay out of sight.
    assert not access.scope(cast.jingyang, CreditAgreement.objects.filter(activity=meeting))
    assert not access.scope(cast.jingyang, Attachment.objects.filter(activity=meeting))
    writes = [
        lambda: svc.activity_update(actor=cast.jingyang, activity=meeting, title="改"),
        lambda: svc.project_add(actor=cast.jingyang, activity=meeting, name="旌阳项目"),
        lambda: svc.participation_remove(
            actor=cast.jingyang, participation=meeting.participations.get()
        ),
        lambda: attachments.attachment_add(
            actor=cast.jingyang,
            activity=meeting,
            upload=SimpleUploadedFile("旌阳.pdf", b"%PDF-1.4 x"),
        ),
    ]
    for write in writes:
        with pytest.raises(ValidationError) as err:
            write()
        assert NOT_YOURS in err.value.messages
    meeting.refresh_from_db()
    assert meeting.title == "全市招商推介会"
    assert meeting.participations.count() == 1
    assert not PromotedProject.objects.filter(activity=meeting).exists()
