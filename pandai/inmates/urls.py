from django.urls import path

from pandai.inmates.views import cards, housing, movements, registry, sdp

app_name = "inmates"
urlpatterns = [
    path("", registry.inmate_list, name="list"),
    path("cari/", registry.find, name="find"),
    path("baru/", registry.inmate_admit, name="admit"),
    path("<int:pk>/", registry.inmate_detail, name="detail"),
    path("<int:pk>/ubah/", registry.inmate_edit, name="edit"),
    path("<int:pk>/foto/", registry.inmate_photo, name="photo"),
    path("<int:pk>/foto/unggah/", registry.inmate_photo_upload, name="photo_upload"),
    path("<int:pk>/pindah-kamar/", movements.inmate_move, name="move"),
    path("<int:pk>/bebas/", movements.inmate_release, name="release"),
    path("<int:pk>/mutasi/", movements.inmate_transfer, name="transfer"),
    path("<int:pk>/register-f/", movements.discipline_add, name="discipline"),
    path("<int:pk>/kartu/", cards.card_page, name="cards"),
    path("<int:pk>/pin/", cards.pin_reset, name="pin_reset"),
    path("kartu/<int:card_pk>/status/", cards.card_status, name="card_status"),
    path("kartu/<int:card_pk>/cetak/", cards.card_pdf, name="card_pdf"),
    path("blok/", housing.block_list, name="blocks"),
    path("blok/tambah/", housing.block_add, name="block_add"),
    path("blok/<int:pk>/kapasitas/", housing.block_capacity, name="block_capacity"),
    path("kamar/tambah/", housing.cell_add, name="cell_add"),
    path("kamar/<int:pk>/kapasitas/", housing.cell_capacity, name="cell_capacity"),
    path("impor/", sdp.import_start, name="import"),
    path("impor/<int:pk>/", sdp.import_preview, name="import_preview"),
    path("impor/<int:pk>/terapkan/", sdp.import_apply, name="import_apply"),
]
