"""Kotak pengaduan URLs: staff screens (urls_staff) and the public tracking pages (urls_public)."""

from django.urls import include, path

app_name = "complaints"

urlpatterns = [
    path("", include("pandai.complaints.urls_staff")),
    path("", include("pandai.complaints.urls_public")),
    path("", include("pandai.complaints.urls_oversight")),  # stats, retaliation, follow-up
]
