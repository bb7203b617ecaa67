"""Kotak pengaduan: follow-up and oversight screens — statistics, the retaliation watch, and
per complaint its external escalations, the rating recorded by an officer and money links."""

from django.urls import URLPattern, URLResolver, path

from pandai.complaints.views import oversight, retaliation, stats

urlpatterns: list[URLPattern | URLResolver] = [
    path("statistik/", stats.stats, name="stats"),
    path("statistik/xlsx/", stats.stats_export, name="stats_export"),
    path("pantauan-pembalasan/", retaliation.flag_list, name="retaliation_list"),
    path("pantauan-pembalasan/periksa/", retaliation.flag_scan, name="retaliation_scan"),
    path("pantauan-pembalasan/<int:pk>/", retaliation.flag_detail, name="retaliation_detail"),
    path("lanjutan/<int:pk>/rujukan/", oversight.escalations, name="escalations"),
    path("lanjutan/<int:pk>/kepuasan/", oversight.rating, name="rating"),
    path("lanjutan/<int:pk>/transaksi/", oversight.money_links, name="money_links"),
]
