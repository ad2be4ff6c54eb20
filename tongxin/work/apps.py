from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "tongxin.work"
    label = "work"
    verbose_name = "工作记录"

    def ready(self) -> None:
        from tongxin.core import audit

        from . import models as m

        for model in (m.Case, m.Visit, m.Opinion):
            audit.register(model)
