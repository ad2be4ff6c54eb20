"""The work-record API as a whole: the operations it offers, read-only roles refused on every
write, and personal data (ID numbers, phones) never in any answer. Each resource's behaviour is
in its own module: test_activities_api, test_cases_api, test_outputs_api, test_cadres_api."""

from __future__ import annotations

import datetime as dt

import pytest

from tongxin.core import ids
from tongxin.core.access import READ_ONLY
from tongxin.core.models import AuditAction, AuditEvent

from ..conftest import Cast, login
from ..test_authorization import _call, _fill, _operations
from .work_helpers import api

WORK_PREFIXES = (
    "/api/v1/activities",
    "/api/v1/visits",
    "/api/v1/opinions",
    "/api/v1/cases",
    "/api/v1/outputs",
    "/api/v1/attachments",
    "/api/v1/trainings",
    "/api/v1/secondments",
    "/api/v1/dual-reports",
)
OPERATIONS = {
    ("get", "/api/v1/activities"),
    ("post", "/api/v1/activities"),
    ("get", "/api/v1/activities/{activity_id}"),
    ("patch", "/api/v1/activities/{activity_id}"),
    ("get", "/api/v1/activities/{activity_id}/brief"),
    ("post", "/api/v1/activities/{activity_id}/participants"),
    ("delete", "/api/v1/activities/{activity_id}/participants/{participation_id}"),
    ("post", "/api/v1/activities/{activity_id}/projects"),
    ("delete", "/api/v1/activities/{activity_id}/projects/{project_id}"),
    ("post", "/api/v1/activities/{activity_id}/credits"),
    ("delete", "/api/v1/activities/{activity_id}/credits/{credit_id}"),
    ("post", "/api/v1/activities/{activity_id}/attachments"),
    ("get", "/api/v1/visits"),
    ("post", "/api/v1/visits"),
    ("get", "/api/v1/visits/{visit_id}"),
    ("post", "/api/v1/opinions/{opinion_id}/case"),
    ("get", "/api/v1/cases"),
    ("post", "/api/v1/cases"),
    ("get", "/api/v1/cases/{case_id}"),
    ("post", "/api/v1/cases/{case_id}/transition"),
    ("post", "/api/v1/cases/{case_id}/progress"),
    ("post", "/api/v1/cases/{case_id}/extend"),
    ("get", "/api/v1/outputs"),
    ("post", "/api/v1/outputs"),
    ("get", "/api/v1/outputs/{output_id}"),
    ("patch", "/api/v1/outputs/{output_id}"),
    ("post", "/api/v1/outputs/{output_id}/endorsements"),
    ("delete", "/api/v1/outputs/{output_id}/endorsements/{endorsement_id}"),
    ("post", "/api/v1/outputs/{output_id}/adoptions"),
    ("delete", "/api/v1/outputs/{output_id}/adoptions/{adoption_id}"),
    ("post", "/api/v1/outputs/{output_id}/attachments"),
    ("get", "/api/v1/attachments/{attachment_id}"),
    ("delete", "/api/v1/attachments/{attachment_id}"),
    ("get", "/api/v1/trainings"),
    ("post", "/api/v1/trainings"),
    ("get", "/api/v1/trainings/{training_id}"),
    ("patch", "/api/v1/trainings/{training_id}"),
    ("post", "/api/v1/trainings/{training_id}/trainees"),
    ("post", "/api/v1/trainings/{training_id}/trainees/import"),
    ("delete", "/api/v1/trainings/{training_id}/trainees/{trainee_id}"),
    ("get", "/api/v1/secondments"),
    ("post", "/api/v1/secondments"),
    ("get", "/api/v1/secondments/{secondment_id}"),
    ("patch", "/api/v1/secondments/{secondment_id}"),
    ("get", "/api/v1/dual-reports"),
    ("post", "/api/v1/dual-reports"),
    ("get", "/api/v1/dual-reports/{dual_report_id}"),
}
JINGYANG_ID = ids.make_id_number("510603", dt.date(1990, 1, 1), 7, "F")
JINGYANG_PHONE = "13812345678"


def _work_operations(cast: Cast) -> list[tuple[str, str, str, dict[str, object]]]:
    return [op for op in _operations(cast) if op[1].startswith(WORK_PREFIXES)]


def test_the_openapi_document_lists_every_work_operation(cast: Cast) -> None:
    found = {(method, path) for method, path, _, _ in _work_operations(cast)}
    assert found == OPERATIONS
    schema = login(cast.admin).get("/api/v1/openapi.json").json()
    event = schema["components"]["schemas"]["CaseEventOut"]["properties"]
    assert set(event) == {"at", "actor", "kind", "from", "to", "note"}


@pytest.mark.parametrize("who", ["leader"])
def test_a_read_only_role_is_refused_every_work_write_and_nothing_changes(
    cast: Cast, who: str
) -> None:
    headers = {"HTTP_AUTHORIZATION": api(getattr(cast, who)).defaults["HTTP_AUTHORIZATION"]}
    writes = (AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE)
    before = AuditEvent.objects.filter(action__in=writes).count()
    for method, path, route, body in _work_operations(cast):
        if method == "get":
            continue
        response = _call(method, _fill(route, cast), body, headers)
        assert response.status_code == 403, (method, path, response.content)
        assert response.json() == {"detail": READ_ONLY, "code": "forbidden"}, (method, path)
    assert AuditEvent.objects.filter(action__in=writes).count() == before


def test_id_numbers_and_phones_never_appear_in_work_records(cast: Cast) -> None:
    for user in (cast.admin, cast.jingyang):
        user.can_reveal = True  # even an account that may reveal them gets neither here
        user.save(update_fields=["can_reveal"])
        client = api(user)
        shown = ""
        for method, path, route, _ in _work_operations(cast):
            if method != "get" or path.startswith("/api/v1/attachments"):
                continue
            response = client.get(_fill(route, cast))
            assert response.status_code == 200, path
            content = response.content.decode()
            assert JINGYANG_ID not in content and JINGYANG_PHONE not in content, path
            assert "138****" not in content and "510603********" not in content, path
            shown += content
        assert "旌阳测试人员" in shown  # the person is there, by id and name only
