"""Kotak pengaduan: the public pages, no login (see views/public.py for why each is public)."""

from django.urls import URLPattern, URLResolver, path

from pandai.complaints.views import public

urlpatterns: list[URLPattern | URLResolver] = [
    path("lacak/", public.track, name="track"),
    path("lacak/hasil/", public.track_result, name="track_result"),
    path("lacak/nilai/", public.track_rate, name="track_rate"),
    path("lacak/buka-kembali/", public.track_reopen, name="track_reopen"),
    path("lacak/selesai/", public.track_done, name="track_done"),
    path("papan/", public.board_index, name="board_index"),
    path("papan/<slug:site_code>/", public.board, name="board"),
]
