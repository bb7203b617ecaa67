"""The public tracking page's door: a tracking number and its follow-up code, checked with a
rate limit per client address and per number, wrong tries audited, and one neutral answer that
never tells whether the number exists.

Two counters, so that neither a kiosk nor a number can be hammered: the cache counts wrong
tries per client address and per number text (the same for numbers that do not exist, so a
lock-out says nothing about existence), and `Complaint.code_failures` / `code_locked_until`
keep the count of a real number in the database (it survives a cache restart and shows on the
staff page). A right code clears the number's counters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.utils.translation import gettext as _

from pandai.complaints.models import Complaint
from pandai.complaints.services.base import now
from pandai.complaints.services.identity import followup_code_check
from pandai.core.audit import audit_append

# Wrong tries allowed in a window before the number or the address must wait.
MAX_TRIES_PER_NUMBER = 5
MAX_TRIES_PER_CLIENT = 20
WINDOW = dt.timedelta(minutes=15)
_NUMBER = re.compile(r"[^A-Z0-9-]")


class TrackingRefused(Exception):
    """The one answer to a wrong number, a wrong code or too many tries."""

    def __init__(self, message: str, *, locked: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.locked = locked


def number_normalize(raw: str) -> str:
    """'adu-blr-2024-123 ' -> 'ADU-BLR-2024-123' (spaces and stray characters dropped)."""
    return _NUMBER.sub("", (raw or "").upper().replace(" ", ""))[:32]


def _key(kind: str, value: str) -> str:
    # Hashed: cache keys must be short and safe, and the cache is no place for raw numbers.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{kind}|{value}".encode()).hexdigest()[:32]
    return f"complaints:track:{kind}:{digest}"


def _count(key: str) -> int:
    return int(cache.get(key, 0))


def _bump(key: str) -> None:
    cache.add(key, 0, int(WINDOW.total_seconds()))
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, int(WINDOW.total_seconds()))


def neutral_message() -> str:
    return _(
        "Nomor pengaduan atau kode tindak lanjut tidak cocok. Periksa lagi slip tanda terima Anda."
    )


def locked_message() -> str:
    return _(
        "Terlalu banyak percobaan yang salah. Tunggu %(minutes)s menit lalu coba lagi, atau "
        "minta bantuan petugas pengaduan."
    ) % {"minutes": int(WINDOW.total_seconds() // 60)}


def tracking_open(*, number: str, code: str, client: str) -> Complaint:
    """The complaint whose number and follow-up code match, or TrackingRefused. `client` is
    the caller's address (a kiosk or a counter PC), used only to count wrong tries."""
    number = number_normalize(number)
    number_key, client_key = _key("number", number), _key("client", client)
    moment = now()
    complaint = Complaint.objects.select_related("site", "category").filter(number=number).first()
    locked = (
        _count(number_key) >= MAX_TRIES_PER_NUMBER
        or _count(client_key) >= MAX_TRIES_PER_CLIENT
        or (
            complaint is not None
            and complaint.code_locked_until is not None
            and complaint.code_locked_until > moment
        )
    )
    if locked:
        raise TrackingRefused(locked_message(), locked=True)
    if complaint is not None and followup_code_check(complaint=complaint, code=code):
        if complaint.code_failures:
            Complaint.objects.filter(pk=complaint.pk).update(
                code_failures=0, code_locked_until=None
            )
        cache.delete(number_key)
        return complaint
    _bump(number_key)
    _bump(client_key)
    _record_failure(complaint, number, client, moment)
    raise TrackingRefused(neutral_message())


def _record_failure(
    complaint: Complaint | None, number: str, client: str, moment: dt.datetime
) -> None:
    """Audit the wrong try (never the code typed) and count it on a real number."""
    if complaint is not None:
        Complaint.objects.filter(pk=complaint.pk).update(code_failures=F("code_failures") + 1)
        failures = Complaint.objects.filter(pk=complaint.pk).values_list(
            "code_failures", flat=True
        )[0]
        if failures >= MAX_TRIES_PER_NUMBER:
            Complaint.objects.filter(pk=complaint.pk).update(
                code_failures=0, code_locked_until=moment + WINDOW
            )
    audit_append(
        action="complaint.code_wrong",
        site=complaint.site if complaint is not None else None,
        actor_label=_("halaman lacak pengaduan"),
        object_type="complaints.complaint",
        object_id=complaint.pk if complaint is not None else "",
        data={"number": number, "client": client, "known": complaint is not None},
    )


@dataclass(frozen=True)
class TrackingGrant:
    """What the session keeps after a right code: which item, until when (a kiosk is shared,
    so it is short and the page has a 'finish' button that drops it)."""

    complaint_id: int
    until: dt.datetime


GRANT_MINUTES = 10
SESSION_KEY = "complaints_tracking"


def grant_new(complaint: Complaint) -> dict[str, str | int]:
    until = now() + dt.timedelta(minutes=GRANT_MINUTES)
    return {"complaint": complaint.pk, "until": until.isoformat()}


def grant_read(raw: object) -> TrackingGrant | None:
    if not isinstance(raw, dict):
        return None
    try:
        grant = TrackingGrant(int(raw["complaint"]), dt.datetime.fromisoformat(str(raw["until"])))
    except (KeyError, TypeError, ValueError):
        return None
    return grant if grant.until > now() else None
