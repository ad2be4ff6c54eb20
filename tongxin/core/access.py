"""The one place that decides what a user may see and change.

Every queryset shown to a user passes through ``scope``; every single record is fetched with
``get_for_user``, which answers 404 alike for "not yours" and "does not exist", so that an id
outside one's scope reveals nothing. Pages a role may not use at all answer 403 (``require_role``),
and read-only roles answer 403 to any write (``require_write``).

Rules (DESIGN.md, "Who uses it"):
- admin sees everything;
- city staff and leaders see their region's subtree (the whole city), district staff theirs;
  units are visible also up the tree, because a district assigns work to city units;
- a liaison sees their own unit and nothing of the registry;
- an auditor sees the audit log only.
Later record types with a business line are narrowed further to the user's lines (city staff).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from .models import ApiToken, AuditEvent, Region, Role, Unit, User

M = TypeVar("M", bound=models.Model)

NOT_FOUND = "未找到该记录，或您无权查看。"
READ_ONLY = "您的账号为只读角色，不能新增、修改或删除数据。"
ROLE_FORBIDDEN = "您的角色无权使用此功能。如需开通，请联系系统管理员。"

STAFF_ROLES = (Role.ADMIN, Role.CITY_STAFF, Role.DISTRICT_STAFF)
DIRECTORY_ROLES = (Role.ADMIN, Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.LEADER, Role.LIAISON)
AUDIT_ROLES = (Role.ADMIN, Role.AUDITOR)


def _active(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def region_path(user: User) -> str:
    return user.region.path


# --- queryset rules, one per model ----------------------------------------------------------------


def _regions(user: User, qs: QuerySet[Region]) -> QuerySet[Region]:
    if user.role == Role.ADMIN:
        return qs
    if user.role == Role.AUDITOR:
        return qs.none()
    if user.role == Role.LIAISON:
        return qs.filter(pk=user.unit.region_id) if user.unit else qs.none()
    return qs.filter(path__startswith=region_path(user))


def _units(user: User, qs: QuerySet[Unit]) -> QuerySet[Unit]:
    if user.role == Role.ADMIN:
        return qs
    if user.role == Role.AUDITOR:
        return qs.none()
    if user.role == Role.LIAISON:
        return qs.filter(pk=user.unit_id) if user.unit_id else qs.none()
    return qs.filter(
        Q(region__path__startswith=region_path(user))
        | Q(region__path__in=user.region.ancestor_paths())
    )


def _users(user: User, qs: QuerySet[User]) -> QuerySet[User]:
    if user.role == Role.ADMIN:
        return qs
    return qs.filter(pk=user.pk)


def _tokens(user: User, qs: QuerySet[ApiToken]) -> QuerySet[ApiToken]:
    if user.role == Role.ADMIN:
        return qs
    return qs.filter(user=user)


def _audit(user: User, qs: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    return qs if user.role in AUDIT_ROLES else qs.none()


# --- the registry ---------------------------------------------------------------------------------
# People and organizations are seen by staff and leaders in their region's subtree; city staff only
# those of their business lines (a person through their categories, an organization through its
# type). Liaisons and auditors see no one. Records hanging off a person or an organization
# follow it.

REGISTRY_ROLES = (Role.ADMIN, Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.LEADER)
# The staff pages of the people's portal (/portal-admin/): what people ask of the department is
# about their registry record, so whoever keeps or reads the registry opens them (staff decide,
# leaders read); liaisons and auditors do not.
PORTAL_STAFF_ROLES = REGISTRY_ROLES


def _registry_visible(user: User) -> bool:
    return user.role in REGISTRY_ROLES


def person_filter(user: User, prefix: str = "") -> Q:
    """The persons ``user`` may see, as a Q over ``prefix`` (e.g. "person__")."""
    from tongxin.registry.models import Person

    q = Q()
    if user.role != Role.ADMIN:
        q &= Q(**{f"{prefix}region__path__startswith": region_path(user)})
    if user.role == Role.CITY_STAFF:
        in_lines = Person.categories.through.objects.filter(
            person_id=OuterRef(f"{prefix}pk" if not prefix else f"{prefix}id"),
            codeitem__line__in=user.lines.all(),
        )
        q &= Q(Exists(in_lines))
    return q


def organization_filter(user: User, prefix: str = "") -> Q:
    q = Q()
    if user.role != Role.ADMIN:
        q &= Q(**{f"{prefix}region__path__startswith": region_path(user)})
    if user.role == Role.CITY_STAFF:
        q &= Q(**{f"{prefix}org_type__line__in": user.lines.all()})
    return q


def _by_person(prefix: str) -> Callable[[User, QuerySet[Any]], QuerySet[Any]]:
    def rule(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.filter(person_filter(user, prefix)) if _registry_visible(user) else qs.none()

    return rule


def _by_organization(prefix: str) -> Callable[[User, QuerySet[Any]], QuerySet[Any]]:
    def rule(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
        return (
            qs.filter(organization_filter(user, prefix)) if _registry_visible(user) else qs.none()
        )

    return rule


def _memberships(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    if not _registry_visible(user):
        return qs.none()
    return qs.filter(person_filter(user, "person__")).filter(
        organization_filter(user, "organization__")
    )


# --- work records ---------------------------------------------------------------------------------
# Work records belong to a region and maybe a business line. A liaison sees the cases assigned to
# their unit, the activities their unit organized or joined and the outputs it authored, without
# the people in them. Secondments and 双走访双报告 follow the person they are about.


def _region_and_line(user: User, prefix: str) -> Q:
    q = Q()
    if user.role != Role.ADMIN:
        q &= Q(**{f"{prefix}region__path__startswith": region_path(user)})
    if user.role == Role.CITY_STAFF:
        q &= Q(**{f"{prefix}line__in": user.lines.all()}) | Q(**{f"{prefix}line__isnull": True})
    return q


def _cases(prefix: str) -> Callable[[User, QuerySet[Any]], QuerySet[Any]]:
    def rule(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
        if user.role == Role.LIAISON:
            if not user.unit_id:
                return qs.none()
            from tongxin.work.models import Case

            assigned = Case.units.through.objects.filter(
                case_id=OuterRef(f"{prefix}pk" if not prefix else f"{prefix}id"),
                unit_id=user.unit_id,
            )
            return qs.filter(Exists(assigned))
        if not _registry_visible(user):
            return qs.none()
        return qs.filter(_region_and_line(user, prefix))

    return rule


def _visits(prefix: str) -> Callable[[User, QuerySet[Any]], QuerySet[Any]]:
    def rule(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
        if not _registry_visible(user):
            return qs.none()
        if user.role == Role.ADMIN:
            return qs
        qs = qs.filter(**{f"{prefix}region__path__startswith": region_path(user)})
        if user.role == Role.CITY_STAFF:
            # A visit is about its person or organization: city staff see those of their lines.
            qs = qs.filter(
                Q(**{f"{prefix}person__isnull": False}) & person_filter(user, f"{prefix}person__")
                | Q(**{f"{prefix}person__isnull": True})
                & organization_filter(user, f"{prefix}organization__")
            )
        return qs

    return rule


def _pk_of(prefix: str) -> str:
    return f"{prefix}id" if prefix else "pk"


def _activities(prefix: str) -> Callable[[User, QuerySet[Any]], QuerySet[Any]]:
    """Staff and leaders: their region's subtree (city staff: their lines, or no line), and the
    activities above it (a city meeting) in which people or units of their subtree took part, so
    that a person's page shows every activity they joined. A liaison: the activities their unit
    organized or took part in."""

    def rule(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
        if user.role == Role.LIAISON:
            if not user.unit_id:
                return qs.none()
            from tongxin.work.models import Activity, Participation

            organized = Activity.organizer_units.through.objects.filter(
                activity_id=OuterRef(_pk_of(prefix)), unit_id=user.unit_id
            )
            took_part = Participation.objects.filter(
                activity_id=OuterRef(_pk_of(prefix)), unit_id=user.unit_id
            )
            return qs.filter(Exists(organized) | Exists(took_part))
        if not _registry_visible(user):
            return qs.none()
        own = _region_and_line(user, prefix)
        if user.role == Role.ADMIN or user.region.parent_id is None:
            return qs.filter(own)
        from tongxin.work.models import Participation

        mine = region_path(user)
        ours = Participation.objects.filter(
            Q(person__region__path__startswith=mine) | Q(unit__region__path__startswith=mine),
            activity_id=OuterRef(_pk_of(prefix)),
        )
        above = Q(**{f"{prefix}region__path__in": user.region.ancestor_paths()[:-1]})
        return qs.filter(own | (above & Exists(ours)))

    return rule


def _participations(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    qs = _activities("activity__")(user, qs)
    # A liaison sees which units took part, never who: no personal data for liaisons.
    if user.role == Role.LIAISON:
        return qs.filter(person__isnull=True)
    if user.role == Role.ADMIN:
        return qs
    # At an activity above one's region, the people of other districts stay out of sight.
    return qs.filter(
        Q(person__isnull=True)
        | Q(activity__region__path__startswith=region_path(user))
        | person_filter(user, "person__")
    )


def _credits(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    qs = _activities("activity__")(user, qs)
    if user.role in (Role.ADMIN, Role.LIAISON):
        return qs
    # At a city activity, the enterprises of other districts (and their sums) stay out of sight.
    return qs.filter(enterprise__region__path__startswith=region_path(user))


def _outputs(prefix: str) -> Callable[[User, QuerySet[Any]], QuerySet[Any]]:
    """Like activities; a liaison sees the outputs their unit authored."""

    def rule(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
        if user.role == Role.LIAISON:
            if not user.unit_id:
                return qs.none()
            from tongxin.work.models import OutputAuthor

            authored = OutputAuthor.objects.filter(
                output_id=OuterRef(_pk_of(prefix)), unit_id=user.unit_id
            )
            return qs.filter(Exists(authored))
        if not _registry_visible(user):
            return qs.none()
        return qs.filter(_region_and_line(user, prefix))

    return rule


def _output_authors(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    qs = _outputs("output__")(user, qs)
    return qs.filter(person__isnull=True) if user.role == Role.LIAISON else qs


def _attachments(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    from tongxin.governance.models import TaskEvent
    from tongxin.work.models import Activity, Output

    activities = scope(user, Activity.objects.all())
    if user.role not in (Role.ADMIN, Role.LIAISON):
        # The files of a city activity one's district only took part in may name anyone.
        activities = activities.filter(region__path__startswith=region_path(user))
    outputs = scope(user, Output.objects.all())
    # A progress report's files go with the task: whoever sees the task sees its timeline.
    reports = scope(user, TaskEvent.objects.all())
    return qs.filter(Q(activity__in=activities) | Q(output__in=outputs) | Q(task_event__in=reports))


def _trainings(prefix: str) -> Callable[[User, QuerySet[Any]], QuerySet[Any]]:
    """Like activities: a city class shows to a district whose people were trainees in it."""

    def rule(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
        if not _registry_visible(user):
            return qs.none()
        own = _region_and_line(user, prefix)
        if user.role == Role.ADMIN or user.region.parent_id is None:
            return qs.filter(own)
        from tongxin.work.models import Trainee

        ours = Trainee.objects.filter(
            person__region__path__startswith=region_path(user),
            training_id=OuterRef(_pk_of(prefix)),
        )
        above = Q(**{f"{prefix}region__path__in": user.region.ancestor_paths()[:-1]})
        return qs.filter(own | (above & Exists(ours)))

    return rule


def _trainees(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    qs = _trainings("training__")(user, qs)
    if user.role == Role.ADMIN:
        return qs
    # In a city class, the trainees of other districts stay out of sight.
    return qs.filter(
        Q(training__region__path__startswith=region_path(user)) | person_filter(user, "person__")
    )


# --- mechanisms (governance) ----------------------------------------------------------------------
# A mechanism and what hangs off it follow its region and line, like work records; leaders read.
# A liaison sees the mechanisms their unit is a member of, their unit's member row, the issues their
# unit raised and their unit's duty reports; of tasks, those assigned to their unit. A task set by
# the city for a district shows to that district.


def _mechanisms(prefix: str) -> Callable[[User, QuerySet[Any]], QuerySet[Any]]:
    def rule(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
        if user.role == Role.LIAISON:
            if not user.unit_id:
                return qs.none()
            from tongxin.governance.models import MemberUnit

            member = MemberUnit.objects.filter(
                mechanism_id=OuterRef(_pk_of(prefix)), unit_id=user.unit_id
            )
            return qs.filter(Exists(member))
        if not _registry_visible(user):
            return qs.none()
        return qs.filter(_region_and_line(user, prefix))

    return rule


def _of_liaison_unit(field: str) -> Callable[[User, QuerySet[Any]], QuerySet[Any]]:
    """Rows of a mechanism: staff by the mechanism; a liaison only their own unit's (``field``
    names the unit)."""

    def rule(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
        if user.role == Role.LIAISON:
            return qs.filter(**{field: user.unit_id}) if user.unit_id else qs.none()
        return _mechanisms("mechanism__")(user, qs)

    return rule


def _duty_reports(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    if user.role == Role.LIAISON:
        return qs.filter(member__unit_id=user.unit_id) if user.unit_id else qs.none()
    return _mechanisms("member__mechanism__")(user, qs)


def _tasks(prefix: str) -> Callable[[User, QuerySet[Any]], QuerySet[Any]]:
    def rule(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
        if user.role == Role.LIAISON:
            if not user.unit_id:
                return qs.none()
            return qs.filter(**{f"{prefix}assignee_unit_id": user.unit_id})
        if not _registry_visible(user):
            return qs.none()
        own = _region_and_line(user, prefix)
        if user.role == Role.ADMIN:
            return qs.filter(own)
        assigned = Q(**{f"{prefix}assignee_region__path__startswith": region_path(user)})
        return qs.filter(own | assigned)

    return rule


# --- indicators (governance) ----------------------------------------------------------------------
# An indicator set, its indicators and its rounds (values entered, results, timeline) follow the
# set's region and line, like a mechanism; leaders read. Liaisons and auditors see none: a ranking
# names registry records.


def _indicator_sets(prefix: str) -> Callable[[User, QuerySet[Any]], QuerySet[Any]]:
    def rule(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
        if not _registry_visible(user):
            return qs.none()
        return qs.filter(_region_and_line(user, prefix))

    return rule


# --- notices to people (portal) -------------------------------------------------------------------
# A notice follows the region it was sent in (the filter's region, or the sender's): staff and
# leaders of that subtree see it; of its recipients, only the people they may see.


def _notices(prefix: str) -> Callable[[User, QuerySet[Any]], QuerySet[Any]]:
    def rule(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
        if not _registry_visible(user):
            return qs.none()
        if user.role == Role.ADMIN:
            return qs
        return qs.filter(**{f"{prefix}region__path__startswith": region_path(user)})

    return rule


def _notice_recipients(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    return _notices("notice__")(user, qs).filter(person_filter(user, "person__"))


# --- joining organizations and signing up for activities (portal) --------------------------------
# An application to join follows its organization (region; for city staff the type's line). An
# opening for sign-up follows its activity. Sign-ups name people: a liaison sees none, and at an
# activity above one's region (a city meeting) only the people one may see.


def _signups(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    if user.role == Role.LIAISON:
        return qs.none()
    qs = _activities("opening__activity__")(user, qs)
    if user.role == Role.ADMIN:
        return qs
    return qs.filter(
        Q(opening__activity__region__path__startswith=region_path(user))
        | person_filter(user, "person__")
    )


# --- opinions from the portal ---------------------------------------------------------------------
# What a person sends through the portal (an opinion or a difficulty) reaches the staff of the
# person's region, like a case: the region's subtree, and for city staff their lines (or no line).
# Leaders read; liaisons and auditors see none (it names a person). A person's own view of it goes
# through the portal's selectors, by their account, never through here.


def _submissions(prefix: str) -> Callable[[User, QuerySet[Any]], QuerySet[Any]]:
    def rule(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
        if not _registry_visible(user):
            return qs.none()
        return qs.filter(_region_and_line(user, prefix))

    return rule


def _portal_doors(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    """Invitations and account applications of the portal: the staff (and leaders) of their
    region's subtree. They name no line: whoever serves the region lets people in."""
    if not _registry_visible(user):
        return qs.none()
    return qs.filter(region__path__startswith=region_path(user))


