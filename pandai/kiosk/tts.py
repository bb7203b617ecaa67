"""Read aloud: a screen's main text spoken in Indonesian by espeak-ng, made on the server and
cached as a WAV file named by the hash of voice and text.

The page never sends text to speak: the view that renders a screen registers its text in the
session and the speaker button asks for it by hash, so a kiosk cannot be made to synthesise
anything else, and after sign-out (the session is flushed) the hash leads nowhere. Without
espeak-ng the button is not shown.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

VOICE = "id"
SESSION_KEY = "kiosk_speech"
KEEP = 12  # texts a session can ask for (the last screens shown)
MAX_CHARS = 1500
TIMEOUT_SECONDS = 20


def espeak_path() -> str | None:
    configured = settings.PANDAI_ESPEAK
    return shutil.which(configured) if configured else None


def available() -> bool:
    return espeak_path() is not None


def cache_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "kiosk-speech"


def text_key(text: str, voice: str = VOICE) -> str:
    return hashlib.sha256(f"{voice}\n{text}".encode()).hexdigest()[:40]


class SpeechError(Exception):
    pass


def synthesise(text: str, voice: str = VOICE) -> Path:
    """The WAV of `text` (made once, then read from the cache)."""
    path = cache_dir() / f"{text_key(text, voice)}.wav"
    if path.exists() and path.stat().st_size > 44:
        return path
    exe = espeak_path()
    if exe is None:
        raise SpeechError("espeak-ng is not installed")
    try:
        # A fixed program with the text on stdin: no shell, nothing from the request.
        done = subprocess.run(
            [exe, "-v", voice, "-s", "150", "--stdout"],
            input=text[:MAX_CHARS].encode(),
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SpeechError(str(exc)) from exc
    if done.returncode != 0 or not done.stdout.startswith(b"RIFF"):
        raise SpeechError(done.stderr.decode(errors="replace")[:200])
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(done.stdout)
    partial.replace(path)  # atomic: a concurrent reader never sees half a file
    return path


def register(request: HttpRequest, text: str) -> str | None:
    """The URL of the speaker button for `text`, or None when speech is not available."""
    text = " ".join(text.split())
    if not text or not available():
        return None
    key = text_key(text)
    kept = dict(request.session.get(SESSION_KEY) or {})
    kept.pop(key, None)
    kept[key] = text
    request.session[SESSION_KEY] = dict(list(kept.items())[-KEEP:])
    return reverse("kiosk:speech", kwargs={"key": key})


def registered_text(request: HttpRequest, key: str) -> str | None:
    kept = request.session.get(SESSION_KEY) or {}
    text = kept.get(key) if isinstance(kept, dict) else None
    return text if isinstance(text, str) else None
