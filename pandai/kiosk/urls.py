"""Kiosk URLs (reachable only from a registered kiosk device)."""

from django.urls import URLPattern, URLResolver

app_name = "kiosk"

urlpatterns: list[URLPattern | URLResolver] = []
