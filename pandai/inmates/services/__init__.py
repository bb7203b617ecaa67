"""Writes of the inmate registry. Import from here: `from pandai.inmates import services`."""

from pandai.inmates.services.base import INMATE_FIELDS, InmateError, PinCheck
from pandai.inmates.services.cards import (
    TRIVIAL_MESSAGES,
    card_find,
    card_issue,
    card_set_status,
    pin_set,
    pin_verify,
)
from pandai.inmates.services.housing import block_create, block_update, cell_create, cell_update
from pandai.inmates.services.registry import (
    PHOTO_MAX_SIDE,
    departure_guard_register,
    discipline_add,
    inmate_admit,
    inmate_move_cell,
    inmate_release,
    inmate_set_photo,
    inmate_transfer,
    inmate_update,
)
from pandai.inmates.services.sdp import ImportOutcome, import_batch_apply, import_batch_create

__all__ = [
    "INMATE_FIELDS",
    "PHOTO_MAX_SIDE",
    "TRIVIAL_MESSAGES",
    "ImportOutcome",
    "InmateError",
    "PinCheck",
    "block_create",
    "block_update",
    "card_find",
    "card_issue",
    "card_set_status",
    "cell_create",
    "cell_update",
    "departure_guard_register",
    "discipline_add",
    "import_batch_apply",
    "import_batch_create",
    "inmate_admit",
    "inmate_move_cell",
    "inmate_release",
    "inmate_set_photo",
    "inmate_transfer",
    "inmate_update",
    "pin_set",
    "pin_verify",
]
