"""Kotak pengaduan: the staff screens (queue, intake, handling, settings)."""

from django.urls import URLPattern, URLResolver, path

from pandai.complaints.views import handling, intake, settings

urlpatterns: list[URLPattern | URLResolver] = [
    path("", handling.queue, name="queue"),
    path("<int:pk>/", handling.detail, name="detail"),
    path("<int:pk>/kelola/", handling.manage, name="manage"),
    path("<int:pk>/tindak/", handling.work, name="work"),
    path("<int:pk>/identitas/", handling.reveal, name="reveal"),
    path("<int:pk>/pindaian/", handling.scan, name="scan"),
    path("<int:pk>/tanda-terima/", intake.receipt, name="receipt"),
    path("<int:pk>/tanda-terima/selesai/", intake.receipt_done, name="receipt_done"),
    path("lisan/", intake.oral_new, name="oral_new"),
    path("loket/", intake.counter_new, name="counter_new"),
    path("kotak/", intake.opening_list, name="openings"),
    path("kotak/buka/", intake.opening_new, name="opening_new"),
    path("kotak/<int:pk>/", intake.opening_detail, name="opening"),
    path("pengaturan/", settings.settings_home, name="settings"),
    path("pengaturan/kategori/baru/", settings.category_new, name="category_new"),
    path("pengaturan/kategori/<int:pk>/", settings.category_edit, name="category_edit"),
    path("pengaturan/templat/baru/", settings.template_new, name="template_new"),
    path("pengaturan/templat/<int:pk>/", settings.template_edit, name="template_edit"),
]
