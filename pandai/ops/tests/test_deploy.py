"""Production settings: `check --deploy` is clean with the production environment (and is not
with the development one), every response carries the Content-Security-Policy, a page's own
<style> carries the header's nonce, and an idle staff session ends."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(settings.BASE_DIR)


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "PANDAI_", "DJANGO"))}
    env.pop("DATABASE_URL", None)
    key = tmp_path / "secret_key"
    key.write_text("k" * 20 + "-this-is-a-long-random-production-key-0123456789abcdefXYZ")
    key.chmod(0o600)
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY_FILE": str(key),
            "ALLOWED_HOSTS": "pandai.rutan-blora.local",
            "CSRF_TRUSTED_ORIGINS": "https://pandai.rutan-blora.local",
            "PANDAI_BEHIND_PROXY": "true",
            "PANDAI_VAR_DIR": str(tmp_path / "var"),
        }
    )
    env.update(extra)
    return env


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_check_deploy_is_clean_with_the_production_environment(tmp_path: Path):
    done = _check_deploy(_production_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
    # The same check finds the development defaults (DEBUG on, no HTTPS) — it is not vacuous.
    dev = _check_deploy(_production_env(tmp_path, DEBUG="true"))
    assert dev.returncode != 0
    for warning in ("security.W018", "security.W004", "security.W008", "security.W012"):
        assert warning in dev.stdout + dev.stderr
    # An intranet where nginx redirects port 80 itself may turn the redirect off; check says so.
    no_redirect = _check_deploy(_production_env(tmp_path, PANDAI_SSL_REDIRECT="false"))
    assert "security.W008" in no_redirect.stdout + no_redirect.stderr


def _csp(response: Any) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in header.split(";")
        if part.strip()
    }


@pytest.mark.django_db
def test_every_page_carries_a_strict_csp(client: Client):
    response = client.get("/masuk/")
    assert response.status_code == 200
    policy = _csp(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"].startswith("'self'")
    assert "unsafe-inline" not in policy["script-src"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "http" not in response["Content-Security-Policy"]  # no outside host anywhere
    # The kiosk's pages too.
    assert "Content-Security-Policy" in client.get("/kios/")


@pytest.mark.django_db
def test_a_pages_own_style_block_carries_the_headers_nonce(client: Client, staff: Any):
    client.force_login(staff("shop_manager"))
    response = client.get("/koperasi/pesanan/kemas/")
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", _csp(response)["style-src"])
    assert nonce is not None
    assert f'<style nonce="{nonce[1]}">' in response.content.decode()
    assert "onclick=" not in response.content.decode()
    assert "data-print" in response.content.decode()
    # A fresh nonce for every response.
    again = client.get("/koperasi/pesanan/kemas/")
    assert nonce[1] not in again["Content-Security-Policy"]


def test_staff_idle_timeout_defaults_to_30_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60 or os.environ.get("PANDAI_STAFF_IDLE_MINUTES")
    assert settings.SESSION_SAVE_EVERY_REQUEST is True  # each request starts the idle time anew


@pytest.mark.django_db
def test_an_idle_staff_session_ends_and_an_active_one_does_not(
    client: Client, staff: Any, settings: Any
):
    settings.SESSION_COOKIE_AGE = 3  # seconds, for the test
    client.force_login(staff("head"))
    assert client.get("/").status_code == 200
    for _ in range(3):  # active: a request every second keeps the session past 3 seconds
        time.sleep(1)
        assert client.get("/").status_code == 200
    time.sleep(4)  # idle longer than the limit
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")
