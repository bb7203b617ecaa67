from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WalletConfig(AppConfig):
    name = "pandai.wallet"
    label = "wallet"
    verbose_name = _("Kartu Pandai (buku besar)")

    def ready(self) -> None:
        from pandai.inmates.services import departure_guard_register
        from pandai.wallet.departure import ensure_no_money_left

        departure_guard_register(ensure_no_money_left)
