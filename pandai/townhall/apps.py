from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TownhallConfig(AppConfig):
    name = "pandai.townhall"
    label = "townhall"
    verbose_name = _("Sosialisasi")
