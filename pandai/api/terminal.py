"""Registered terminals (POS, kiosk, card reader, counter) look a card up: who holds it (photo,
name, registration number, block), what they can spend now and what is left of today's limit.

A UID identifies a card, it does not prove the holder: terminals show the photo and ask for
the PIN before money moves.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from pandai.api.api import ApiError, DeviceAuth, ErrorOut
from pandai.inmates import services as inmate_services
from pandai.inmates.cards import UidError, normalise_uid
from pandai.inmates.models import CardStatus, Inmate, InmateStatus
from pandai.wallet import selectors as wallet_selectors

router = Router(tags=["terminal"])
TERMINALS = DeviceAuth("pos", "kiosk", "reader", "counter")


class CardOut(Schema):
    card_uid: str
    card_status: str
    inmate_id: int
    name: str
    reg_no: str
    block: str | None
    photo_url: str | None
    available_rp: int
    account_status: str  # open / frozen / closed / none (no money yet)
    daily_limit_rp: int | None
    remaining_today_rp: int | None  # None: the site sets no spending limit


def _card_refused(status: str) -> ApiError:
    label = CardStatus(status).label
    return ApiError(
        "card_blocked",
        _("Kartu tidak dapat dipakai (status: %(status)s).") % {"status": label},
        403,
    )


@router.get(
    "/card/{uid}",
    auth=TERMINALS,
    response={200: CardOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Identitas dan saldo pemegang kartu",
)
def card_lookup(request: HttpRequest, uid: str) -> dict[str, Any]:
    """The holder of the card the reader typed (hex, reversed or 10-digit decimal UID)."""
    device = request.device  # type: ignore[attr-defined]
    try:
        normalise_uid(uid)
    except UidError as exc:
        raise ApiError("uid_invalid", _("UID kartu tidak terbaca."), 400) from exc
    card = inmate_services.card_find(site=device.site, raw=uid)
    if card is None:
        raise ApiError("card_unknown", _("Kartu tidak dikenal di UPT ini."), 404)
    if card.status != CardStatus.ACTIVE:
        raise _card_refused(card.status)
    inmate = card.inmate
    if inmate.status != InmateStatus.ACTIVE:
        raise ApiError("inmate_inactive", _("Pemegang kartu sudah tidak aktif di UPT ini."), 403)
    balances = wallet_selectors.balances(inmate=inmate)
    limits = wallet_selectors.limits_remaining(inmate=inmate)
    block = inmate.block
    return {
        "card_uid": card.uid,
        "card_status": card.status,
        "inmate_id": inmate.pk,
        "name": inmate.full_name,
        "reg_no": inmate.reg_no,
        "block": block.name if block else None,
        "photo_url": (
            reverse("api:terminal_photo", kwargs={"inmate_id": inmate.pk}) if inmate.photo else None
        ),
        "available_rp": balances.available_rp,
        "account_status": balances.status,
        "daily_limit_rp": limits.daily_limit_rp,
        "remaining_today_rp": limits.remaining_rp,
    }


@router.get(
    "/inmate/{inmate_id}/photo",
    auth=TERMINALS,
    response={401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    url_name="terminal_photo",
    summary="Foto WBP untuk layar terminal",
    # The photo itself (a FileResponse, which ninja cannot describe from a Schema).
    openapi_extra={
        "responses": {
            200: {
                "description": "Foto JPEG",
                "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def inmate_photo(request: HttpRequest, inmate_id: int) -> FileResponse:
    device = request.device  # type: ignore[attr-defined]
    inmate = Inmate.objects.filter(pk=inmate_id, site=device.site).first()
    if inmate is None or not inmate.photo:
        raise ApiError("photo_missing", _("Foto tidak ada."), 404)
    response = FileResponse(inmate.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
