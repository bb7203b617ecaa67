from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "pandai.complaints"
    label = "complaints"
    verbose_name = _("Kotak pengaduan")

    def ready(self) -> None:
        from pandai.complaints import guards  # noqa: F401  (registers the append-only trigger)
