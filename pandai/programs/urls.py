"""Program pembinaan URLs."""

from django.urls import URLPattern, URLResolver

app_name = "programs"

urlpatterns: list[URLPattern | URLResolver] = []
