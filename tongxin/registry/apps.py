from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "tongxin.registry"
    label = "registry"
    verbose_name = "名册"

    def ready(self) -> None:
        from tongxin.core import audit

        from . import import_persons  # noqa: F401  registers the persons kind of import
        from . import models as m

        keys = {"name_simplified", "name_pinyin", "name_initials"}
        audit.register(
            m.Person,
            exclude=keys | {"id_number_index", "phone_index", "employer_simplified", "updated_at"},
            secret={"id_number", "phone"},
        )
        audit.register(m.Organization, exclude=keys | {"updated_at"})
        for model in (
            m.Membership,
            m.EnterpriseFigure,
            m.Designation,
            m.StandardCheck,
            m.PoliticalArrangement,
            m.Honour,
            m.AnnualReview,
            m.CodeItem,
            m.Tag,
        ):
            audit.register(model)
