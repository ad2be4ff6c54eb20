"""The whole journey through the pages, as the people who do it: a 旌阳区 district user records a
visit to an entrepreneur and turns the difficulty heard into a case assigned to 市司法局; the
liaison of 市司法局 handles and closes it; 旌阳 follows up; the timeline shows every step with who
and when; 罗江区 sees none of it; an illegal move is refused and changes nothing."""

from __future__ import annotations

from django.utils import timezone

from tongxin.work.models import Case, CaseStatus, Visit

from ..conftest import Cast, login
from .casework import TODAY, act, days, justice, justice_liaison, messages_of, page

S = CaseStatus


def test_from_a_visit_to_a_followed_up_case_through_the_pages(cast: Cast) -> None:
    district = login(cast.jingyang)
    entrepreneur = cast.records.person  # 旌阳测试人员, 总经理 of 旌阳测试科技有限公司

    # 1. The visit, with the difficulty heard.
    response = district.post(
        "/visits/new/",
        {
            "target": f"person:{entrepreneur.pk}",
            "visited_on": TODAY.isoformat(),
            "method": "on_site",
            "region": cast.jingyang_region.pk,
            "visitors": "旌阳人员",
            "notes": "走访企业，了解经营情况。",
            "opinions-TOTAL_FORMS": "2",
            "opinions-INITIAL_FORMS": "0",
            "opinions-0-kind": "difficulty",
            "opinions-0-text": "企业扩产缺少流动资金，希望协调银行授信。",
            "opinions-1-kind": "thought",
            "opinions-1-text": "对民营经济政策有信心。",
        },
    )
    visit = Visit.objects.latest("id")
    assert response["Location"] == f"/visits/{visit.pk}/"
    difficulty = visit.opinions.get(kind="difficulty")

    # 2. 转为诉求, one click.
    response = district.post(f"/opinions/{difficulty.pk}/to-case/")
    case = Case.objects.get(opinion=difficulty)
    assert response["Location"] == f"/cases/{case.pk}/"

    # 3. Assigned to 市司法局 with a deadline (three days: it is due soon on the workbench).
    act(district, case, "assign", units=[justice().pk], deadline=days(3).isoformat())

    # 4. The liaison of 市司法局 sees it, starts, reports progress and closes it.
    liaison = login(justice_liaison(cast))
    assert "企业扩产缺少流动资金" in page(liaison, "/cases/")
    assert "企业扩产缺少流动资金" in page(liaison, "/")  # the workbench: 即将到期
    act(liaison, case, "start", note="已安排专人对接。")
    act(liaison, case, "progress", note="已与两家银行对接授信方案。")
    response = act(liaison, case, "resolve", resolution="协调授信500万元，已放款。")
    assert "已办结，诉求状态现为“办结”。" in messages_of(response)

    # 5. 旌阳 follows up.
    act(district, case, "follow_up", satisfaction="satisfied", note="电话回访，企业满意。")
    case.refresh_from_db()
    assert case.status == S.FOLLOWED_UP and case.satisfaction == "satisfied"
    assert case.resolution == "协调授信500万元，已放款。"

    # 6. The timeline: every step, who, when.
    steps = list(case.events.values_list("from_status", "to_status", "actor__name"))
    assert steps == [
        (S.ACCEPTED, S.ACCEPTED, "旌阳人员"),
        (S.ACCEPTED, S.ASSIGNED, "旌阳人员"),
        (S.ASSIGNED, S.IN_PROGRESS, "网信联络员"),
        (S.IN_PROGRESS, S.IN_PROGRESS, "网信联络员"),
        (S.IN_PROGRESS, S.RESOLVED, "网信联络员"),
        (S.RESOLVED, S.FOLLOWED_UP, "旌阳人员"),
    ]
    text = page(district, f"/cases/{case.pk}/")
    for title in (
        "受理",
        "受理 → 交办",
        "交办 → 办理中",
        "报告进展",
        "办理中 → 办结",
        "办结 → 回访",
    ):
        assert f"<strong>{title}</strong>" in text, title
    for note in ("交办：市司法局", "已安排专人对接。", "已与两家银行对接授信方案。", "电话回访"):
        assert note in text, note
    for event in case.events.all():
        assert f"{timezone.localtime(event.at):%Y-%m-%d %H:%M}" in text
    assert text.count("网信联络员 · 市司法局") == 3 and text.count("旌阳人员 · 旌阳区委统战部") == 3
    assert "满意" in text and "协调授信500万元" in text

    # 7. 罗江区 sees none of it.
    luojiang = login(cast.luojiang)
    assert luojiang.get(f"/visits/{visit.pk}/").status_code == 404
    assert luojiang.get(f"/cases/{case.pk}/").status_code == 404
    assert "企业扩产" not in page(luojiang, "/visits/") + page(luojiang, "/cases/")
    assert "企业扩产" not in page(luojiang, "/")

    # 8. A move the state machine does not allow is refused with a message, and changes nothing.
    events = case.events.count()
    response = act(district, case, "resolve", resolution="再次办结")
    assert "诉求当前状态为“回访”，不能变为“办结”。当前可以：无。" in messages_of(response)
    case.refresh_from_db()
    assert case.status == S.FOLLOWED_UP and case.events.count() == events
