"""URLs of the money office screens, mounted at keuangan/."""

from django.urls import path

from pandai.wallet.views_office import bank, closing, corrections, monitoring, rules

app_name = "office"
urlpatterns = [
    path("", closing.office_home, name="home"),
    path("penutupan/", closing.closing, name="closing"),
    path("penutupan/pdf/", closing.closing_pdf, name="closing_pdf"),
    path("bank/", bank.credit_list, name="bank_credits"),
    path("bank/suspense/", bank.suspense_list, name="suspense"),
    path("bank/<int:pk>/alihkan/", bank.suspense_assign, name="suspense_assign"),
    path("bank/<int:pk>/kembalikan/", bank.suspense_return, name="suspense_return"),
    path("bank/rekonsiliasi/", bank.reconcile, name="reconcile"),
    path("bank/rekonsiliasi/<int:pk>/", bank.reconcile_detail, name="reconcile_detail"),
    path("bank/rekonsiliasi/<int:pk>/bukukan/", bank.reconcile_book, name="reconcile_book"),
    path("pemantauan/", monitoring.flag_list, name="flags"),
    path("pemantauan/aturan/", monitoring.rules, name="rules"),
    path("pemantauan/<int:pk>/", monitoring.flag_detail, name="flag_detail"),
    path("pemantauan/<int:pk>/putuskan/", monitoring.flag_decide, name="flag_decide"),
    path("aturan/", rules.ledger_settings, name="settings"),
    path("pengecualian/", rules.exceptions, name="exceptions"),
    path("pengecualian/<int:pk>/cabut/", rules.exception_revoke, name="exception_revoke"),
    path("penyesuaian/", corrections.adjustments, name="adjustments"),
    path("penyesuaian/persetujuan/", corrections.adjustment_queue, name="adjustment_queue"),
    path(
        "penyesuaian/<int:pk>/setujui/", corrections.adjustment_approve, name="adjustment_approve"
    ),
    path("penyesuaian/<int:pk>/tolak/", corrections.adjustment_reject, name="adjustment_reject"),
    path("pembatalan/", corrections.reverse, name="reverse"),
]
