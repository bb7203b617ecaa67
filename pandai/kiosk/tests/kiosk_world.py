"""Sample objects of the kiosk screens for the permission matrix (core's test_permission_matrix
builds them once per module, inside one transaction).

Every kiosk URL is PUBLIC for the matrix: kiosk pages never ask for a staff login (nobody logs
in at a kiosk); the device is the key. The matrix only checks that each is declared here with a
reason; what staff, anonymous visitors and other inmates get is tested in
pandai/kiosk/tests/test_access.py, which walks every kiosk URL: without a paired kiosk every
page but the pairing page is 403 (staff roles included), and an inmate asking for another
inmate's movement, complaint or order gets 404.
"""

from __future__ import annotations

from typing import Any

DEVICE = "device-authenticated: refuses without a paired kiosk"

# (URL name prefix, kwarg) -> key of the sample object, merged into KWARG_SAMPLES.
KIOSK_SAMPLES: dict[tuple[str, str], str] = {
    ("kiosk:movement", "pk"): "kiosk_transfer",
    ("kiosk:complaint", "pk"): "complaint",
    ("kiosk:order_", "pk"): "orders_order",
    ("kiosk:product_", "pk"): "catalogue_product",
    ("kiosk:speech", "key"): "kiosk_speech_key",
    ("kiosk:session", "pk"): "townhall_session",
    ("kiosk:question_", "pk"): "townhall_question",
    ("kiosk_staff:", "pk"): "kiosk_device",
}
# Pages any logged-in user may open, with the reason (merged into LOGIN_ONLY).
KIOSK_LOGIN_ONLY: dict[str, str] = {}
# Pages anyone may open without logging in, with the reason (merged into PUBLIC).
KIOSK_PUBLIC: dict[str, str] = {
    "kiosk:pair": "pairing a kiosk browser: the kiosk device's token (from the admin) is the key",
    **{
        f"kiosk:{name}": DEVICE
        for name in [
            "home",
            "card",
            "pin",
            "cancel",
            "signout",
            "ping",
            "speech",
            "saldo",
            "movement",
            "complaints",
            "complaint_new",
            "complaint_sent",
            "complaint",
            "complaint_rate",
            "complaint_reopen",
            "track",
            "track_result",
            "track_rate",
            "track_reopen",
            "track_done",
            "board",
            "shop",
            "shop_basket",
            "shop_place",
            "orders",
            "order_cancel",
            "product_photo",
            "programmes",
            "rules",
            "sessions",
            "session",
            "session_ask",
            "question_vote",
        ]
    },
}


def kiosk_world(
    *, site: Any, other_site: Any, users: dict[str, Any], inmate: Any, admin: Any
) -> dict[str, Any]:
    """The kiosk objects the URL kwargs above point at (the others come from the shop's and
    the complaints' worlds): a kiosk device, one posted movement of the matrix's inmate."""
    from django.db.models import Q

    from pandai.core import services as core_services
    from pandai.wallet.models import Transfer, TransferState

    device, _token = core_services.device_register(
        site=site, kind="kiosk", name="Kios Matriks", actor=admin
    )
    transfer = (
        Transfer.objects.filter(state=TransferState.POSTED)
        .filter(Q(debit_account__inmate=inmate) | Q(credit_account__inmate=inmate))
        .order_by("-pk")
        .first()
    )
    return {"kiosk_device": device, "kiosk_transfer": transfer, "kiosk_speech_key": "0" * 40}
