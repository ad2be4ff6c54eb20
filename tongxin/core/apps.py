from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tongxin.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from . import audit, signals
        from .models import BusinessLine, Region, Unit, User

        audit.register(Region, exclude={"path", "depth"})
        audit.register(Unit)
        audit.register(BusinessLine)
        audit.register(
            User,
            exclude={
                "last_login",
                "is_staff",
                "is_superuser",
                "first_name",
                "last_name",
                "date_joined",
            },
            secret={"password"},
        )
        signals.connect()
