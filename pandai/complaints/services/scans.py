"""Scans of paper slips: only real JPEG, PNG or PDF, size-limited; images are re-encoded as
JPEG so that camera metadata (place, time, phone owner) does not survive."""

from __future__ import annotations

import io

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from pandai.complaints.services.base import ComplaintError

MAX_SCAN_BYTES: int = getattr(settings, "PANDAI_MAX_SCAN_BYTES", 5 * 1024 * 1024)
SCAN_MAX_SIDE = 2400  # enough to read handwriting on an A4 slip
IMAGE_FORMATS = {"JPEG", "PNG"}


def scan_clean(data: bytes) -> tuple[bytes, str]:
    """(bytes to store, extension). Raises ComplaintError for anything else."""
    if not data:
        raise ComplaintError("scan_empty", _("Berkas pindaian kosong."))
    if len(data) > MAX_SCAN_BYTES:
        raise ComplaintError(
            "scan_too_big",
            _("Berkas pindaian terlalu besar (maksimum %(mb)s MB).")
            % {"mb": MAX_SCAN_BYTES // (1024 * 1024)},
        )
    if data.startswith(b"%PDF-"):
        # Without a PDF library we cannot rewrite it; a PDF must at least be complete.
        if b"%%EOF" not in data[-1024:]:
            raise ComplaintError("scan_bad", _("Berkas PDF ini tidak utuh atau rusak."))
        return data, "pdf"
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format not in IMAGE_FORMATS:
                raise ComplaintError("scan_bad", _("Pindaian harus berupa JPEG, PNG atau PDF."))
            img.load()
            clean = img.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ComplaintError(
            "scan_bad", _("Berkas ini bukan gambar JPEG/PNG atau PDF yang dapat dibaca.")
        ) from exc
    clean.thumbnail((SCAN_MAX_SIDE, SCAN_MAX_SIDE))
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85)  # no exif= argument: metadata is dropped
    return out.getvalue(), "jpg"
