"""One site's month for the dashboard tests, made through the apps' own services (counter
deposits, a bank credit, koperasi checkouts, complaints, a promise, programme attendance) plus
flags and the nightly checks' records, at fixed moments in the site's time zone."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from pandai.complaints import services as complaints
from pandai.complaints.models import Category, Complaint, RetaliationFlag, RetaliationKind
from pandai.complaints.services.satisfaction import complaint_rate
from pandai.core.models import Site
from pandai.inmates.tests.factories import InmateFactory
from pandai.ops.models import JobRun
from pandai.programs import services as programs
from pandai.programs.services import RosterRow
from pandai.programs.tests.factories import make_programme, session_on
from pandai.shop.services import CartLine, checkout, shift_open
from pandai.shop.tests.factories import (
    CategoryFactory,
    ProductFactory,
    card_with_pin,
    fund,
    pos_terminal,
)
from pandai.townhall.services.sessions import PromiseInput, promise_add
from pandai.townhall.tests.factories import make_session
from pandai.wallet import counter, counter_deposits
from pandai.wallet.bank import BankCallback, bank_credit_receive
from pandai.wallet.models_monitoring import Flag, RuleKind
from pandai.wallet.virtual_accounts import virtual_account_for

WIB = ZoneInfo("Asia/Jakarta")
D = dt.date(2026, 3, 10)  # "today" of the tests, a Tuesday
PIN = "135790"


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=WIB)


def build(site: Site, staff: Callable[..., Any], moment: dict[str, dt.datetime]) -> dict[str, Any]:
    """`moment["now"]` is the wallet clock the caller patched; this moves it as it goes.

    Counter: 50.000 + 25.000 today, 10.000 on the 7th, 7.000 in February (not this month).
    Bank: 40.000 today to a known VA, 99.000 to an unknown one (suspense: not a deposit).
    Koperasi: 2 x Mi goreng (7.000) today, 1 x Sabun (4.000) yesterday; Kopi under its minimum.
    Complaints: 3 received this month (2 Makanan, 1 Kesehatan), one answered on time and rated
    satisfied; one Makanan item received in January never answered (overdue).
    One promise due yesterday, one due next month; one programme with 2 attended and 1 refused
    this month (1 attended today); one open monitoring flag; one undecided retaliation flag.
    """
    admin = staff("admin", username="admin-dash")
    officer = staff("counter_officer", username="loket-dash")
    cashier = staff("cashier", username="kasir-dash")
    handler = staff("complaint_officer", username="aduan-dash")
    official = staff("official", username="kasubsi-dash")
    teacher = staff("program_officer", username="bina-dash")

    def now(when: dt.datetime) -> dt.datetime:
        moment["now"] = when
        return when

    family = counter_deposits.Depositor(
        name="Ibu Sulastri", nik="3316014507800002", relationship="ibu"
    )
    keys = itertools.count(1)
    inmate = InmateFactory(site=site, reg_no="AI.1/2026")
    other = InmateFactory(site=site, reg_no="AI.2/2026")
    now(at(dt.date(2026, 2, 27), 8))
    desk = counter.counter_create(site=site, code="L1", name="Loket 1", actor=admin)
    shift = counter.shift_open(counter=desk, officer=officer, opening_cash_rp=100_000)

    def deposit(who: Any, amount: int, when: dt.datetime) -> None:
        counter_deposits.counter_deposit(
            shift=shift,
            inmate=who,
            amount_rp=amount,
            depositor=family,
            form_key=f"dash-{next(keys)}",
            actor=officer,
            now=now(when),
        )

    deposit(inmate, 7_000, at(dt.date(2026, 2, 27), 9))
    deposit(inmate, 10_000, at(dt.date(2026, 3, 7), 9))
    deposit(inmate, 50_000, at(D, 9))
    deposit(other, 25_000, at(D, 10))
    va = virtual_account_for(inmate=other)
    bank_credit_receive(
        callback=BankCallback(ref="BNK-1", va_number=va.number, amount_rp=40_000),
        now=now(at(D, 11)),
    )
    bank_credit_receive(
        callback=BankCallback(ref="BNK-2", va_number="9999999999999999", amount_rp=99_000),
        now=now(at(D, 11, 30)),
    )

    # koperasi
    food = CategoryFactory(site=site, name="Makanan", sort_order=1)
    mie = ProductFactory(site=site, name="Mi goreng", category=food, price_rp=3_500, stock=20)
    sabun = ProductFactory(site=site, name="Sabun mandi", category=food, price_rp=4_000, stock=9)
    ProductFactory(site=site, name="Kopi sachet", category=food, stock=2, min_stock=5)
    buyer = InmateFactory(site=site, reg_no="AI.3/2026")
    card_with_pin(buyer, "04AA00000000D1", PIN, admin)
    fund(buyer, 100_000)
    terminal, _token = pos_terminal(site, admin)
    now(at(D - dt.timedelta(days=1), 8))
    till = shift_open(terminal=terminal, cashier=cashier)
    for when, product, quantity in (
        (at(D - dt.timedelta(days=1), 10), sabun, 1),
        (at(D, 10), mie, 2),
    ):
        checkout(
            site=site,
            card_uid="04AA00000000D1",
            pin=PIN,
            lines=[CartLine(product.pk, quantity)],
            idempotency_key=f"dash-sale-{next(keys)}",
            cashier=cashier,
            terminal=terminal,
            shift=till,
            now=now(when),
        )

    # complaints
    complaints.categories_ensure(site=site)
    cats = {c.code: c for c in Category.objects.filter(site=site)}

    def oral(category: str, when: dt.datetime) -> Complaint:
        now(when)
        return complaints.complaint_submit_oral(
            site=site,
            actor=handler,
            kind="complaint",
            category=cats[category],
            identity="named",
            text="Nasi sering basi pada jatah makan malam.",
            inmate=inmate,
        ).complaint

    old = oral("makanan", at(dt.date(2026, 1, 12), 9))
    answered = oral("makanan", at(dt.date(2026, 3, 2), 9))
    oral("makanan", at(dt.date(2026, 3, 9), 9))
    oral("kesehatan", at(D, 9))
    now(at(dt.date(2026, 3, 4), 9))
    answered = complaints.complaint_assign(
        complaint=answered, actor=handler, assignee=official, instruction="Periksa dapur."
    )
    answered = complaints.complaint_answer(complaint=answered, actor=official, text="Sudah.")
    complaint_rate(complaint=answered, rating="satisfied")
    RetaliationFlag.objects.create(
        site=site,
        complaint=old,
        kind=RetaliationKind.CELL_MOVE,
        record_type="inmates.cellmove",
        record_id="1",
        event_at=at(D, 8),
    )

    # sosialisasi: a promise due yesterday and one due next month
    session = make_session(site=site, actor=admin, when=now(at(dt.date(2026, 3, 2), 9)))
    for what, due in (("Perbaiki kran", D - dt.timedelta(days=1)), ("Kipas", dt.date(2026, 4, 2))):
        promise_add(session=session, actor=admin, data=PromiseInput(what, "Kasubsi", due))

    # pembinaan: a cooking class with three pupils, twice this month
    programme = make_programme(site=site, actor=teacher, name="Tata boga")
    pupils = [InmateFactory(site=site, reg_no=f"AI.{n}/2026") for n in (11, 12, 13)]
    now(at(dt.date(2026, 3, 1), 8))
    for pupil in pupils:
        programs.enrolment_add(programme=programme, inmate=pupil, actor=teacher)
    for day, codes in (
        (dt.date(2026, 3, 3), ["hadir", "menolak", ""]),
        (D, ["hadir", "", ""]),
    ):
        programs.attendance_roster_save(
            session=session_on(programme, day),
            rows=[RosterRow(p.pk, code) for p, code in zip(pupils, codes, strict=True)],
            actor=teacher,
            now=now(at(day, 12)),
        )

    # an open monitoring flag
    Flag.objects.create(
        site=site,
        rule_kind=RuleKind.NEAR_CAP,
        subject_key=f"inmate:{inmate.pk}",
        subject_label=inmate.full_name,
        inmate=inmate,
        window_start=at(D, 0),
        window_end=at(D, 12),
        raised_at=at(D, 12),
    )
    now(at(D, 15))
    return {
        "inmates": [inmate, other, buyer],
        "programme": programme,
        "categories": cats,
        "admin": admin,
        "cashier": cashier,
    }


def nightly_checks(site: Site, *, ok: bool, summary: str = "") -> None:
    """The records run_jobs leaves after the nightly ledger_check and audit_verify."""
    finished = at(D, 2)
    JobRun.objects.create(
        job="ledger_check", site=site, started_at=finished, finished_at=finished, ok=True
    )
    JobRun.objects.create(
        job="audit_verify", started_at=finished, finished_at=finished, ok=ok, summary=summary
    )
