"""Settings for the django-hordak peer: PostgreSQL only (hordak's triggers need it)."""

import os

import dj_database_url

SECRET_KEY = "bench-only-not-a-secret"  # noqa: S105 (a throwaway benchmark project)
DEBUG = False
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "mptt",
    "djmoney",
    "hordak",
]
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get(
            "HORDAK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pandai_bench_hordak"
        )
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Rupiah: hordak stores Decimal amounts with a currency on each leg.
DEFAULT_CURRENCY = "IDR"
CURRENCIES = ["IDR"]
HORDAK_CURRENCIES = ["IDR"]
HORDAK_INTERNAL_CURRENCY = "IDR"
