"""Part 3, load and soak: the day's mix of actions through real HTTP against the production
setup (gunicorn, DEBUG off, PostgreSQL), driven by locust in headless mode
(bench/locustfile.py says what each action sends and their proportions).

1. **Peak**: closed-loop runs (each client starts its next action when the last is answered)
   with 4, 8, 16, 32, 48, 64 clients, one short run each (warm-up not counted); the steps
   stop when the actions per second no longer rise by 5 % or an error appears. The peak is
   the best step's rate.
2. **Soak** at 70 % of the peak: the peak's clients, each paced (locust's
   constant_throughput) so all together ask for 0.7 x the peak rate, for `--soak` seconds
   (600 in `make bench`). Zero errors; the gunicorn workers' RSS sampled every 10 s (start
   after the warm-up and end reported: it must stay flat); after it `ledger_check` and
   `audit_verify` must be clean.

3. **Each action alone**: 4 closed-loop clients doing only that action for 15 s: its own rate
   and the gunicorn workers' CPU per action (what a sizing table needs).

Rows: `load_peak` (actions/s at the peak, info) with per-action and per-request rates and
p50/p95/p99 in its details, `load_<action>` (info, one per action: its rate and latency in
the mix at the peak, and alone), and `soak` (passes with zero errors, flat memory and clean
checks).

    python -m bench.run --only load [--soak 60]
    python -m bench.mixed_load seed | verify     (DATABASE_URL: the database)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import pg
from bench.core import ROOT, Context, Row, add_measurement
from bench.gunicorn import Gunicorn
from bench.procside import PYTHON, clean_env, run_json

DATABASE = "pandai_bench_load"
LOCUST = str(Path(PYTHON).parent / "locust")
# gunicorn's rule of thumb for sync workers: 2 x CPUs + 1 (5 on this 2-core machine).
SERVER_WORKERS = 2 * (os.cpu_count() or 1) + 1
STEPS = (4, 8, 16, 32, 48, 64)
STEP_SECONDS = 20.0  # measured part of each step
WARMUP_SECONDS = 5.0
SOAK_LOAD = 0.7
SOLO_CLIENTS = 4  # each action alone, closed loop: its own rate and CPU
SOLO_SECONDS = 15.0
OFFICERS = 8
KIOSKS = 8
QUESTIONS = 40
PASSWORD = "bench-Pandai-2024!"  # noqa: S105 (a throwaway database)
ACTIONS = ("checkout", "balance", "vote", "deposit", "complaint")


# --- seed and verify (Django processes on the bench database) ---------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pandai.settings")
    import django

    django.setup()


def seed() -> None:
    """Part 2's checkout seed (site with limits, 1,000 inmates funded, cards and PINs, 240
    products, 16 POS terminals with open shifts), then what the other actions need: counter
    officers each with a counter and an open shift, kiosk devices, a session runner and an
    open session with published questions, the complaint categories."""
    from bench.checkout_worker import DEVICES_FILE
    from bench.checkout_worker import seed as seed_checkout

    seed_checkout(inmates=1000, products=240, terminals=16, parts=2)
    from django.conf import settings
    from django.utils import timezone

    from bench.pandai_worker import SITE_CODE
    from pandai.complaints import services as complaint_services
    from pandai.complaints.models import Category
    from pandai.core import services as core
    from pandai.core.models import Site, User
    from pandai.inmates.models import Inmate
    from pandai.townhall import services as townhall
    from pandai.wallet import counter

    site = Site.objects.get(code=SITE_CODE)
    head = User.objects.get(username="bench-head")
    conf = json.loads(Path(settings.VAR_DIR, DEVICES_FILE).read_text())
    officers = []
    for i in range(OFFICERS):
        officer = core.staff_create(
            username=f"bench-petugas-{i + 1}",
            full_name=f"Petugas loket {i + 1}",
            password=PASSWORD,
            site=site,
            roles=["counter_officer"],
            actor=None,
        )
        desk = counter.counter_create(
            site=site, code=f"LOAD-{i + 1}", name=f"Loket beban {i + 1}", actor=head
        )
        counter.shift_open(counter=desk, officer=officer, opening_cash_rp=0)
        officers.append(officer.username)
    runner = core.staff_create(
        username="bench-sosialisasi",
        full_name="Petugas sosialisasi",
        password=PASSWORD,
        site=site,
        roles=["complaint_officer"],
        actor=None,
    )
    kiosks = [
        core.device_register(site=site, kind="kiosk", name=f"BENCH-KIOS-{i + 1}", actor=head)[1]
        for i in range(KIOSKS)
    ]
    session = townhall.session_create(
        site=site,
        actor=head,
        data=townhall.SessionInput(
            title="Sosialisasi uji beban",
            starts_at=timezone.now(),
            place="Aula",
            chair=head,
        ),
    )
    townhall.session_open(session=session, actor=head)
    questions = []
    for i in range(QUESTIONS):
        q = townhall.question_floor(
            session=session, actor=runner, text=f"Pertanyaan peserta nomor {i + 1}?"
        )
        if q.status != "published":
            q = townhall.question_publish(question=q, actor=head)
        questions.append(q.pk)
    complaint_services.categories_ensure(site=site)
    category = Category.objects.filter(site=site).order_by("pk").first()
    assert category is not None
    reg_nos = list(Inmate.objects.filter(site=site).order_by("pk").values_list("reg_no", flat=True))
    conf.update(
        {
            "pos": [{"token": d["token"]} for d in conf.pop("devices")],
            "kiosks": kiosks,
            "officers": officers,
            "runner_username": runner.username,
            "password": PASSWORD,
            "session": session.pk,
            "questions": questions,
            "complaint_category": category.code,
            "reg_nos": reg_nos,
        }
    )
    Path(settings.VAR_DIR, "load-conf.json").write_text(json.dumps(conf))
    print(json.dumps({"inmates": len(reg_nos), "questions": len(questions)}))


def verify() -> None:
    """ledger_check and audit_verify as an operator runs them: their exit status."""
    from django.core.management import call_command

    out: dict[str, Any] = {}
    for command in ("ledger_check", "audit_verify"):
        try:
            call_command(command, stdout=sys.stderr, stderr=sys.stderr)
        except SystemExit as exc:
            out[command] = exc.code in (0, None)
        except Exception as exc:
            out[command] = False
            out[f"{command}_error"] = f"{type(exc).__name__}: {exc}"[:300]
        else:
            out[command] = True
    print(json.dumps(out))


# --- the server -------------------------------------------------------------------------------


def login(url: str, username: str, password: str) -> dict[str, str]:
    """A staff browser's cookies after the login form (the virtual users share them as tabs
    of one officer's browser)."""
    import requests

    s = requests.Session()
    s.get(f"{url}/masuk/", timeout=60)
    r = s.post(
        f"{url}/masuk/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": s.cookies.get("csrftoken", ""),
        },
        headers={"Referer": f"{url}/masuk/"},
        timeout=60,
    )
    if r.status_code != 200 or "/masuk/" in r.url:
        raise RuntimeError(f"login of {username} failed: HTTP {r.status_code} at {r.url}")
    # The session only: each virtual user gets its own CSRF cookie from its first page.
    return {"sessionid": s.cookies.get("sessionid", "")}


