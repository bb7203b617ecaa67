"""Sosialisasi URLs."""

from django.urls import URLPattern, URLResolver

app_name = "townhall"

urlpatterns: list[URLPattern | URLResolver] = []
