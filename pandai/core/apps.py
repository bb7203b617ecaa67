from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pandai.core"
    label = "core"
    verbose_name = _("Inti")

    def ready(self) -> None:
        from pandai.core import signals  # noqa: F401  (login audit receivers)
