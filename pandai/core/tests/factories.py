"""factory_boy factories for sites and staff."""

from typing import Any

import factory

from pandai.core.models import Membership, Role, Site, User

STAFF_PASSWORD = "rahasia-pandai-1"


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Rutan Uji {n}")
    code = factory.Sequence(lambda n: f"U{n:03d}")
    site_class = "Kelas IIB"
    time_zone = "Asia/Jakarta"


class StaffFactory(factory.django.DjangoModelFactory):
    """StaffFactory(site=s, roles=["cashier"]) -> a user with those roles at s."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"petugas{n}")
    full_name = factory.Faker("name", locale="id_ID")

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: Any) -> None:  # type: ignore[misc]
        obj.set_password(extracted or STAFF_PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def roles(obj: User, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:  # type: ignore[misc]
        site: Site | None = kwargs.get("site") or getattr(obj, "_factory_site", None)
        for role in extracted or []:
            if site is not None:
                Membership.objects.create(user=obj, site=site, role=Role(role))

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        site = kwargs.pop("site", None)
        user = super()._create(model_class, *args, **kwargs)
        user._factory_site = site  # type: ignore[attr-defined]
        return user
