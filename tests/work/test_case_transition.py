"""The case state machine: every legal and illegal move, events in the same transaction."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import Unit
from tongxin.work import services
from tongxin.work.models import Case, CaseEvent, CaseStatus, OpinionKind, VisitMethod

from ..conftest import Cast

S = CaseStatus
TOMORROW = timezone.localdate() + dt.timedelta(days=5)


def _visit_case(cast: Cast) -> Case:
    visit = services.visit_record(
        actor=cast.jingyang,
        visited_on=timezone.localdate(),
        method=VisitMethod.ON_SITE,
        person=cast.records.person,
        region=cast.jingyang_region,
        visitors="王志强",
        opinions=[(OpinionKind.DIFFICULTY, "企业融资难，希望协调银行授信。")],
    )
    return services.opinion_to_case(actor=cast.jingyang, opinion=visit.opinions.get())


def _assigned_case(cast: Cast) -> Case:
    """A case from a visit, assigned by 旌阳区 to 市司法局 with a deadline."""
    return services.case_transition(
        case=_visit_case(cast),
        to_status=S.ASSIGNED,
        actor=cast.jingyang,
        units=[_justice(cast)],
        deadline=TOMORROW,
    )


def _justice(cast: Cast) -> Unit:
    return Unit.objects.get(short_name="市司法局")


def _liaison_of(cast: Cast, unit: Unit) -> object:
    cast.liaison.unit = unit
    cast.liaison.save()
    return cast.liaison


def test_the_whole_journey_from_visit_to_follow_up(cast: Cast) -> None:
    case = _visit_case(cast)
    assert case.status == S.ACCEPTED and case.requester_person == cast.records.person
    justice = _justice(cast)
    liaison = _liaison_of(cast, justice)
    case = services.case_transition(
        case=case, to_status=S.ASSIGNED, actor=cast.jingyang, units=[justice], deadline=TOMORROW
    )
    assert access.scope(liaison, Case.objects.all()).get() == case
    case = services.case_transition(case=case, to_status=S.IN_PROGRESS, actor=liaison)
    services.case_progress(case=case, actor=liaison, note="已对接两家银行。")
    case = services.case_transition(
        case=case, to_status=S.RESOLVED, actor=liaison, resolution="协调授信500万元。"
    )
    case = services.case_transition(
        case=case, to_status=S.FOLLOWED_UP, actor=cast.jingyang, satisfaction="satisfied"
    )
    steps = list(case.events.values_list("from_status", "to_status", "actor__username"))
    assert steps == [
        (S.ACCEPTED, S.ACCEPTED, "t_jingyang"),
        (S.ACCEPTED, S.ASSIGNED, "t_jingyang"),
        (S.ASSIGNED, S.IN_PROGRESS, "t_liaison"),
        (S.IN_PROGRESS, S.IN_PROGRESS, "t_liaison"),
        (S.IN_PROGRESS, S.RESOLVED, "t_liaison"),
        (S.RESOLVED, S.FOLLOWED_UP, "t_jingyang"),
    ]
    assert not access.scope(cast.luojiang, Case.objects.all()).exists()
    assert not access.scope(cast.luojiang, CaseEvent.objects.all()).exists()


LEGAL = set(services.MOVES)


@pytest.mark.parametrize("start", list(S))
@pytest.mark.parametrize("to", list(S))
def test_only_the_listed_moves_are_possible(cast: Cast, start: str, to: str) -> None:
    case = _visit_case(cast)
    Case.objects.filter(pk=case.pk).update(
        status=start, resolution="已办", satisfaction="basic", deadline=TOMORROW
    )
    case.units.set([_justice(cast)])
    case.refresh_from_db()
    events = CaseEvent.objects.count()
    kwargs = {
        "units": [_justice(cast)],
        "deadline": TOMORROW,
        "resolution": "已办结。",
        "satisfaction": "satisfied",
        "note": "原因：材料不全。",
    }
    if (start, to) in LEGAL:
        services.case_transition(case=case, to_status=to, actor=cast.jingyang, **kwargs)
        assert Case.objects.get(pk=case.pk).status == to
        assert CaseEvent.objects.count() == events + 1
    else:
        with pytest.raises(services.IllegalTransition, match="不能变为"):
            services.case_transition(case=case, to_status=to, actor=cast.jingyang, **kwargs)
        assert Case.objects.get(pk=case.pk).status == start
        assert CaseEvent.objects.count() == events


def test_closing_needs_a_resolution_and_changes_nothing_without(cast: Cast) -> None:
    case = _assigned_case(cast)
    case = services.case_transition(case=case, to_status=S.IN_PROGRESS, actor=cast.jingyang)
    events = CaseEvent.objects.count()
    with pytest.raises(ValidationError, match="办理结果"):
        services.case_transition(case=case, to_status=S.RESOLVED, actor=cast.jingyang)
    assert Case.objects.get(pk=case.pk).status == S.IN_PROGRESS
    assert CaseEvent.objects.count() == events


def test_a_return_needs_a_reason(cast: Cast) -> None:
    case = _assigned_case(cast)
    with pytest.raises(ValidationError, match="原因"):
        services.case_transition(case=case, to_status=S.ACCEPTED, actor=cast.jingyang)


def test_an_extension_needs_a_reason_and_a_later_deadline(cast: Cast) -> None:
    case = _assigned_case(cast)
    with pytest.raises(ValidationError):
        services.case_extend(case=case, actor=cast.jingyang, deadline=TOMORROW, reason="需协调")
    with pytest.raises(ValidationError):
        services.case_extend(
            case=case, actor=cast.jingyang, deadline=TOMORROW + dt.timedelta(days=3), reason=""
        )
    case = services.case_extend(
        case=case,
        actor=cast.jingyang,
        deadline=TOMORROW + dt.timedelta(days=3),
        reason="需协调省级部门",
    )
    assert case.deadline == TOMORROW + dt.timedelta(days=3)
    assert case.events.filter(kind="extend").exists()


def test_a_liaison_of_another_unit_cannot_handle_the_case(cast: Cast) -> None:
    case = _assigned_case(cast)
    with pytest.raises(PermissionDenied):
        services.case_transition(case=case, to_status=S.IN_PROGRESS, actor=cast.liaison)
    assert not access.scope(cast.liaison, Case.objects.all()).exists()


def test_a_leader_cannot_move_a_case(cast: Cast) -> None:
    case = _visit_case(cast)
    with pytest.raises(PermissionDenied):
        services.case_transition(
            case=case,
            to_status=S.ASSIGNED,
            actor=cast.leader,
            units=[_justice(cast)],
            deadline=TOMORROW,
        )


def test_an_opinion_becomes_a_case_only_once(cast: Cast) -> None:
    case = _visit_case(cast)
    with pytest.raises(ValidationError, match="已转为诉求"):
        services.opinion_to_case(actor=cast.jingyang, opinion=case.opinion)


def test_overdue_is_derived_from_the_deadline(cast: Cast) -> None:
    case = _assigned_case(cast)
    assert not case.is_overdue and case.days_left() == 5
    case.deadline = timezone.localdate() - dt.timedelta(days=1)
    assert case.is_overdue


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_moves_from_one_state_cannot_both_win(cast: Cast) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serializes writers by itself")
    case = _assigned_case(cast)
    case = services.case_transition(case=case, to_status=S.IN_PROGRESS, actor=cast.jingyang)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def move(to: str, **kwargs: object) -> None:
        barrier.wait()
        try:
            services.case_transition(case=case, to_status=to, actor=cast.jingyang, **kwargs)
            outcomes.append("won")
        except services.IllegalTransition:
            outcomes.append("refused")
        finally:
            connection.close()  # each thread has its own connection; leave none open

    threads = [
        threading.Thread(target=move, args=(S.RESOLVED,), kwargs={"resolution": "已解决"}),
        threading.Thread(target=move, args=(S.ACCEPTED,), kwargs={"note": "退回：材料不全"}),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "won"]
    assert CaseEvent.objects.filter(case=case, from_status=S.IN_PROGRESS).count() == 1


def test_progress_is_refused_on_a_case_not_being_handled(cast: Cast) -> None:
    case = _visit_case(cast)  # 受理: not yet assigned
    with pytest.raises(ValidationError) as err:
        services.case_progress(case=case, actor=cast.jingyang, note="进展")
    assert services.PROGRESS_NOT_OPEN in err.value.messages
    assert not case.events.filter(kind="progress").exists()
