"""Reports: the head's dashboard, the regional view, the daily closing, monthly reports."""

from django.urls import URLPattern, URLResolver

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = []
