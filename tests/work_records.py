"""Work records of 旌阳区 for the shared cast: the probes of the authorization tests. Every title
carries 旌阳, the marker no other district may ever see. Built through the services, as a 旌阳
district user would."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from tongxin.core.models import Unit, User
from tongxin.registry.models import CodeItem, CodeKind, Organization, Person
from tongxin.work import attachments
from tongxin.work import services_activities as activities
from tongxin.work import services_cadres as cadres
from tongxin.work import services_outputs as outputs
from tongxin.work.models import (
    Activity,
    Adoption,
    Attachment,
    CreditAgreement,
    DualVisitReport,
    Endorsement,
    Output,
    OutputAuthor,
    Participation,
    PromotedProject,
    Secondment,
    Trainee,
    Training,
)

PDF = "%PDF-1.4\n% 旌阳会议纪要\n".encode()


@dataclass
class JingyangWork:
    activity: Activity
    participation: Participation
    project: PromotedProject
    credit: CreditAgreement
    output: Output
    author: OutputAuthor
    endorsement: Endorsement
    adoption: Adoption
    attachment: Attachment
    training: Training
    trainee: Trainee
    secondment: Secondment
    dual_report: DualVisitReport


def activity_type(name: str) -> CodeItem:
    return CodeItem.objects.get(kind=CodeKind.ACTIVITY_TYPE, name=name)


def make_jingyang_work(
    staff: User, person: Person, organization: Organization, unit: Unit
) -> JingyangWork:
    region = staff.region
    enterprise = Organization.objects.create(
        name="旌阳测试企业有限公司",
        org_type=CodeItem.objects.get(kind=CodeKind.ORG_TYPE, name="企业"),
        region=region,
        is_non_public=True,
    )
    output = outputs.output_create(
        actor=staff,
        kind="research_report",
        title="旌阳区新阶人士调研报告",
        date=dt.date(2022, 5, 1),
        region=region,
        authors=[outputs.AuthorSpec(person=person)],
    )
    activity = activities.activity_create(
        actor=staff,
        type=activity_type("恳谈会"),
        title="旌阳区民营企业家面对面恳谈会",
        date=dt.date(2022, 6, 1),
        region=region,
        place="旌阳区会议中心",
        organizer_units=[unit],
        organizer_organizations=[organization],
        adopted_outputs=[output],
        participants=[activities.ParticipantSpec(role="speaks", person=person, title="旌阳嘉宾")],
    )
    training = cadres.training_create(
        actor=staff,
        title="旌阳区新阶人士培训班",
        start_date=dt.date(2022, 7, 1),
        end_date=dt.date(2022, 7, 3),
        hours=Decimal("24"),
        region=region,
    )
    return JingyangWork(
        activity=activity,
        participation=activity.participations.get(),
        project=activities.project_add(
            actor=staff, activity=activity, name="旌阳智能制造项目", investment=Decimal("5000")
        ),
        credit=activities.credit_add(
            actor=staff, activity=activity, enterprise=enterprise, bank="旌阳农商银行", amount="800"
        ),
        output=output,
        author=output.authors.get(),
        endorsement=outputs.endorsement_add(
            actor=staff,
            output=output,
            level="province",
            leader_title="省委领导（旌阳报告）",
            date=dt.date(2022, 6, 10),
            text_="旌阳的做法很好。",
        ),
        adoption=outputs.adoption_add(
            actor=staff,
            output=output,
            adopter="province_party",
            date=dt.date(2022, 7, 1),
            adopter_detail="旌阳专报",
        ),
        attachment=attachments.attachment_add(
            actor=staff,
            activity=activity,
            upload=SimpleUploadedFile("旌阳会议纪要.pdf", PDF, "application/pdf"),
        ),
        training=training,
        trainee=cadres.trainees_add(actor=staff, training=training, people=[person])[0],
        secondment=cadres.secondment_create(
            actor=staff,
            person=person,
            direction="down",
            batch=4,
            start_date=dt.date(2022, 3, 1),
            region=region,
            host_name="旌阳区某街道办事处",
            post="旌阳挂职副主任",
        ),
        dual_report=cadres.dual_report_save(
            actor=staff,
            person=person,
            year=2022,
            visits_made=3,
            report_title="旌阳走访报告",
        ),
    )
