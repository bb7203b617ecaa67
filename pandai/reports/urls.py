"""Reports: the head's dashboard, the regional view, the daily closing, monthly reports."""

from django.urls import URLPattern, URLResolver, path

from pandai.reports import views

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("wilayah/", views.regional, name="regional"),
    path("wilayah/upt/<int:pk>/", views.site_jump, name="site_jump"),
    path("titipan/", views.deposits, name="deposits"),
]