# --- locust runs -----------------------------------------------------------------------------


def run_locust(
    ctx: Context,
    server: Gunicorn,
    conf_file: Path,
    *,
    users: int,
    seconds: float,
    pace: float,
    offset: int,
    label: str,
    on_tick: Any = None,
    only: str = "",
) -> dict[str, Any]:
    out = ctx.tmp / "load" / f"locust-{label}.json"
    env = clean_env(
        {
            "BENCH_LOAD_CONF": str(conf_file),
            "BENCH_LOAD_OUT": str(out),
            "BENCH_LOAD_WARMUP": str(WARMUP_SECONDS),
            "BENCH_LOAD_PACE": f"{pace:.4f}",
            "BENCH_LOAD_OFFSET": str(offset),
            "BENCH_LOAD_ONLY": only,
        }
    )
    log = (ctx.tmp / "logs" / f"locust-{label}.log").open("ab")
    cpu_before = server.cpu_s()
    started = time.monotonic()
    proc = subprocess.Popen(
        [
            *(LOCUST, "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"),
            *("-u", str(users), "-r", str(users), "--host", server.url),
            *("--run-time", f"{round(WARMUP_SECONDS + seconds)}s", "--stop-timeout", "20"),
            *("--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"),
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=log,
    )
    try:
        while proc.poll() is None:
            time.sleep(1)
            if on_tick is not None:
                on_tick(time.monotonic() - started)
            if time.monotonic() - started > WARMUP_SECONDS + seconds + 300:
                proc.kill()
                raise RuntimeError(f"locust {label} did not stop")
    finally:
        log.close()
    if not out.exists():
        raise RuntimeError(f"locust {label} wrote no figures; log {ctx.tmp / 'logs'}")
    result = dict(json.loads(out.read_text()))
    # The gunicorn workers' CPU per action over the whole run (warm-up included, like the
    # count it is divided by): what sizes a server, whatever else the machine was doing.
    done = max(1, result["used"]["actions"])
    cpu_after = server.cpu_s()
    result["server_cpu_ms_per_action"] = (
        round(1000 * (cpu_after - cpu_before) / done, 1)
        if cpu_before is not None and cpu_after is not None
        else None
    )
    return result


def _pretty(result: dict[str, Any]) -> str:
    parts = [
        f"{name} {a['per_s']}/s p95 {a['latency_ms'].get('p95', '-')} ms"
        + (f" ERR {a['errors']} {a['error_kinds']}" if a["errors"] else "")
        for name, a in result["actions"].items()
    ]
    return (
        f"{result['actions_per_s']} actions/s, {result['requests_per_s']} req/s, "
        f"{result['server_cpu_ms_per_action']} ms gunicorn CPU/action: " + "; ".join(parts)
    )


def measure(ctx: Context) -> list[Row]:
    soak_seconds = float(os.environ.get("BENCH_SOAK_SECONDS", "600"))
    step_seconds = float(os.environ.get("BENCH_LOAD_STEP_SECONDS", str(STEP_SECONDS)))
    base = ctx.tmp / "load"
    base.mkdir(parents=True, exist_ok=True)
    (ctx.tmp / "logs").mkdir(parents=True, exist_ok=True)
    env = clean_env(
        {
            "DATABASE_URL": pg.url(DATABASE),
            "PANDAI_VAR_DIR": str(base),
            "DEBUG": "0",
            # Plain HTTP on 127.0.0.1, as gunicorn sees it behind nginx: no redirect to
            # https, cookies without the Secure flag (a site keeps both on: nginx speaks HTTPS).
            "PANDAI_SECURE_COOKIES": "0",
            "PANDAI_SSL_REDIRECT": "0",
        }
    )
    pg.recreate(DATABASE)
    ctx.log("[load] seeding (1,000 inmates, terminals, kiosks, counters, a session) ...")
    seeded = run_json(
        [PYTHON, "-m", "bench.mixed_load", "seed"],
        env=env,
        log=ctx.tmp / "logs" / "load-seed.log",
        timeout=1800,
    )
    ctx.log(f"[load] seeded {seeded}")
    conf_file = base / "load-conf.json"
    conf = json.loads(conf_file.read_text())
    server = Gunicorn(env, ctx.tmp / "logs" / "load-gunicorn.log", workers=SERVER_WORKERS)
    rows: list[Row] = []
    try:
        ctx.log(f"[load] gunicorn ({SERVER_WORKERS} workers) at {server.url}")
        conf["officers"] = [
            {"cookies": login(server.url, name, conf["password"])} for name in conf["officers"]
        ]
        conf["runner"] = {"cookies": login(server.url, conf["runner_username"], conf["password"])}
        conf_file.write_text(json.dumps(conf))
        offset = 0
        steps: list[dict[str, Any]] = []
        best: dict[str, Any] | None = None
        flat_steps = 0
        for users in STEPS:
            result = run_locust(
                ctx,
                server,
                conf_file,
                users=users,
                seconds=step_seconds,
                pace=0,
                offset=offset,
                label=f"step-{users}",
            )
            offset += result["used"]["actions"] + 1000
            result["users"] = users
            steps.append(result)
            ctx.log(f"[load] {users} clients: {_pretty(result)}")
            rising = best is None or result["actions_per_s"] >= 1.05 * best["actions_per_s"]
            if best is None or result["actions_per_s"] > best["actions_per_s"]:
                best = result
            # Two steps in a row that do not beat the best by 5 % (one could be noise from
            # whatever else runs on the machine), or any error, end the search.
            flat_steps = 0 if rising else flat_steps + 1
            if result["errors"] or flat_steps >= 2:
                break
        assert best is not None
        peak_users = best["users"]
        # --- the soak ------------------------------------------------------------------------
        target = SOAK_LOAD * best["actions_per_s"]
        pace = target / peak_users
        samples: list[tuple[float, list[float]]] = []

        def tick(elapsed: float) -> None:
            if elapsed >= WARMUP_SECONDS and (
                not samples or elapsed - samples[-1][0] >= 10 or elapsed < WARMUP_SECONDS + 1
            ):
                samples.append((elapsed, server.rss_mb()))

        ctx.log(
            f"[load] soak: {peak_users} clients paced to {target:.1f} actions/s "
            f"(70 % of {best['actions_per_s']}) for {soak_seconds:.0f} s ..."
        )
        soak = run_locust(
            ctx,
            server,
            conf_file,
            users=peak_users,
            seconds=soak_seconds,
            pace=pace,
            offset=offset,
            label="soak",
            on_tick=tick,
        )
        samples.append((WARMUP_SECONDS + soak_seconds, server.rss_mb()))
        ctx.log(f"[load] soak: {_pretty(soak)}")
        offset += soak["used"]["actions"] + 1000
        # --- each action alone: its own rate and gunicorn CPU per action (sizing) ----------
        solo: dict[str, dict[str, Any]] = {}
        for action in ACTIONS:
            result = run_locust(
                ctx,
                server,
                conf_file,
                users=SOLO_CLIENTS,
                seconds=SOLO_SECONDS,
                pace=0,
                offset=offset,
                label=f"solo-{action}",
                only=action,
            )
            offset += result["used"]["actions"] + 1000
            solo[action] = result
            ctx.log(f"[load] {action} alone: {_pretty(result)}")
        rows.extend(_peak_rows(best, steps, solo))
    finally:
        server.stop()
    checks = run_json(
        [PYTHON, "-m", "bench.mixed_load", "verify"],
        env=env,
        log=ctx.tmp / "logs" / "load-verify.log",
        timeout=900,
    )
    ctx.log(f"[load] after the soak: {checks}")
    rows.append(_soak_row(soak, samples, checks, target, soak_seconds, peak_users))
    pg.drop(DATABASE)
    return rows


def _peak_rows(
    best: dict[str, Any], steps: list[dict[str, Any]], solo: dict[str, dict[str, Any]]
) -> list[Row]:
    rows = [
        Row(
            name="load_peak",
            value=best["actions_per_s"],
            unit="actions/s",
            note=(
                f"{best['users']} clients, {best['requests_per_s']} HTTP requests/s, "
                f"{best['server_cpu_ms_per_action']} ms of gunicorn CPU per action; gunicorn "
                f"{SERVER_WORKERS} sync workers, PostgreSQL, locust, all on this machine"
            ),
            details={
                "clients": best["users"],
                "requests_per_s": best["requests_per_s"],
                "errors": best["errors"],
                "actions": best["actions"],
                "requests": best["requests"],
                "server_cpu_ms_per_action": best["server_cpu_ms_per_action"],
                "steps": [
                    {
                        "clients": s["users"],
                        "actions_per_s": s["actions_per_s"],
                        "requests_per_s": s["requests_per_s"],
                        "errors": s["errors"],
                        "server_cpu_ms_per_action": s["server_cpu_ms_per_action"],
                    }
                    for s in steps
                ],
            },
        ).judge()
    ]
    for action in ACTIONS:
        a = best["actions"].get(action)
        if a is None:
            continue
        lat = a["latency_ms"]
        alone = solo.get(action, {})
        alone_action = alone.get("actions", {}).get(action, {})
        rows.append(
            Row(
                name=f"load_{action}",
                value=a["per_s"],
                unit="actions/s",
                note=(
                    f"in the mix at the peak: p50/p95/p99 {lat.get('p50')}/{lat.get('p95')}/"
                    f"{lat.get('p99')} ms, errors {a['errors']}; alone ({SOLO_CLIENTS} clients): "
                    f"{alone_action.get('per_s')}/s, {alone.get('requests_per_s')} req/s, "
                    f"{alone.get('server_cpu_ms_per_action')} ms gunicorn CPU per action"
                ),
                details={
                    **a,
                    "alone": {
                        "per_s": alone_action.get("per_s"),
                        "errors": alone_action.get("errors"),
                        "latency_ms": alone_action.get("latency_ms"),
                        "requests_per_s": alone.get("requests_per_s"),
                        "requests": alone.get("requests"),
                        "server_cpu_ms_per_action": alone.get("server_cpu_ms_per_action"),
                    },
                },
            ).judge()
        )
    return rows


def _soak_row(
    soak: dict[str, Any],
    samples: list[tuple[float, list[float]]],
    checks: dict[str, Any],
    target: float,
    seconds: float,
    users: int,
) -> Row:
    start = round(sum(samples[0][1]), 1) if samples else None
    end = round(sum(samples[-1][1]), 1) if samples else None
    # Flat: the workers' total RSS at the end within 10 % (and 20 MB) of the start.
    flat = start is not None and end is not None and end <= max(start * 1.10, start + 20)
    clean = bool(checks.get("ledger_check")) and bool(checks.get("audit_verify"))
    row = Row(
        name="soak",
        value=soak["actions_per_s"],
        unit="actions/s",
        note=(
            f"{seconds:.0f} s at 70 % of the peak ({target:.1f} actions/s asked, {users} "
            f"clients): errors {soak['errors']}, workers' RSS {start} -> {end} MB, "
            f"ledger_check {'clean' if checks.get('ledger_check') else 'FAILED'}, "
            f"audit_verify {'clean' if checks.get('audit_verify') else 'FAILED'}"
        ),
        details={
            "seconds": seconds,
            "target_actions_per_s": round(target, 2),
            "errors": soak["errors"],
            "actions": soak["actions"],
            "requests": soak["requests"],
            "requests_per_s": soak["requests_per_s"],
            "rss_mb_start": start,
            "rss_mb_end": end,
            "rss_mb_per_worker_start": samples[0][1] if samples else None,
            "rss_mb_per_worker_end": samples[-1][1] if samples else None,
            "rss_mb_series": [[round(t), round(sum(v), 1)] for t, v in samples],
            "checks": checks,
        },
    )
    row.passed = soak["errors"] == 0 and flat and clean
    return row


add_measurement("load", measure)


def main(argv: list[str]) -> None:
    _django()
    if argv[:1] == ["seed"]:
        seed()
    elif argv[:1] == ["verify"]:
        verify()
    else:
        raise SystemExit("usage: python -m bench.mixed_load seed | verify")


if __name__ == "__main__":
    main(sys.argv[1:])
