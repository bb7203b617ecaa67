"""Sosialisasi URLs, mounted at sosialisasi/."""

from django.urls import URLPattern, URLResolver, path

from pandai.townhall.views import announcements, policies, polls, public, running, sessions

app_name = "townhall"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", sessions.session_list, name="session_list"),
    path("baru/", sessions.session_create, name="session_create"),
    path("<int:pk>/", sessions.session_detail, name="session_detail"),
    path("<int:pk>/ubah/", sessions.session_edit, name="session_edit"),
    path("<int:pk>/acara/", sessions.session_agenda_add, name="session_agenda_add"),
    path("<int:pk>/impor-pengaduan/", sessions.session_import, name="session_import"),
    path("<int:pk>/buka/", sessions.session_open, name="session_open"),
    path("<int:pk>/tutup/", sessions.session_close, name="session_close"),
    path("<int:pk>/notulen.pdf", sessions.session_pdf, name="session_pdf"),
    path("<int:pk>/umumkan/", sessions.session_publish, name="session_publish"),
    path("<int:pk>/tarik/", sessions.session_unpublish, name="session_unpublish"),
    path("<int:pk>/pintu/", running.door, name="door"),
    path("<int:pk>/pintu/tap/", running.door_tap, name="door_tap"),
    path("<int:pk>/pintu/hitungan/", running.door_counts, name="door_counts"),
    path("<int:pk>/daftar-hadir/", running.roster, name="roster"),
    path("<int:pk>/layar/", running.presenter, name="presenter"),
    path("<int:pk>/layar/isi/", running.presenter_body, name="presenter_body"),
    path("<int:pk>/moderasi/", running.moderator, name="moderator"),
    path("<int:pk>/pertanyaan-peserta/", running.floor_question, name="floor_question"),
    path("<int:pk>/dukung/", running.vote, name="vote"),
    path("<int:pk>/jajak/", polls.poll_list, name="poll_list"),
    path("jajak/<int:pk>/", polls.poll_action, name="poll_action"),
    path("pertanyaan/<int:pk>/", running.question_action, name="question_action"),
    path("acara/<int:pk>/hapus/", sessions.agenda_remove, name="agenda_remove"),
    path("kebijakan/", policies.policy_list, name="policy_list"),
    path("kebijakan/baru/", policies.policy_create, name="policy_create"),
    path("kebijakan/<int:pk>/", policies.policy_detail, name="policy_detail"),
    path("kebijakan/<int:pk>/ubah/", policies.policy_edit, name="policy_edit"),
    path("kebijakan/<int:pk>/cabut/", policies.policy_withdraw, name="policy_withdraw"),
    path("pengumuman/", announcements.announcement_list, name="announcement_list"),
    path("pengumuman/baru/", announcements.announcement_create, name="announcement_create"),
    path(
        "pengumuman/<int:pk>/tarik/",
        announcements.announcement_withdraw,
        name="announcement_withdraw",
    ),
    path("janji/", sessions.promise_list, name="promise_list"),
    path("janji/<int:pk>/selesai/", sessions.promise_done, name="promise_done"),
    path("papan/<slug:site_code>/", public.board, name="board"),
]
