from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Only registers the demo_load / demo_logins commands; no models."""

    name = "pandai.demo"
    label = "demo"
    verbose_name = _("Data demo")
