"""factory_boy factories for the core models."""

from __future__ import annotations

import factory

from tongxin.core.models import Region, RegionKind, Role, Unit, UnitKind, User


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"5199{n:02d}")
    name = factory.Sequence(lambda n: f"测试区{n}")
    kind = RegionKind.DISTRICT


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = UnitKind.GOVERNMENT
    region = factory.SubFactory(RegionFactory)


PASSWORD = "Test-pass-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.DISTRICT_STAFF
    region = factory.SubFactory(RegionFactory)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def lines(self, create: bool, extracted: list[object] | None, **kwargs: object) -> None:
        if create and extracted:
            self.lines.set(extracted)  # type: ignore[attr-defined]
