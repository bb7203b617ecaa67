from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "pandai.api"
    label = "api"
    verbose_name = _("API perangkat")

    def ready(self) -> None:
        from pandai.api.api import register_routers

        register_routers()
