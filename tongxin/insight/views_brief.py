"""The meeting brief page: the news draft of one activity, as a page of its own and as the part
the activity's page swaps in (htmx). Whoever may open the activity may read its brief; it names
only what they may see."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tongxin.work import selectors_activities
from tongxin.work.views_activities import user_of, work_view

from .brief import BRIEF_NOTE, activity_brief


@work_view
def brief_page(request: HttpRequest, activity_id: int) -> HttpResponse:
    user = user_of(request)
    activity = selectors_activities.activity_detail(user, activity_id)
    context = {"activity": activity, "brief": activity_brief(user, activity), "note": BRIEF_NOTE}
    partial = bool(getattr(request, "htmx", False))
    template = "insight/_brief.html" if partial else "insight/brief.html"
    return render(request, template, context)
