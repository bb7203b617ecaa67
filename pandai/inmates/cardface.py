"""The printable face of a Kartu Pandai: one CR80 page (85.6 x 53.98 mm) as a PDF."""

from __future__ import annotations

import io

import qrcode
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor, white
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from pandai.inmates.models import Card

CR80 = (85.6 * mm, 53.98 * mm)
BRAND = HexColor("#0b5d7a")
INK = HexColor("#1b2330")
MUTED = HexColor("#5b6675")
MARGIN = 3 * mm


def _qr_image(text: str) -> ImageReader:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=1)
    code.add_data(text)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    return ImageReader(image)


def _photo(card: Card) -> ImageReader | None:
    photo = card.inmate.photo
    if not photo:
        return None
    try:
        with photo.open("rb") as f:
            return ImageReader(io.BytesIO(f.read()))
    except OSError:
        return None  # a missing file must not stop the card from printing


def _fit(text: str, font: str, width: float, largest: float, smallest: float) -> float:
    size = largest
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def render_card_pdf(*, card: Card) -> bytes:
    inmate = card.inmate
    page_w, page_h = CR80
    out = io.BytesIO()
    pdf = Canvas(out, pagesize=CR80, pageCompression=1)
    pdf.setTitle(f"Kartu Pandai {inmate.reg_no}")
    pdf.setAuthor("Pandai")

    # Header band: the card's name and the site.
    band_h = 9 * mm
    pdf.setFillColor(BRAND)
    pdf.rect(0, page_h - band_h, page_w, band_h, stroke=0, fill=1)
    pdf.setFillColor(white)
    pdf.setFont("Helvetica-Bold", 9)
    pdf.drawString(MARGIN, page_h - 4.2 * mm, "KARTU PANDAI")
    site_name = card.site.name
    size = _fit(site_name, "Helvetica", page_w - 2 * MARGIN, 6.5, 4.5)
    pdf.setFont("Helvetica", size)
    pdf.drawString(MARGIN, page_h - 7.6 * mm, site_name)

    # Photo on the left.
    photo_w, photo_h = 20 * mm, 25 * mm
    photo_x, photo_y = MARGIN, page_h - band_h - 2 * mm - photo_h
    image = _photo(card)
    if image is not None:
        pdf.drawImage(image, photo_x, photo_y, photo_w, photo_h, preserveAspectRatio=True)
    else:
        pdf.setFillColor(HexColor("#e7ebf0"))
        pdf.rect(photo_x, photo_y, photo_w, photo_h, stroke=0, fill=1)
        pdf.setFillColor(MUTED)
        pdf.setFont("Helvetica", 6)
        pdf.drawCentredString(photo_x + photo_w / 2, photo_y + photo_h / 2, _("FOTO"))
    pdf.setStrokeColor(HexColor("#d6dbe3"))
    pdf.rect(photo_x, photo_y, photo_w, photo_h, stroke=1, fill=0)

    # QR code of the card number on the right.
    qr_size = 22 * mm
    qr_x = page_w - MARGIN - qr_size
    qr_y = photo_y + photo_h - qr_size
    pdf.drawImage(_qr_image(card.uid), qr_x, qr_y, qr_size, qr_size)

    # Name and registration number between them.
    text_x = photo_x + photo_w + 2.5 * mm
    text_w = qr_x - text_x - 2 * mm
    top = page_h - band_h - 5 * mm
    pdf.setFillColor(INK)
    name = inmate.full_name
    size = _fit(name, "Helvetica-Bold", text_w, 9, 6.5)
    lines = simpleSplit(name, "Helvetica-Bold", size, text_w)[:3]
    pdf.setFont("Helvetica-Bold", size)
    for n, line in enumerate(lines):
        pdf.drawString(text_x, top - n * (size + 1.5), line)
    label_y = top - (len(lines) - 1) * (size + 1.5) - 4.2 * mm
    pdf.setFont("Helvetica", 5.5)
    pdf.setFillColor(MUTED)
    pdf.drawString(text_x, label_y, _("No. registrasi"))
    pdf.setFillColor(INK)
    pdf.setFont("Helvetica-Bold", 8)
    pdf.drawString(text_x, label_y - 3.3 * mm, inmate.reg_no)

    # Card number along the bottom, as the reader and the QR code give it.
    pdf.setFont("Helvetica", 5.5)
    pdf.setFillColor(MUTED)
    pdf.drawString(MARGIN, 9.6 * mm, _("No. kartu"))
    pdf.setFillColor(INK)
    pdf.setFont("Courier-Bold", 8)
    pdf.drawString(MARGIN, 6.6 * mm, card.uid)
    pdf.setFont("Helvetica", 4.5)
    pdf.setFillColor(MUTED)
    pdf.drawString(
        MARGIN,
        2.4 * mm,
        _("Hanya berlaku di dalam %(site)s. Bukan alat pembayaran tunai.")
        % {"site": card.site.name},
    )
    pdf.showPage()
    pdf.save()
    return out.getvalue()
