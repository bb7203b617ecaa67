"""The mixed load of part 3 for locust (headless; started by bench/mixed_load.py).

Every virtual user is one client of Pandai doing, one after another, the day's actions in
fixed proportions (each action is what a person does at one device, with every request a
browser or terminal sends, redirects followed):

| action    | weight | device and requests                                                  |
|-----------|-------:|----------------------------------------------------------------------|
| checkout  |     40 | POS terminal: `POST /api/shop/checkout` (token, card + PIN, 3 lines) |
| balance   |     30 | block kiosk: tap card, PIN, `GET /kios/saldo/`, sign out             |
| vote      |     12 | hall voting device (staff): `POST /sosialisasi/<id>/dukung/`         |
| deposit   |     12 | counter PC (officer): find by reg. no., form, `POST`, receipt        |
| complaint |      6 | block kiosk: tap card, PIN, complaint form, `POST` it, sign out      |

Configuration comes from the environment: BENCH_LOAD_CONF (the seed's JSON: tokens, cards,
staff, ids), BENCH_LOAD_OUT (where to write this run's figures), BENCH_LOAD_WARMUP (seconds
not counted), BENCH_LOAD_PACE (actions per second per user, 0: as fast as answered),
BENCH_LOAD_OFFSET (where this run starts in the shared sequences, so a later run never votes
a (card, question) pair an earlier one used), BENCH_LOAD_ONLY (one action alone).

An action is an error when any of its requests fails or its page says it was refused; errors
are counted by action and reason, never retried. The figures over the measured part (after the
warm-up): per action and per request name, the count, rate, p50/p95/p99 and errors.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import random
import re
import time
import uuid
from collections import Counter, defaultdict
from typing import Any
from urllib.parse import urlsplit

from locust import HttpUser, between, constant_throughput, events, task
from locust.exception import StopUser

CONF: dict[str, Any] = json.loads(open(os.environ["BENCH_LOAD_CONF"]).read())  # noqa: SIM115
OUT = os.environ.get("BENCH_LOAD_OUT", "")
WARMUP = float(os.environ.get("BENCH_LOAD_WARMUP", "5"))
PACE = float(os.environ.get("BENCH_LOAD_PACE", "0"))
OFFSET = int(os.environ.get("BENCH_LOAD_OFFSET", "0"))

CARDS: list[str] = CONF["cards"]
REG_NOS: list[str] = CONF["reg_nos"]
# Shared sequences (one locust process, gevent: no two greenlets interleave a next()).
_next_inmate = itertools.count(OFFSET * 7919)
_next_vote = itertools.count(OFFSET)
_next_complaint = itertools.count(OFFSET)
_next_user = itertools.count()

T0 = time.monotonic()
ACTIONS: list[tuple[float, str, float, str]] = []  # (end, action, seconds, error or "")
REQUESTS: list[tuple[float, str, float, bool]] = []  # (end, name, seconds, failed)


@events.request.add_listener
def _on_request(name: str, response_time: float, exception: Any, **_: Any) -> None:
    REQUESTS.append((time.monotonic() - T0, name, response_time / 1000, exception is not None))


class Refused(Exception):
    pass


def _csrf(session: Any) -> dict[str, str]:
    token = ""
    for cookie in session.cookies:  # the last one set (a jar can hold one per path/domain)
        if cookie.name == "csrftoken":
            token = cookie.value or ""
    return {"X-CSRFToken": token}


class Client(HttpUser):
    # Closed loop by default (the next action when the last is answered); paced for the soak.
    wait_time = constant_throughput(PACE) if PACE > 0 else between(0, 0)

    def on_start(self) -> None:
        self.n = next(_next_user)
        device = CONF["pos"][self.n % len(CONF["pos"])]
        self.api_headers = {"Authorization": f"Bearer {device['token']}"}
        self.rng = random.Random(f"{OFFSET}:{self.n}")
        self.kiosk = self._session()
        self._pair(CONF["kiosks"][self.n % len(CONF["kiosks"])])
        officer = CONF["officers"][self.n % len(CONF["officers"])]
        self.officer = self._session(cookies=officer["cookies"])
        self.runner = self._session(cookies=CONF["runner"]["cookies"])

    # --- plumbing ---------------------------------------------------------------------------

    def _session(self, cookies: dict[str, str] | None = None) -> Any:
        from locust.clients import HttpSession

        session = HttpSession(
            base_url=self.host, request_event=self.environment.events.request, user=self
        )
        host = urlsplit(self.host).hostname or ""
        for name, value in (cookies or {}).items():
            # The domain the server's own Set-Cookie gets, so its later answers replace
            # this cookie instead of adding a second one of the same name.
            session.cookies.set(name, value, domain=host, path="/")
        return session

    def _pair(self, token: str) -> None:
        self.kiosk.get("/kios/pasang/", name="kiosk pair (GET)")
        r = self.kiosk.post(
            "/kios/pasang/",
            data={"token": token},
            headers=_csrf(self.kiosk),
            name="kiosk pair",
            allow_redirects=False,
        )
        if r.status_code != 302:
            raise StopUser()

    def _action(self, name: str, fn: Any) -> None:
        started = time.monotonic()
        error = ""
        try:
            fn()
        except Refused as exc:
            error = str(exc)[:100]
        except Exception as exc:  # counted, never retried
            error = f"{type(exc).__name__}: {str(exc)[:80]}"
        ACTIONS.append((time.monotonic() - T0, name, time.monotonic() - started, error))

    def _check(self, response: Any, what: str, *, url_part: str = "") -> None:
        if response.status_code >= 400:
            raise Refused(f"{what}: HTTP {response.status_code}")
        if url_part and url_part not in response.url:
            raise Refused(f"{what}: ended at {response.url.split('/', 3)[-1][:40]}")

    def _kiosk_sign_in(self, index: int) -> None:
        s = self.kiosk
        r = s.post("/kios/kartu/", data={"uid": CARDS[index]}, headers=_csrf(s), name="kiosk card")
        self._check(r, "card", url_part="/kios/pin/")
        r = s.post("/kios/pin/", data={"pin": CONF["pin"]}, headers=_csrf(s), name="kiosk PIN")
        self._check(r, "PIN")
        if r.url.rstrip("/").endswith("/pin"):
            raise Refused("PIN refused")

    def _kiosk_sign_out(self) -> None:
        s = self.kiosk
        r = s.post("/kios/keluar/", headers=_csrf(s), name="kiosk sign out")
        self._check(r, "sign out")

    # --- the actions ------------------------------------------------------------------------

    @task(40)
    def checkout(self) -> None:
        def run() -> None:
            index = next(_next_inmate) % len(CARDS)
            body = {
                "card_uid": CARDS[index],
                "pin": CONF["pin"],
                "lines": [
                    {"product_id": pk, "quantity": 1} for pk in self.rng.sample(CONF["products"], 3)
                ],
                "idempotency_key": f"load:{uuid.uuid4().hex}",
            }
            with self.client.post(
                "/api/shop/checkout",
                json=body,
                headers=self.api_headers,
                name="POST /api/shop/checkout",
                catch_response=True,
            ) as r:
                if r.status_code != 200:
                    code = ""
                    with contextlib.suppress(ValueError):
                        code = r.json().get("code", "")
                    r.failure(f"HTTP {r.status_code} {code}")
                    raise Refused(f"checkout: HTTP {r.status_code} {code}")

        self._action("checkout", run)

    @task(30)
    def balance(self) -> None:
        def run() -> None:
            self._kiosk_sign_in(next(_next_inmate) % len(CARDS))
            r = self.kiosk.get("/kios/saldo/", name="GET /kios/saldo/")
            self._check(r, "saldo", url_part="/kios/saldo/")
            self._kiosk_sign_out()

        self._action("balance", run)

    @task(12)
    def vote(self) -> None:
        def run() -> None:
            n = next(_next_vote)
            questions = CONF["questions"]
            card = CARDS[n % len(CARDS)]
            question = questions[(n // len(CARDS)) % len(questions)]
            s = self.runner
            if not _csrf(s)["X-CSRFToken"]:
                s.get(f"/sosialisasi/{CONF['session']}/dukung/", name="vote page (GET)")
            r = s.post(
                f"/sosialisasi/{CONF['session']}/dukung/",
                data={"question": question, "card": card},
                headers=_csrf(s),
                name="POST /sosialisasi/<id>/dukung/",
            )
            self._check(r, "vote", url_part="/dukung/")
            if b"door-result counted" not in r.content:
                found = re.search(rb'door-result refused"[^>]*>([^<]{0,80})', r.content)
                raise Refused("vote: " + (found.group(1).decode() if found else "no result"))

        self._action("vote", run)

    @task(12)
    def deposit(self) -> None:
        def run() -> None:
            s = self.officer
            reg_no = REG_NOS[next(_next_inmate) % len(REG_NOS)]
            r = s.get("/kartu/setor/", params={"q": reg_no}, name="GET /kartu/setor/?q=")
            self._check(r, "find", url_part="/wbp/")
            form_url = r.url
            match = re.search(rb'name="key"[^>]*value="([0-9a-f-]{36})"', r.content) or re.search(
                rb'value="([0-9a-f-]{36})"[^>]*name="key"', r.content
            )
            if match is None:
                raise Refused("deposit form without a key")
            r = s.post(
                form_url,
                data={
                    "key": match.group(1).decode(),
                    "depositor_name": "Siti Aminah",
                    "depositor_nik": "3316" + f"{self.n:012d}",
                    "relationship": "ibu",
                    "depositor_phone": "081234567890",
                    "amount": "50000",
                },
                headers={**_csrf(s), "Referer": form_url},
                name="POST /kartu/wbp/<id>/setor/",
            )
            self._check(r, "deposit", url_part="/struk/")

        self._action("deposit", run)

    @task(6)
    def complaint(self) -> None:
        def run() -> None:
            n = next(_next_complaint)
            self._kiosk_sign_in((n * 7) % len(CARDS))
            s = self.kiosk
            r = s.get("/kios/pengaduan/baru/", name="GET /kios/pengaduan/baru/")
            self._check(r, "form")
            r = s.post(
                "/kios/pengaduan/baru/",
                data={
                    "kind": "complaint",
                    "category": CONF["complaint_category"],
                    "identity": "confidential",
                    "emergency_kind": "",
                    "text": f"Air di blok sering mati sore hari (uji beban {n}).",
                },
                headers=_csrf(s),
                name="POST /kios/pengaduan/baru/",
            )
            self._check(r, "complaint", url_part="/terkirim/")
            self._kiosk_sign_out()

        self._action("complaint", run)


ONLY = os.environ.get("BENCH_LOAD_ONLY", "")
if ONLY:  # one action alone (its solo rate and CPU per action)
    Client.tasks = [getattr(Client, ONLY)]


def _percentiles(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    if not values:
        return {}
    return {
        p: round(1000 * values[min(len(values) - 1, int(q * len(values)))], 1)
        for p, q in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99))
    }


@events.quitting.add_listener
def _write(environment: Any, **_: Any) -> None:
    if not OUT:
        return
    end = max([a[0] for a in ACTIONS] + [r[0] for r in REQUESTS] + [WARMUP + 0.001])
    seconds = max(0.001, end - WARMUP)
    actions: dict[str, dict[str, Any]] = {}
    by_action: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for at, name, took, error in ACTIONS:
        if at >= WARMUP:
            by_action[name].append((took, error))
    for name, items in sorted(by_action.items()):
        errors = Counter(e for _, e in items if e)
        ok = [t for t, e in items if not e]
        actions[name] = {
            "count": len(items),
            "per_s": round(len(ok) / seconds, 2),
            "errors": sum(errors.values()),
            "error_kinds": dict(errors.most_common(5)),
            "latency_ms": _percentiles(ok),
        }
    requests: dict[str, dict[str, Any]] = {}
    by_name: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for at, name, took, failed in REQUESTS:
        if at >= WARMUP:
            by_name[name].append((took, failed))
    for name, items in sorted(by_name.items()):
        requests[name] = {
            "count": len(items),
            "per_s": round(len(items) / seconds, 2),
            "failures": sum(1 for _, f in items if f),
            "latency_ms": _percentiles([t for t, _ in items]),
        }
    total_actions = sum(len(v) for v in by_action.values())
    with open(OUT, "w") as f:
        json.dump(
            {
                "users": environment.runner.user_count if environment.runner else None,
                "seconds": round(seconds, 1),
                "actions": actions,
                "requests": requests,
                "actions_per_s": round(sum(a["per_s"] for a in actions.values()), 2),
                "requests_per_s": round(sum(r["count"] for r in requests.values()) / seconds, 1),
                "errors": sum(a["errors"] for a in actions.values()),
                "used": {
                    "votes": next(_next_vote) - OFFSET,
                    "complaints": next(_next_complaint) - OFFSET,
                    "actions": total_actions,
                },
            },
            f,
        )
