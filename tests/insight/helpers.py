"""What the insight tests share: the metric keys other helpers code against
(/work/notes/insight_contract.md), and small record makers."""

from __future__ import annotations

from tongxin.registry.models import CodeItem, CodeKind

CONTRACT_KEYS = (
    "endorsements_provincial",
    "feigong_meetings",
    "top50_listed",
    "private100_entrants",
    "tongxin_bases",
    "site_meetings",
    "investment_events",
    "promoted_projects",
    "new_taiwan_enterprises",
    "hmt_cases_resolved",
    "hmt_credit",
    "party_consultations",
    "party_reports",
    "party_reports_endorsed",
    "party_reports_adopted",
    "immersion_sites",
    "model_courses",
    "model_course_modules",
    "themed_activities",
    "provincial_events",
    "religious_model_sites",
    "trainees",
    "secondments_batch",
    "secondments_batch_number",
    "secondments_total",
    "activities_held",
    "visits",
    "cases_received",
    "cases_open",
    "cases_overdue",
    "cases_resolved",
    "cases_on_time_rate",
    "outputs_endorsed",
    "tasks_open",
    "tasks_overdue",
    "persons_total",
    "organizations_total",
    "people_known",
    "people_organized",
)


def activity_type(name: str) -> CodeItem:
    return CodeItem.objects.get(kind=CodeKind.ACTIVITY_TYPE, name=name)
