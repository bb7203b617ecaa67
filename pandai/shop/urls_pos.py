"""Koperasi: the start page, terminal pairing, shifts and Z-reports, the POS screen, receipts,
voids and returns (the cashier's screens)."""

from django.urls import URLPattern, URLResolver, path

from pandai.shop.views import pay, pos, receipts, returns, shifts

urlpatterns: list[URLPattern | URLResolver] = [
    path("", pos.home, name="home"),
    path("terminal/", pos.terminal, name="terminal"),
    path("terminal/lepas/", pos.terminal_unpair, name="terminal_unpair"),
    path("kasir/", pos.pos, name="pos"),
    path("kasir/pindai/", pos.pos_scan, name="pos_scan"),
    path("kasir/cari/", pos.pos_search, name="pos_search"),
    path("kasir/tambah/", pos.pos_add, name="pos_add"),
    path("kasir/baris/", pos.pos_line, name="pos_line"),
    path("kasir/baru/", pos.pos_clear, name="pos_clear"),
    path("kasir/bayar/", pay.pos_pay, name="pos_pay"),
    path("kasir/kartu/", pay.pos_card, name="pos_card"),
    path("kasir/selesai/", pay.pos_checkout, name="pos_checkout"),
    path("shift/", shifts.shift_list, name="shift_list"),
    path("shift/buka/", shifts.shift_open_view, name="shift_open"),
    path("shift/<int:shift_pk>/", shifts.shift_detail, name="shift_detail"),
    path("shift/<int:shift_pk>/tutup/", shifts.shift_close_view, name="shift_close"),
    path("shift/<int:shift_pk>/laporan-z/", shifts.zreport_view, name="zreport"),
    path("struk/<int:sale_pk>/", receipts.receipt, name="receipt"),
    path("struk/<int:sale_pk>/cetak/", receipts.receipt_print, name="receipt_print"),
    path("struk/<int:sale_pk>/batal/", returns.sale_void_view, name="sale_void"),
    path("struk/<int:sale_pk>/retur/", returns.sale_return_view, name="sale_return"),
    path("retur/", returns.return_find, name="return_find"),
    path("retur/<int:return_pk>/", returns.return_receipt, name="return_receipt"),
]
