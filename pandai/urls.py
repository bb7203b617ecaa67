"""Pandai's URL map: one include per app."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pandai.api.api import api

urlpatterns = [
    path("", include("pandai.core.urls")),
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("wbp/", include("pandai.inmates.urls")),
    path("kartu/", include("pandai.wallet.urls")),
    path("keuangan/", include("pandai.wallet.urls_office")),
    path("koperasi/", include("pandai.shop.urls")),
    path("pengaduan/", include("pandai.complaints.urls")),
    path("pembinaan/", include("pandai.programs.urls")),
    path("sosialisasi/", include("pandai.townhall.urls")),
    path("kios/", include("pandai.kiosk.urls")),
    path("perangkat-kios/", include("pandai.kiosk.urls_staff")),
    path("laporan/", include("pandai.reports.urls")),
    path("api/", api.urls),
    path("django-admin/", admin.site.urls),
]
