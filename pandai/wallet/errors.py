"""Why the ledger refused something: one class per reason, each with a stable `code` (for the
API and the tests) and a message in the user's language with the figures that matter.

A refused request changes nothing: every check runs before the transaction commits, and a
refusal rolls back whatever the batch had started.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from pandai.core.money import format_rp


class LedgerError(ValueError):
    code = "ledger_error"

    def __init__(self, message: str, **figures: Any) -> None:
        super().__init__(message)
        self.message = message
        self.figures = figures

    def __str__(self) -> str:
        return self.message


class AmountInvalid(LedgerError):
    code = "amount_invalid"

    def __init__(self, amount: object) -> None:
        super().__init__(
            _("Jumlah harus bilangan bulat rupiah lebih dari nol."), amount=repr(amount)
        )


class CrossSite(LedgerError):
    code = "cross_site"

    def __init__(self) -> None:
        super().__init__(_("Rekening itu milik UPT lain."))


class AccountClosed(LedgerError):
    code = "account_closed"

    def __init__(self, account_id: int) -> None:
        super().__init__(_("Rekening sudah ditutup."), account=account_id)


class AccountFrozen(LedgerError):
    code = "account_frozen"

    def __init__(self, account_id: int) -> None:
        super().__init__(
            _("Rekening dibekukan: masih bisa menerima dana, tetapi tidak bisa dipakai."),
            account=account_id,
        )


class AccountMissing(LedgerError):
    code = "account_missing"

    def __init__(self) -> None:
        super().__init__(_("WBP ini belum punya rekening Kartu Pandai."))


class InsufficientFunds(LedgerError):
    code = "insufficient_funds"

    def __init__(self, available_rp: int, account_id: int) -> None:
        super().__init__(
            _("Saldo tidak cukup. Tersedia %(available)s.")
            % {"available": format_rp(max(available_rp, 0))},
            available_rp=available_rp,
            account=account_id,
        )


class LimitExceeded(LedgerError):
    def __init__(self, *, period: str, remaining_rp: int, limit_rp: int) -> None:
        remaining = format_rp(max(remaining_rp, 0))
        if period == "daily":
            message = _("Melebihi batas harian. Sisa hari ini %(remaining)s.")
        else:
            message = _("Melebihi batas bulanan. Sisa bulan ini %(remaining)s.")
        super().__init__(
            message % {"remaining": remaining}, remaining_rp=remaining_rp, limit_rp=limit_rp
        )
        self.code = f"limit_{period}"


class OverCap(LedgerError):
    code = "over_cap"

    def __init__(self, cap_rp: int) -> None:
        super().__init__(
            _("Saldo belanja tidak boleh melebihi %(cap)s.") % {"cap": format_rp(cap_rp)},
            cap_rp=cap_rp,
        )


class IdempotencyConflict(LedgerError):
    code = "idempotency_conflict"

    def __init__(self, key: str) -> None:
        super().__init__(
            _(
                "Kode transaksi %(key)s sudah dipakai untuk permintaan yang berbeda. "
                "Tidak ada yang diubah."
            )
            % {"key": key},
            key=key,
        )


class DepositRefused(LedgerError):
    def __init__(self, *, code: str, message: str, **figures: Any) -> None:
        super().__init__(message, **figures)
        self.code = code

    @classmethod
    def too_large(cls, max_rp: int) -> DepositRefused:
        return cls(
            code="deposit_max",
            message=_("Setoran melebihi batas per setoran %(max)s.") % {"max": format_rp(max_rp)},
            max_rp=max_rp,
        )

    @classmethod
    def too_many(cls, per_day: int) -> DepositRefused:
        return cls(
            code="deposit_count",
            message=_("WBP ini sudah menerima %(n)d setoran hari ini (batas harian).")
            % {"n": per_day},
            per_day=per_day,
        )


class HoldError(LedgerError):
    def __init__(self, *, code: str, message: str, **figures: Any) -> None:
        super().__init__(message, **figures)
        self.code = code

    @classmethod
    def resolved(cls, state: str) -> HoldError:
        return cls(
            code="hold_resolved",
            message=_("Dana yang ditahan ini sudah diselesaikan (%(state)s).") % {"state": state},
            state=state,
        )

    @classmethod
    def expired(cls) -> HoldError:
        return cls(code="hold_expired", message=_("Masa penahanan dana sudah lewat."))

    @classmethod
    def too_much(cls, hold_rp: int) -> HoldError:
        return cls(
            code="hold_amount",
            message=_("Jumlah yang dibukukan melebihi dana yang ditahan (%(amount)s).")
            % {"amount": format_rp(hold_rp)},
            hold_rp=hold_rp,
        )

    @classmethod
    def not_a_hold(cls) -> HoldError:
        return cls(code="not_a_hold", message=_("Transaksi ini bukan penahanan dana."))


class CorrectionError(LedgerError):
    def __init__(self, *, code: str, message: str, **figures: Any) -> None:
        super().__init__(message, **figures)
        self.code = code

    @classmethod
    def already_reversed(cls) -> CorrectionError:
        return cls(code="already_reversed", message=_("Transaksi ini sudah pernah dibatalkan."))

    @classmethod
    def already_refunded(cls) -> CorrectionError:
        return cls(
            code="already_refunded",
            message=_("Belanja ini sudah dikembalikan sebagian; koreksi dengan pengembalian."),
        )

    @classmethod
    def not_reversible(cls) -> CorrectionError:
        return cls(code="not_reversible", message=_("Transaksi jenis ini tidak bisa dibatalkan."))

    @classmethod
    def refund_too_much(cls, refundable_rp: int) -> CorrectionError:
        return cls(
            code="refund_too_much",
            message=_("Pengembalian melebihi sisa belanja yang bisa dikembalikan (%(rest)s).")
            % {"rest": format_rp(max(refundable_rp, 0))},
            refundable_rp=refundable_rp,
        )

    @classmethod
    def maker_checker(cls) -> CorrectionError:
        return cls(
            code="maker_checker",
            message=_("Penyesuaian harus disetujui petugas lain, bukan pembuatnya."),
        )

    @classmethod
    def reason_required(cls) -> CorrectionError:
        return cls(code="reason_required", message=_("Alasan tertulis wajib diisi."))

    @classmethod
    def not_requested(cls) -> CorrectionError:
        return cls(code="already_decided", message=_("Permintaan ini sudah diputuskan."))


class InmateInactive(LedgerError):
    code = "inmate_inactive"

    def __init__(self) -> None:
        super().__init__(_("WBP ini sudah tidak aktif di UPT ini."))


class SettingsInvalid(LedgerError):
    code = "settings_invalid"
