from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "tongxin.work"
    label = "work"
    verbose_name = "工作记录"

    def ready(self) -> None:
        from tongxin.core import audit

        from . import models as m

        for model in (
            m.Case,
            m.Visit,
            m.Opinion,
            m.Activity,
            m.Participation,
            m.PromotedProject,
            m.CreditAgreement,
            m.Output,
            m.OutputAuthor,
            m.Endorsement,
            m.Adoption,
            m.Attachment,
            m.Training,
            m.Trainee,
            m.Secondment,
            m.DualVisitReport,
        ):
            audit.register(model, exclude={"updated_at"} if hasattr(model, "updated_at") else set())

        # The kinds of import of work records (registry/import_kinds.py): registered on import.
        from . import import_activities, import_trainees  # noqa: F401
