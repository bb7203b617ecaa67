"""Kiosk URLs (reachable only from a registered kiosk device; see kiosk.access)."""

from django.urls import URLPattern, URLResolver, path

from pandai.kiosk.views import (
    auth,
    board,
    complaints,
    money,
    programs,
    shop,
    townhall,
    tracking,
)

app_name = "kiosk"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", auth.home, name="home"),
    path("pasang/", auth.pair, name="pair"),
    path("kartu/", auth.card, name="card"),
    path("pin/", auth.pin, name="pin"),
    path("batal/", auth.cancel, name="cancel"),
    path("keluar/", auth.signout, name="signout"),
    path("sentuh/", auth.ping, name="ping"),
    path("suara/<str:key>/", auth.speech, name="speech"),
    path("saldo/", money.saldo, name="saldo"),
    path("saldo/<int:pk>/", money.movement, name="movement"),
    path("pengaduan/", complaints.index, name="complaints"),
    path("pengaduan/baru/", complaints.new, name="complaint_new"),
    path("pengaduan/terkirim/", complaints.sent, name="complaint_sent"),
    path("pengaduan/<int:pk>/", complaints.detail, name="complaint"),
    path("pengaduan/<int:pk>/nilai/", complaints.rate, name="complaint_rate"),
    path("pengaduan/<int:pk>/buka/", complaints.reopen, name="complaint_reopen"),
    path("lacak/", tracking.track, name="track"),
    path("lacak/hasil/", tracking.track_result, name="track_result"),
    path("lacak/nilai/", tracking.track_rate, name="track_rate"),
    path("lacak/buka/", tracking.track_reopen, name="track_reopen"),
    path("lacak/selesai/", tracking.track_done, name="track_done"),
    path("papan/", board.board, name="board"),
    path("belanja/", shop.catalogue, name="shop"),
    path("belanja/keranjang/", shop.basket_change, name="shop_basket"),
    path("belanja/pesan/", shop.place, name="shop_place"),
    path("belanja/pesanan/", shop.orders, name="orders"),
    path("belanja/pesanan/<int:pk>/batal/", shop.order_cancel, name="order_cancel"),
    path("belanja/foto/<int:pk>/", shop.product_photo, name="product_photo"),
    path("pembinaan/", programs.programmes, name="programmes"),
    path("aturan/", townhall.rules, name="rules"),
    path("sosialisasi/", townhall.sessions, name="sessions"),
    path("sosialisasi/<int:pk>/", townhall.session, name="session"),
    path("sosialisasi/<int:pk>/tanya/", townhall.session_ask, name="session_ask"),
    path("sosialisasi/pertanyaan/<int:pk>/dukung/", townhall.question_vote, name="question_vote"),
]
