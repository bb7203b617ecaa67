"""The dashboard's figures as tiles: the value as shown, what it counts, and the page that
lists the records behind it (only when the viewer may open that page). The site's dashboard
and the regional view show the same tiles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pandai.core.money import format_rp
from pandai.core.permissions import Perm
from pandai.reports.charts import link
from pandai.reports.selectors import Dashboard, Figure


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    value: str
    detail: str = ""
    url: str = ""
    state: str = ""  # "bad" draws the eye (overdue, waiting, broken), "ok" reassures


@dataclass(frozen=True)
class Section:
    title: str
    tiles: list[Tile]


def _pct(value: int | None) -> str:
    return "–" if value is None else f"{value}%"


def _deposits(figure: Figure) -> str:
    return ngettext("%(n)d setoran", "%(n)d setoran", figure.count) % {"n": figure.count}


def _receipts(figure: Figure) -> str:
    return ngettext("%(n)d struk", "%(n)d struk", figure.count) % {"n": figure.count}


def _audit_tile(d: Dashboard, url: str) -> Tile:
    assert d.audit is not None
    checks = d.audit.checks
    verify = checks.audit_verify
    if d.audit.ok is None:
        value, state = _("Belum diperiksa"), ""
    elif d.audit.ok:
        value, state = _("Utuh"), "ok"
    else:
        value, state = _("Bermasalah"), "bad"
    detail = _("rantai sampai #%(seq)d") % {"seq": d.audit.last_seq}
    if verify is not None and verify.finished_at is not None:
        detail += " · " + _("diperiksa %(at)s") % {"at": f"{verify.finished_at:%d-%m-%Y %H:%M}"}
    failed = [run for run in (checks.ledger_check, checks.audit_verify) if run and not run.ok]
    if failed:
        detail += " · " + "; ".join(run.summary for run in failed if run.summary)
    return Tile("audit", _("Rantai audit"), value, detail, url, state)


def sections(
    d: Dashboard, perms: frozenset[Perm], wrap: Callable[[str], str] | None = None
) -> list[Section]:
    """The tiles of `d`; `perms` are the viewer's rights at d's site; `wrap` turns a link into
    one that first switches to d's site (the regional view)."""

    def to(perm: Perm, name: str, **query: object) -> str:
        if perm not in perms:
            return ""
        url = link(name, **query)
        return wrap(url) if wrap else url

    day, first = d.day, d.month_start
    a = d.answers
    money = [
        Tile(
            "deposits_counter_today",
            _("Titipan di loket hari ini"),
            format_rp(d.deposits_counter_today.amount_rp),
            _deposits(d.deposits_counter_today),
            to(Perm.REPORTS_VIEW, "reports:deposits", saluran="loket", dari=day, sampai=day),
        ),
        Tile(
            "deposits_bank_today",
            _("Titipan lewat bank hari ini"),
            format_rp(d.deposits_bank_today.amount_rp),
            _deposits(d.deposits_bank_today),
            to(Perm.REPORTS_VIEW, "reports:deposits", saluran="bank", dari=day, sampai=day),
        ),
        Tile(
            "deposits_counter_month",
            _("Titipan di loket bulan ini"),
            format_rp(d.deposits_counter_month.amount_rp),
            _deposits(d.deposits_counter_month),
            to(Perm.REPORTS_VIEW, "reports:deposits", saluran="loket", dari=first, sampai=day),
        ),
        Tile(
            "deposits_bank_month",
            _("Titipan lewat bank bulan ini"),
            format_rp(d.deposits_bank_month.amount_rp),
            _deposits(d.deposits_bank_month),
            to(Perm.REPORTS_VIEW, "reports:deposits", saluran="bank", dari=first, sampai=day),
        ),
        Tile(
            "sales_today",
            _("Penjualan koperasi hari ini"),
            format_rp(d.sales_today.amount_rp),
            _receipts(d.sales_today),
            to(Perm.SHOP_REPORTS, "shop:reports_sales_day", dari=day, sampai=day),
        ),
        Tile(
            "sales_month",
            _("Penjualan koperasi bulan ini"),
            format_rp(d.sales_month.amount_rp),
            _receipts(d.sales_month),
            to(Perm.SHOP_REPORTS, "shop:reports_sales_day", dari=first, sampai=day),
        ),
        Tile(
            "inmate_money",
            _("Uang WBP yang disimpan"),
            format_rp(d.inmate_money_rp),
            _("saldo belanja + tabungan + tertahan"),
            to(Perm.CLOSING_VIEW, "office:closing", tanggal=day),
        ),
    ]
    complaints = [
        Tile(
            "complaints_open",
            _("Pengaduan berjalan"),
            str(d.complaints_open),
            _("belum dijawab"),
            to(Perm.COMPLAINT_HANDLE, "complaints:queue", q="open"),
        ),
        Tile(
            "complaints_overdue",
            _("Pengaduan terlambat"),
            str(d.complaints_overdue),
            _("lewat batas waktu"),
            to(Perm.COMPLAINT_HANDLE, "complaints:queue", q="overdue"),
            "bad" if d.complaints_overdue else "ok",
        ),
        Tile(
            "answered_on_time",
            _("Dijawab tepat waktu (bulan ini)"),
            _pct(a.on_time_pct),
            _("%(on_time)d dari %(answered)d jawaban")
            % {"on_time": a.on_time, "answered": a.answered},
            to(Perm.COMPLAINT_STATS, "complaints:stats", start=first, end=day),
        ),
        Tile(
            "satisfaction",
            _("Pelapor puas (bulan ini)"),
            _pct(a.satisfied_pct),
            ngettext("%(n)d penilaian", "%(n)d penilaian", a.rated) % {"n": a.rated},
            to(Perm.COMPLAINT_STATS, "complaints:stats", start=first, end=day),
        ),
    ]
    programmes = [
        Tile(
            "promises_due",
            _("Janji sosialisasi jatuh tempo"),
            str(d.promises_due),
            _("dari %(n)d janji yang belum selesai") % {"n": d.promises_open},
            to(Perm.SESSION_VIEW, "townhall:promise_list"),
            "bad" if d.promises_due else "",
        ),
        Tile(
            "attendance_month",
            _("Kehadiran pembinaan (bulan ini)"),
            _pct(d.attendance_pct),
            _("%(attended)d hadir dari %(expected)d")
            % {"attended": d.attended_month, "expected": d.expected_month},
            to(Perm.PROGRAM_VIEW, "programs:session_list", dari=first, sampai=day),
        ),
        Tile(
            "attended_today",
            _("Hadir di pembinaan hari ini"),
            str(d.attended_today),
            _("kehadiran tercatat"),
            to(Perm.PROGRAM_VIEW, "programs:session_list", dari=day, sampai=day),
        ),
    ]
    oversight = [
        Tile(
            "monitoring_flags",
            _("Temuan pemantauan transaksi"),
            str(d.monitoring_flags),
            _("menunggu keputusan"),
            to(Perm.MONITOR_REVIEW, "office:flags", status="open"),
            "bad" if d.monitoring_flags else "ok",
        ),
        Tile(
            "retaliation_flags",
            _("Pantauan pembalasan"),
            str(d.retaliation_flags),
            _("menunggu keputusan"),
            to(Perm.RETALIATION_REVIEW, "complaints:retaliation_list"),
            "bad" if d.retaliation_flags else "ok",
        ),
        Tile(
            "low_stock",
            _("Stok menipis"),
            str(d.low_stock),
            _("barang di bawah stok minimum"),
            to(Perm.SHOP_REPORTS, "shop:reports_low_stock"),
            "bad" if d.low_stock else "",
        ),
        _audit_tile(d, to(Perm.AUDIT_VIEW, "core:audit_list")),
    ]
    return [
        Section(_("Uang"), money),
        Section(_("Pengaduan"), complaints),
        Section(_("Sosialisasi dan pembinaan"), programmes),
        Section(_("Pengawasan"), oversight),
    ]
