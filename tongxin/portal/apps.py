from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "tongxin.portal"
    label = "portal"
    verbose_name = "个人门户"

    def ready(self) -> None:
        # Texts a person when the case their opinion became is resolved (a CaseEvent receiver).
        from tongxin.core import audit

        from . import models as m

        # Who changed what, staff or the person: the audit log, like every record of the registry.
        # Personal text and proposals are noted as changed, not copied into the log.
        audit.register(m.PortalAccount, secret={"password", "phone"}, exclude={"last_login_at"})
        audit.register(m.Invitation, exclude={"uses", "code"})
        audit.register(m.AccountApplication, secret={"password", "phone"})
        audit.register(m.Consent)
        audit.register(m.ProfileRequest, secret={"changes", "before"})
        audit.register(m.JoinApplication)
        audit.register(m.JoinQuota)
        audit.register(m.Submission, secret={"text", "answer", "rating_comment"})
        audit.register(m.SignupOpening, exclude={"checkin_code"})
        audit.register(m.Signup)
        audit.register(m.Notice)
        from . import (
            checks,  # noqa: F401
            services_opinions,  # noqa: F401
            signals,  # noqa: F401
        )