def _import_jobs(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    """Jobs of the kinds of import the user may use (each kind says who: registry.import_kinds):
    their own, or any for admins."""
    from tongxin.registry.import_kinds import kinds_for

    keys = [kind.key for kind in kinds_for(user)]
    if not keys:
        return qs.none()
    qs = qs.filter(kind__in=keys)
    return qs if user.role == Role.ADMIN else qs.filter(created_by=user)


def _code_tables(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    # Code tables are shared vocabulary, not records of anyone.
    return qs


Rule = Callable[[User, QuerySet[Any]], QuerySet[Any]]


@cache
def _rules() -> dict[type[models.Model], Rule]:
    # Imported here: the registry's models import core's, so core cannot import them at load.
    from tongxin.governance import models as g
    from tongxin.portal import models as pa
    from tongxin.portal import models_events as p
    from tongxin.portal import models_requests as pr
    from tongxin.registry import models as m
    from tongxin.work import models as w

    return {
        Region: _regions,
        Unit: _units,
        pa.PortalAccount: _by_person("person__"),
        pa.Invitation: _portal_doors,
        pa.AccountApplication: _portal_doors,
        User: _users,
        ApiToken: _tokens,
        AuditEvent: _audit,
        m.Person: _by_person(""),
        m.Organization: _by_organization(""),
        m.Membership: _memberships,
        m.PoliticalArrangement: _by_person("person__"),
        m.Honour: _by_person("person__"),
        m.AnnualReview: _by_person("person__"),
        m.EnterpriseFigure: _by_organization("organization__"),
        m.Designation: _by_organization("organization__"),
        m.StandardCheck: _by_organization("organization__"),
        m.CodeItem: _code_tables,
        m.Tag: _code_tables,
        m.ImportJob: _import_jobs,
        w.Case: _cases(""),
        w.CaseEvent: _cases("case__"),
        w.Visit: _visits(""),
        w.Opinion: _visits("visit__"),
        w.Activity: _activities(""),
        w.Participation: _participations,
        w.PromotedProject: _activities("activity__"),
        w.CreditAgreement: _credits,
        w.Output: _outputs(""),
        w.OutputAuthor: _output_authors,
        w.Endorsement: _outputs("output__"),
        w.Adoption: _outputs("output__"),
        w.Attachment: _attachments,
        w.Training: _trainings(""),
        w.Trainee: _trainees,
        w.Secondment: _by_person("person__"),
        w.DualVisitReport: _by_person("person__"),
        g.Mechanism: _mechanisms(""),
        g.MemberUnit: _of_liaison_unit("unit_id"),
        g.AgendaItem: _of_liaison_unit("raised_by__unit_id"),
        g.Task: _tasks(""),
        g.TaskEvent: _tasks("task__"),
        g.DutyReport: _duty_reports,
        g.IndicatorSet: _indicator_sets(""),
        g.Indicator: _indicator_sets("set__"),
        g.EvaluationRound: _indicator_sets("set__"),
        g.EnteredValue: _indicator_sets("round__set__"),
        g.RoundResult: _indicator_sets("round__set__"),
        g.ResultScore: _indicator_sets("result__round__set__"),
        g.RoundEvent: _indicator_sets("round__set__"),
        pr.Submission: _submissions(""),
        pr.SubmissionAttachment: _submissions("submission__"),
        p.Notice: _notices(""),
        p.NoticeRecipient: _notice_recipients,
        pr.JoinApplication: _by_organization("organization__"),
        pr.ProfileRequest: _by_person("person__"),
        p.SignupOpening: _activities("activity__"),
        p.Signup: _signups,
    }


def can_use_registry(user: Any) -> bool:
    return has_role(user, *REGISTRY_ROLES)


# The case pages: staff and leaders in their scope, and liaisons for the cases of their unit.
CASE_ROLES = (*REGISTRY_ROLES, Role.LIAISON)


def can_use_cases(user: Any) -> bool:
    return has_role(user, *CASE_ROLES)


def can_use_activities(user: Any) -> bool:
    """Activities and outputs: staff and leaders in their scope, liaisons for their unit's."""
    return has_role(user, *CASE_ROLES)


def can_edit_registry(user: Any) -> bool:
    return has_role(user, Role.ADMIN, Role.CITY_STAFF, Role.DISTRICT_STAFF)


def can_reveal(user: Any) -> bool:
    """Full ID numbers and phones: only for accounts an admin has granted it to."""
    return can_edit_registry(user) and bool(getattr(user, "can_reveal", False))


def can_see_beliefs(user: Any) -> bool:
    """Religion and ethnicity are sensitive: admins, district staff (who keep every line of their
    district) and city staff of the 民族宗教 line."""
    if has_role(user, Role.ADMIN, Role.DISTRICT_STAFF):
        return True
    return has_role(user, Role.CITY_STAFF) and user.lines.filter(code="minzong").exists()


def scope(user: Any, qs: QuerySet[M]) -> QuerySet[M]:
    """The part of ``qs`` that ``user`` may see. Unknown models are refused, never passed."""
    if not _active(user):
        return qs.none()
    try:
        rule = _rules()[qs.model]
    except KeyError:
        raise LookupError(f"access.py has no rule for {qs.model._meta.label}") from None
    return rule(user, qs)


def get_for_user(user: Any, qs: QuerySet[M] | type[M], **lookup: Any) -> M:
    if not isinstance(qs, QuerySet):
        qs = qs._default_manager.all()
    try:
        return scope(user, qs).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None


# --- role checks --------------------------------------------------------------------------------


def has_role(user: Any, *roles: str) -> bool:
    return _active(user) and user.role in roles


def require_role(user: Any, *roles: str) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied(ROLE_FORBIDDEN)


def require_write(user: Any, *roles: str) -> None:
    """Refuse writes by read-only roles, then by roles outside ``roles`` (if given)."""
    if not _active(user):
        raise PermissionDenied(ROLE_FORBIDDEN)
    if user.is_read_only:
        raise PermissionDenied(READ_ONLY)
    if roles and user.role not in roles:
        raise PermissionDenied(ROLE_FORBIDDEN)


def can_manage_directory(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_manage_users(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_read_audit(user: Any) -> bool:
    return has_role(user, *AUDIT_ROLES)


def can_use_directory(user: Any) -> bool:
    return has_role(user, *DIRECTORY_ROLES)


def scope_label(user: User) -> str:
    """The user's scope in words, for the workbench and /me."""
    if user.role == Role.ADMIN:
        return "全部数据"
    if user.role == Role.AUDITOR:
        return "审计日志"
    if user.role == Role.LIAISON:
        return f"本单位：{user.unit}" if user.unit else "未指定单位"
    label = f"{user.region.name}（{user.region.code}）及下辖区划"
    if user.role == Role.CITY_STAFF:
        lines = "、".join(line.name for line in user.lines.all()) or "未分配条线"
        label += f"，条线：{lines}"
    if user.role == Role.LEADER:
        label += "，只读"
    return label
