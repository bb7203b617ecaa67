"""Child-process side of the concurrency and crash tests (real processes, real commits).

- `buy_many(...)` / `pay_same_key(...)` run in processes forked by the PostgreSQL tests.
- `python -m pandai.wallet.tests.ledger_worker crash OUT STATUS RUN` first verifies what the
  previous (killed) run left — ledger_check passes and every batch key listed in OUT exists —
  writes that to STATUS, prints READY, then posts batches forever, appending each key to OUT
  only after its transaction committed. The test SIGKILLs it at a random moment.
- `python -m pandai.wallet.tests.ledger_worker verify OUT STATUS` only verifies.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from typing import Any


def buy_many(inmate_id: int, amount: int, keys: list[str], barrier: Any, results: Any) -> None:
    """Forked child: wait for everyone, then try one purchase per key; report each outcome."""
    from django.db import connections

    from pandai.core.models import User
    from pandai.inmates.models import Inmate
    from pandai.wallet import services
    from pandai.wallet.errors import LedgerError

    connections.close_all()
    inmate = Inmate.objects.select_related("site").get(pk=inmate_id)
    actor = User.objects.order_by("pk").first()
    barrier.wait()
    for key in keys:
        try:
            result = services.purchase(
                inmate=inmate, amount_rp=amount, idempotency_key=key, actor=actor
            )
            results.put(("ok", key, result.batch.pk, result.replayed))
        except LedgerError as error:
            results.put((error.code, key, None, None))
        except Exception as error:  # reported to the test, which fails on it
            results.put(("crash", key, repr(error), None))
    connections.close_all()


def _setup() -> tuple[Any, Any, Any]:
    from pandai.core.models import Site, User
    from pandai.inmates.models import Inmate

    site, _ = Site.objects.get_or_create(code="CRS", defaults={"name": "Rutan Uji Crash"})
    inmate, _ = Inmate.objects.get_or_create(
        site=site,
        reg_no="CRASH/1",
        defaults={"full_name": "Uji Crash", "gender": "L", "admission_date": dt.date(2024, 1, 1)},
    )
    actor, _ = User.objects.get_or_create(username="crash-officer")
    return site, inmate, actor


def verify(out_path: str) -> dict[str, Any]:
    from pandai.wallet.checks import run_checks
    from pandai.wallet.models import Batch

    keys = []
    if os.path.exists(out_path):
        with open(out_path) as handle:
            keys = [line.strip() for line in handle if line.strip()]
    present = set(
        Batch.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", flat=True)
    )
    return {
        "problems": [str(p) for p in run_checks()],
        "missing": sorted(set(keys) - present),
        "committed": len(keys),
        "batches": Batch.objects.count(),
    }


def crash_loop(out_path: str, run: str) -> None:
    from pandai.wallet import services
    from pandai.wallet.models import AccountKind

    site, inmate, actor = _setup()
    drawer = services.counter_account(site=site, counter="CRASH")
    bank = services.system_account(site=site, kind=AccountKind.BANK_CLEARING)
    fd = os.open(out_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def committed(key: str) -> None:
        os.write(fd, f"{key}\n".encode())

    step = 0
    while True:
        step += 1
        key = f"crash:{run}:{step}"
        kind = step % 5
        if kind == 0:
            services.deposit_credit(
                inmate=inmate, amount_rp=5_000, source=drawer, actor=actor, idempotency_key=key
            )
        elif kind == 1:
            services.deposit_credit(
                inmate=inmate, amount_rp=3_000, source=bank, actor=None, idempotency_key=key
            )
        elif kind == 2:
            services.purchase(inmate=inmate, amount_rp=700, idempotency_key=key, actor=actor)
        elif kind == 3:
            hold = services.hold_create(
                inmate=inmate,
                amount_rp=900,
                idempotency_key=key,
                actor=actor,
                expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1),
            ).transfers[0]
            committed(key)
            key = f"{key}:post"
            services.hold_post(hold=hold, actor=actor, amount_rp=600, idempotency_key=key)
        else:
            services.premi_credit(inmate=inmate, amount_rp=2_000, idempotency_key=key, actor=actor)
        committed(key)


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pandai.settings")
    import django

    django.setup()
    mode, out_path, status_path = argv[0], argv[1], argv[2]
    result = verify(out_path)
    with open(status_path, "w") as handle:
        json.dump(result, handle)
    if mode == "verify":
        return 0 if not result["problems"] and not result["missing"] else 1
    print("READY", flush=True)
    crash_loop(out_path, argv[3])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
