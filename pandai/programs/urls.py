"""Program pembinaan URLs, mounted at pembinaan/."""

from django.urls import URLPattern, URLResolver, path

from pandai.programs.views import catalogue, participation, premi, sessions

app_name = "programs"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", catalogue.programme_list, name="programme_list"),
    path("baru/", catalogue.programme_create, name="programme_create"),
    path("<int:pk>/", catalogue.programme_detail, name="programme_detail"),
    path("<int:pk>/ubah/", catalogue.programme_edit, name="programme_edit"),
    path("<int:pk>/jadwal/", catalogue.programme_schedule, name="programme_schedule"),
    path("<int:pk>/buat-sesi/", catalogue.programme_generate, name="programme_generate"),
    path("<int:pk>/tarif/", catalogue.programme_rate, name="programme_rate"),
    path("<int:pk>/daftarkan/", catalogue.programme_enrol, name="programme_enrol"),
    path("<int:pk>/premi/baru/", premi.programme_payout_create, name="programme_payout_create"),
    path("peserta/<int:pk>/keluarkan/", catalogue.enrolment_remove, name="enrolment_remove"),
    path("sesi/", sessions.session_list, name="session_list"),
    path("sesi/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sesi/<int:pk>/hitungan/", sessions.session_counts, name="session_counts"),
    path("sesi/<int:pk>/tap/", sessions.session_tap, name="session_tap"),
    path("sesi/<int:pk>/daftar-hadir/", sessions.session_roster, name="session_roster"),
    path("sesi/<int:pk>/batalkan/", sessions.session_cancel, name="session_cancel"),
    path("premi/", premi.payout_list, name="payout_list"),
    path("premi/<int:pk>/", premi.payout_detail, name="payout_detail"),
    path("premi/<int:pk>/hitung-ulang/", premi.payout_recompute, name="payout_recompute"),
    path("premi/<int:pk>/periksa/", premi.payout_review, name="payout_review"),
    path("premi/<int:pk>/bukukan/", premi.payout_post, name="payout_post"),
    path("wbp/<int:pk>/", participation.participation, name="participation"),
    path("wbp/<int:pk>/pdf/", participation.participation_pdf, name="participation_pdf"),
    path("wbp/<int:pk>/csv/", participation.participation_csv, name="participation_csv"),
    path("ekspor-sdp/", participation.sdp_export, name="sdp_export"),
]
