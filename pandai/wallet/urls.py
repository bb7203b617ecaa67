"""The wallet's counter and inmate-money screens, under /kartu/."""

from django.urls import path

from pandai.wallet import views_counter, views_money

app_name = "wallet"
urlpatterns = [
    # the counter: shifts, deposits, receipts
    path("loket/", views_counter.counter_home, name="counter"),
    path("loket/buka/", views_counter.shift_open, name="shift_open"),
    path("loket/shift/<int:shift_pk>/", views_counter.shift_report, name="shift_report"),
    path("loket/shift/<int:shift_pk>/tutup/", views_counter.shift_close, name="shift_close"),
    path("loket/daftar/", views_counter.counter_list, name="counter_list"),
    path("loket/<int:counter_pk>/aktif/", views_counter.counter_toggle, name="counter_toggle"),
    path("setor/", views_counter.deposit_find, name="deposit_find"),
    path("wbp/<int:pk>/setor/", views_counter.deposit_create, name="deposit"),
    path("titipan/<int:deposit_pk>/struk/", views_counter.deposit_receipt, name="receipt"),
    path("selisih-kas/", views_counter.difference_list, name="differences"),
    path(
        "selisih-kas/<int:difference_pk>/putuskan/",
        views_counter.difference_decide,
        name="difference_decide",
    ),
    path(
        "selisih-kas/<int:difference_pk>/ajukan/",
        views_counter.difference_file,
        name="difference_file",
    ),
    # an inmate's money
    path("wbp/<int:pk>/", views_money.inmate_money, name="inmate"),
    path("wbp/<int:pk>/mutasi-rekening/", views_money.statement, name="statement"),
    path("wbp/<int:pk>/mutasi-rekening/pdf/", views_money.statement_pdf, name="statement_pdf"),
    path("wbp/<int:pk>/bayar-bebas/", views_money.payout, name="payout"),
    path("bayar-bebas/<int:payout_pk>/slip/", views_money.payout_slip, name="payout_slip"),
    path("wbp/<int:pk>/mutasi-upt/", views_money.site_transfer, name="site_transfer"),
    path(
        "wbp/<int:pk>/mutasi-upt/hasil/",
        views_money.site_transfer_result,
        name="site_transfer_result",
    ),
]
