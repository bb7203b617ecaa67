"""Koperasi reports under /koperasi/laporan/: the index and one page per report (each with its
XLSX export as `?format=xlsx`), named shop:reports and shop:reports_<name>."""

from django.urls import URLPattern, URLResolver, path

from pandai.shop.views import reports

urlpatterns: list[URLPattern | URLResolver] = [
    path("", reports.index, name="reports"),
    *(path(f"{r.slug}/", reports.VIEWS[r.name], name=f"reports_{r.name}") for r in reports.REPORTS),
]
