from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "tongxin.insight"
    label = "insight"
    verbose_name = "洞察"

    def ready(self) -> None:
        # The metrics register themselves when their modules are imported.
        from . import metrics

        metrics.load_all()
