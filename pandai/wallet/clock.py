"""The ledger's clock. Services take `now=None` and fall back to `clock.now()`, which tests
may patch to move across midnight or a month end."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()
