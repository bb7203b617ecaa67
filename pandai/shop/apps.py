from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    name = "pandai.shop"
    label = "shop"
    verbose_name = _("Koperasi")

    def ready(self) -> None:
        from pandai.shop import guards  # noqa: F401  (registers the append-only triggers)
