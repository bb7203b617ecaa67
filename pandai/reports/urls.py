"""Reports: the head's dashboard, the regional view, the daily closing, monthly reports."""

from django.urls import URLPattern, URLResolver, path

from pandai.reports import closing_views, monthly_views, views

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("wilayah/", views.regional, name="regional"),
    path("wilayah/upt/<int:pk>/", views.site_jump, name="site_jump"),
    path("titipan/", views.deposits, name="deposits"),
    path("penutupan/", closing_views.closing, name="closing"),
    path("penutupan/tutup/", closing_views.closing_close, name="closing_close"),
    path("penutupan/tandatangan/", closing_views.closing_countersign, name="closing_countersign"),
    path("penutupan/pdf/", closing_views.closing_pdf, name="closing_pdf"),
    path("penutupan/riwayat/", closing_views.closing_list, name="closing_list"),
    path("bulanan/", monthly_views.monthly, name="monthly"),
]
