from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "tongxin.portal"
    label = "portal"
    verbose_name = "个人门户"

    def ready(self) -> None:
        # Texts a person when the case their opinion became is resolved (a CaseEvent receiver).
        from . import (
            checks,  # noqa: F401
            services_opinions,  # noqa: F401
            signals,  # noqa: F401
        )
