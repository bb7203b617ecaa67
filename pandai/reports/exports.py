"""Rows of the reports app's own lists as spreadsheet rows (the list pages' XLSX downloads)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pandai.reports.closing import sheet_from_snapshot
from pandai.reports.models import DayClosing


def closing_list_rows(
    closings: QuerySet[DayClosing],
) -> tuple[list[str], Iterable[list[Any]]]:
    header = [
        _("Tanggal"),
        _("Titipan masuk"),
        _("Belanja koperasi"),
        _("Dana WBP akhir hari"),
        _("Urutan audit"),
        _("Hash audit terakhir"),
        _("Ditutup oleh"),
        _("Ditutup pada"),
        _("Ditandatangani oleh"),
    ]

    def rows() -> Iterator[list[Any]]:
        for c in closings.iterator(chunk_size=500):
            f = sheet_from_snapshot(c.figures, site=c.site).figures
            tz = ZoneInfo(c.site.time_zone)
            yield [
                c.day,
                f.deposits_total.amount_rp,
                f.purchases.amount_rp,
                f.inmates_total_rp,
                c.audit_seq,
                c.audit_hash,
                c.closed_by.display_name,
                c.closed_at.astimezone(tz).replace(tzinfo=None),
                c.countersigned_by.display_name if c.countersigned_by else "",
            ]

    return header, rows()
