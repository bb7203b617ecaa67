"""Bank statement reconciliation: every credit line of the bank's statement for a day is
matched to a credited callback by reference (and amount); what is left on either side is
listed for the officer, who can book a statement line the callback never brought.

`reconciliation_create` saves the outcome (Reconciliation) only for a file that reads whole.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.calendar import site_day_bounds
from pandai.core.models import Site, User
from pandai.wallet.bank import BankCallback, CreditOutcome, bank_credit_receive
from pandai.wallet.errors import LedgerError
from pandai.wallet.models_bank import BankCredit, BankCreditChannel, Reconciliation
from pandai.wallet.statement_csv import StatementFile, StatementFileError, parse_statement

MAX_BYTES = 5 * 1024 * 1024

# Why a statement line found no callback to match.
NO_CALLBACK = "no_callback"
AMOUNT_MISMATCH = "amount_mismatch"
VA_MISMATCH = "va_mismatch"


def reasons() -> dict[str, str]:
    return {
        NO_CALLBACK: _("Tidak ada callback dengan referensi ini"),
        AMOUNT_MISMATCH: _("Jumlah berbeda dengan callback"),
        VA_MISMATCH: _("Nomor VA berbeda dengan callback"),
    }


class ReconciliationError(LedgerError):
    code = "reconciliation_invalid"


@dataclass(frozen=True)
class Matching:
    result: dict[str, Any]
    summary: dict[str, Any]


def match(*, site: Site, day: dt.date, statement: StatementFile) -> Matching:
    """Compare the statement's credit lines with the site's bank credits (two queries)."""
    start, end = site_day_bounds(site, day)
    refs = [line.ref for line in statement.lines]
    by_ref = {c.ref: c for c in BankCredit.objects.filter(site=site, ref__in=refs)}
    matched: list[dict[str, Any]] = []
    statement_only: list[dict[str, Any]] = []
    for line in statement.lines:
        row: dict[str, Any] = {
            "line": line.line,
            "ref": line.ref,
            "va": line.va_number,
            "amount_rp": line.amount_rp,
            "payer": line.payer_name,
            "when": line.when,
        }
        credit = by_ref.get(line.ref)
        if credit is None:
            statement_only.append({**row, "reason": NO_CALLBACK})
            continue
        row.update(credit_id=credit.pk, credit_amount_rp=credit.amount_rp, status=credit.status)
        if credit.amount_rp != line.amount_rp:
            statement_only.append({**row, "reason": AMOUNT_MISMATCH})
        elif credit.va_number != line.va_number:
            statement_only.append({**row, "reason": VA_MISMATCH, "credit_va": credit.va_number})
        else:
            row["other_day"] = not (start <= credit.received_at < end)
            matched.append(row)
    on_statement = set(refs)
    credit_only: list[dict[str, Any]] = [
        {
            "credit_id": c.pk,
            "ref": c.ref,
            "va": c.va_number,
            "amount_rp": c.amount_rp,
            "status": c.status,
            "received_at": c.received_at.isoformat(),
        }
        for c in BankCredit.objects.filter(site=site, received_at__gte=start, received_at__lt=end)
        .exclude(ref__in=on_statement)
        .order_by("received_at", "pk")
    ]
    summary = {
        "encoding": statement.encoding,
        "delimiter": statement.delimiter,
        "lines": len(statement.lines),
        "statement_rp": sum(line.amount_rp for line in statement.lines),
        "matched": len(matched),
        "matched_rp": sum(r["amount_rp"] for r in matched),
        "statement_only": len(statement_only),
        "statement_only_rp": sum(r["amount_rp"] for r in statement_only),
        "credit_only": len(credit_only),
        "credit_only_rp": sum(r["amount_rp"] for r in credit_only),
        "debits_ignored": statement.debits_ignored,
    }
    result = {"matched": matched, "statement_only": statement_only, "credit_only": credit_only}
    return Matching(result=result, summary=summary)


@transaction.atomic
def reconciliation_create(
    *, site: Site, day: dt.date, filename: str, data: bytes, actor: User
) -> Reconciliation:
    """Read the statement, match it, save the outcome. An unreadable file raises
    ReconciliationError and saves nothing."""
    if len(data) > MAX_BYTES:
        raise ReconciliationError(
            _("Berkas terlalu besar (maksimum %(kb)d KB).") % {"kb": MAX_BYTES // 1024}
        )
    try:
        statement = parse_statement(data)
    except StatementFileError as exc:
        raise ReconciliationError(str(exc)) from exc
    outcome = match(site=site, day=day, statement=statement)
    text = data.decode(statement.encoding, errors="replace")
    reconciliation = Reconciliation.objects.create(
        site=site,
        day=day,
        filename=filename[:200],
        content=text,
        uploaded_by=actor,
        summary=outcome.summary,
        result=outcome.result,
    )
    audit_append(
        action="wallet.reconciliation",
        site=site,
        actor=actor,
        obj=reconciliation,
        data={"day": day.isoformat(), "filename": reconciliation.filename, **outcome.summary},
    )
    return reconciliation


def statement_line(reconciliation: Reconciliation, line: int) -> dict[str, Any] | None:
    return next(
        (r for r in reconciliation.result.get("statement_only", []) if r["line"] == line), None
    )


@transaction.atomic
def reconciliation_book_line(
    *, reconciliation: Reconciliation, line: int, actor: User
) -> CreditOutcome:
    """Book a statement line that no callback brought, exactly as a callback would have been
    (same reference = same idempotency key: a late callback then credits nothing more)."""
    row = statement_line(reconciliation, line)
    if row is None or row["reason"] != NO_CALLBACK:
        raise ReconciliationError(_("Baris ini tidak bisa dibukukan dari rekening koran."))
    outcome = bank_credit_receive(
        callback=BankCallback(
            ref=row["ref"],
            va_number=row["va"],
            amount_rp=row["amount_rp"],
            payer_name=row.get("payer", ""),
        ),
        channel=BankCreditChannel.STATEMENT,
        actor=actor,
    )
    if outcome.credit.site_id != reconciliation.site_id:
        raise ReconciliationError(_("Nomor VA pada baris ini milik UPT lain."))
    if outcome.replayed:
        return outcome
    audit_append(
        action="wallet.reconciliation_book",
        site=reconciliation.site,
        actor=actor,
        obj=reconciliation,
        data={"line": line, "ref": row["ref"], "credit": outcome.credit.pk},
    )
    return outcome


def current_credits(reconciliation: Reconciliation) -> dict[str, BankCredit]:
    """The bank credits (as they are now) of every reference the reconciliation names."""
    refs = {r["ref"] for part in reconciliation.result.values() for r in part}
    return {
        c.ref: c
        for c in BankCredit.objects.filter(site=reconciliation.site, ref__in=refs).select_related(
            "inmate"
        )
    }
