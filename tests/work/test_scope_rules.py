"""Scope rules of the work records found by review: lines for city staff, searches in scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tongxin.core import access
from tongxin.core.models import BusinessLine
from tongxin.registry import services as registry
from tongxin.registry.models import CodeItem
from tongxin.work import selectors_cases, services
from tongxin.work.checks import LINE_REQUIRED
from tongxin.work.models import Case, Visit

from ..conftest import Cast


def _religious_person(cast: Cast) -> object:
    return registry.person_create(
        actor=None,
        name="旌阳宗教界人士",
        region=cast.jingyang_region,
        categories=[CodeItem.objects.get(kind="category", name="宗教界人士")],
        phone="13900001111",
    )


def test_city_staff_see_visits_only_to_people_of_their_lines(cast: Cast) -> None:
    other = _religious_person(cast)
    visit = services.visit_record(
        actor=cast.jingyang,
        visited_on=dt.date(2023, 1, 5),
        method="on_site",
        person=other,
        region=cast.jingyang_region,
        visitors="旌阳",
    )
    city_visits = access.scope(cast.city_staff, Visit.objects.all())
    assert visit not in city_visits  # 宗教界 is not the 新阶 line's
    assert cast.records.visit in city_visits  # the 新阶 person's visit is
    assert visit in access.scope(cast.jingyang, Visit.objects.all())


def test_city_staff_file_cases_under_one_of_their_lines(cast: Cast) -> None:
    with pytest.raises(ValidationError) as err:
        services.case_create(
            actor=cast.city_staff,
            title="无条线诉求",
            text_="内容",
            source="walk_in",
            region=cast.city,
        )
    assert LINE_REQUIRED in err.value.messages
    case = services.case_create(
        actor=cast.city_staff,
        title="新阶诉求",
        text_="内容",
        source="walk_in",
        region=cast.city,
        line=BusinessLine.objects.get(name="新阶"),
    )
    assert case.line is not None and case.line.name == "新阶"


def test_an_opinion_becomes_a_case_of_the_city_users_only_line(cast: Cast) -> None:
    opinion = cast.records.visit.opinions.get()
    case = services.opinion_to_case(actor=cast.city_staff, opinion=opinion)
    assert case.line is not None and case.line.name == "新阶"


def test_a_search_by_phone_never_confirms_someone_out_of_sight(cast: Cast) -> None:
    other = _religious_person(cast)
    services.case_create(
        actor=cast.jingyang,
        title="旌阳某诉求",
        text_="内容",
        source="walk_in",
        region=cast.jingyang_region,
        requester_person=other,
    )
    found = selectors_cases.case_list(cast.jingyang, selectors_cases.CaseFilter(q="13900001111"))
    assert [c.title for c in found] == ["旌阳某诉求"]
    # City 新阶 staff may not see that person: the phone finds nothing for them.
    city = selectors_cases.case_list(cast.city_staff, selectors_cases.CaseFilter(q="13900001111"))
    assert not city.exists()
    assert Case.objects.filter(requester_person=other).exists()
