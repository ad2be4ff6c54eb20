from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "tongxin.governance"
    label = "governance"
    verbose_name = "工作机制"

    def ready(self) -> None:
        from tongxin.core import audit

        from . import models as m

        for model in (
            m.Mechanism,
            m.MemberUnit,
            m.AgendaItem,
            m.Task,
            m.TaskEvent,
            m.DutyReport,
            # Indicator sets, their rounds and the values entered; results are written only by
            # round_compute, whose RoundEvent and the round's own audit row record it.
            m.IndicatorSet,
            m.Indicator,
            m.EvaluationRound,
            m.EnteredValue,
        ):
            audit.register(model, exclude={"updated_at"} if hasattr(model, "updated_at") else set())
