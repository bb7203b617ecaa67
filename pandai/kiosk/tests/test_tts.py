"""Read aloud: a screen's text becomes a real Indonesian WAV (espeak-ng -v id), cached; only
texts the session's screens registered are spoken; no espeak-ng, no button."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import wave

import pytest

from pandai.kiosk import tts

pytestmark = pytest.mark.django_db
needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng not installed (Debian: espeak-ng)"
)


@needs_espeak
def test_a_screens_audio_is_an_indonesian_wav(kiosk_client):
    page = kiosk_client.get("/kios/").content.decode()
    url = re.search(r'data-speak="([^"]+)"', page)
    assert url, "the speaker button is shown"
    response = kiosk_client.get(url.group(1))
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    data = b"".join(response.streaming_content)
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    with wave.open(io.BytesIO(data)) as w:
        seconds = w.getnframes() / w.getframerate()
    assert seconds > 2.0
    # The Indonesian voice: the same text through espeak-ng -v id gives the same samples, and
    # the English voice does not.
    text = "Tempelkan Kartu Pandai Anda ke pembaca kartu. Lalu masukkan PIN Anda."
    args = ["-s", "150", "--stdout"]
    indonesian = subprocess.run(
        ["espeak-ng", "-v", "id", *args], input=text.encode(), capture_output=True, check=True
    ).stdout
    english = subprocess.run(
        ["espeak-ng", "-v", "en", *args], input=text.encode(), capture_output=True, check=True
    ).stdout
    assert data[44:] == indonesian[44:] and data[44:] != english[44:]
    assert (tts.cache_dir() / f"{tts.text_key(text)}.wav").exists()


@needs_espeak
def test_only_registered_texts_are_spoken(kiosk_client):
    assert kiosk_client.get("/kios/suara/" + "ab" * 20 + "/").status_code == 404


def test_without_espeak_the_button_is_hidden(kiosk_client, settings):
    settings.PANDAI_ESPEAK = "espeak-ng-not-installed"
    page = kiosk_client.get("/kios/").content.decode()
    assert "data-speak" not in page
