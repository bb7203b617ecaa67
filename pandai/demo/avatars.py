"""Demo photos drawn locally with Pillow: a simple face on a coloured background with initials."""

from __future__ import annotations

import io
import random
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 200, 250
BACKGROUNDS = ((176, 196, 222), (188, 222, 196), (230, 214, 180), (214, 196, 226), (200, 220, 230))
SKIN = ((241, 194, 153), (224, 172, 128), (198, 140, 98), (165, 112, 76), (141, 94, 64))
HAIR = ((25, 22, 20), (45, 35, 30), (70, 55, 45), (110, 105, 100))
HIJAB = ((60, 90, 140), (130, 40, 70), (40, 110, 100), (90, 70, 50))
# Orange shirts for remand prisoners (tahanan), blue for convicted (narapidana).
SHIRT = {"tahanan": (230, 120, 30), "narapidana": (40, 80, 160)}


@lru_cache(maxsize=1)
def _font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=30)
    except (OSError, TypeError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def initials(name: str) -> str:
    parts = [p for p in name.replace(".", " ").split() if p[:1].isalpha()]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


def draw_avatar(*, name: str, gender: str, legal_status: str, seed: int) -> bytes:
    """A 200x250 JPEG; the same arguments always give the same picture."""
    rng = random.Random(seed)
    img = Image.new("RGB", (WIDTH, HEIGHT), rng.choice(BACKGROUNDS))
    d = ImageDraw.Draw(img)
    skin = rng.choice(SKIN)
    cx = WIDTH // 2
    shirt = SHIRT.get(legal_status, (90, 90, 90))
    d.ellipse((cx - 85, 165, cx + 85, 300), fill=shirt)  # shoulders
    d.rectangle((cx - 16, 140, cx + 16, 178), fill=skin)  # neck
    wears_hijab = gender == "P" and rng.random() < 0.6
    if wears_hijab:
        veil = rng.choice(HIJAB)
        d.ellipse((cx - 56, 40, cx + 56, 170), fill=veil)
        d.polygon([(cx - 60, 140), (cx + 60, 140), (cx + 80, 200), (cx - 80, 200)], fill=veil)
    hair = rng.choice(HAIR)
    if gender == "P" and not wears_hijab:
        d.rounded_rectangle((cx - 55, 45, cx + 55, 175), radius=40, fill=hair)  # long hair
    d.ellipse((cx - 42, 60, cx + 42, 160), fill=skin)  # face
    if not wears_hijab:
        d.chord((cx - 44, 52, cx + 44, 120), 180, 360, fill=hair)  # hair on top
    eye_y = 105 + rng.randint(-3, 3)
    for dx in (-16, 16):
        d.ellipse((cx + dx - 4, eye_y - 3, cx + dx + 4, eye_y + 3), fill=(30, 30, 30))
    d.arc((cx - 14, 120, cx + 14, 142), 20, 160, fill=(120, 60, 50), width=3)  # mouth
    if gender == "L" and rng.random() < 0.25:
        d.rounded_rectangle((cx - 15, 119, cx + 15, 125), radius=3, fill=hair)  # moustache
    # The initials on a band, so two faces that look alike are still told apart.
    d.rectangle((0, HEIGHT - 44, WIDTH, HEIGHT), fill=(255, 255, 255))
    d.text((cx, HEIGHT - 22), initials(name), fill=(30, 40, 60), font=_font(), anchor="mm")
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=82)
    return out.getvalue()
