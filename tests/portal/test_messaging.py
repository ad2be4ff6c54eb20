"""Texting a person about their own requests (messaging.text_person): after the commit only, to
the phone of their active portal account, else to the mobile number in their record; never to a
disabled account's login number. The join, opinion and profile services all text this way."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from tongxin.portal import services_joins as joins
from tongxin.portal import services_opinions as opinions
from tongxin.portal.messaging import LocMemSMSBackend, mobile_number, phone_to_text, text_person
from tongxin.portal.models import AccountStatus, PortalAccount
from tongxin.registry import services as registry

from ..conftest import Cast
from .events_world import make_joining
from .helpers import make_account
from .opinion_world import send

RECORD_PHONE = "13812345678"  # cast.records.person's number in the registry
LOGIN_PHONE = "13800000001"


def _disable(account: PortalAccount) -> None:
    PortalAccount.objects.filter(pk=account.pk).update(status=AccountStatus.DISABLED)


def test_an_active_account_is_texted_at_its_login_number(cast: Cast) -> None:
    make_account(cast.records.person, phone=LOGIN_PHONE)
    assert phone_to_text(cast.records.person) == LOGIN_PHONE


def test_a_disabled_account_is_not_texted_the_record_s_mobile_is(cast: Cast) -> None:
    _disable(make_account(cast.records.person, phone=LOGIN_PHONE))
    assert phone_to_text(cast.records.person) == RECORD_PHONE


def test_without_an_account_the_record_s_mobile_and_never_a_landline(cast: Cast) -> None:
    person = cast.records.person
    assert phone_to_text(person) == RECORD_PHONE
    registry.person_update(actor=cast.jingyang, person=person, phone="0838-2345678")
    person.refresh_from_db()
    assert phone_to_text(person) == ""
    assert mobile_number("+86 138 1234 5678") == RECORD_PHONE
    assert mobile_number("") == ""


def test_the_text_goes_after_the_commit_and_not_for_a_rollback(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        text_person(cast.records.person, "已办理。")
        assert LocMemSMSBackend.outbox == []
    assert LocMemSMSBackend.outbox == [(RECORD_PHONE, "【同心】已办理。")]
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        text_person(cast.records.person, "不应发出。")
        raise RuntimeError
    assert len(LocMemSMSBackend.outbox) == 1


def test_a_join_decision_is_not_texted_to_a_disabled_accounts_login(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    world = make_joining(cast)
    person = world.account.person  # no phone in the record
    application = joins.join_apply(
        person=person, organization=world.service_team, reason="希望参加服务活动"
    )
    _disable(world.account)
    with django_capture_on_commit_callbacks(execute=True):
        joins.join_approve(actor=cast.jingyang, application=application)
    assert LocMemSMSBackend.outbox == []


def test_an_answer_to_a_disabled_accounts_opinion_goes_to_the_record_s_mobile(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    account = make_account(cast.records.person, phone=LOGIN_PHONE)
    submission = send(account)
    _disable(account)
    with django_capture_on_commit_callbacks(execute=True):
        opinions.submission_answer(actor=cast.jingyang, submission=submission, answer="已答复。")
    assert [phone for phone, _ in LocMemSMSBackend.outbox] == [RECORD_PHONE]
