"""The statistics as an XLSX workbook: a summary, one sheet per breakdown, the items (number,
dates, category, working days; never identity or the complainant's text) and the box openings.
Every cell goes through core.xlsx's `safe_cell`, so a summary typed as `=cmd|…` stays text."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from pandai.complaints.stats import Bar, Stats
from pandai.core.xlsx import Sheet, xlsx_bytes


def _bars(sheets: list[Sheet], title: str, bars: list[Bar]) -> None:
    sheets.append((title, [title, _("Jumlah")], [[b.label, b.count] for b in bars]))


def stats_xlsx(stats: Stats) -> bytes:
    sheets: list[Sheet] = []
    tz = ZoneInfo(stats.site.time_zone)  # spreadsheets have no time zones: the site's clock
    yes, no = _("ya"), _("tidak")
    sheets.append(
        (
            _("Ringkasan"),
            [_("Ukuran"), _("Nilai")],
            [
                [_("UPT"), stats.site.name],
                [_("Periode"), f"{stats.start.isoformat()} – {stats.end.isoformat()}"],
                [_("Pengaduan diterima"), stats.total],
                [_("Darurat"), stats.emergencies],
                [_("Sudah dijawab"), stats.answered],
                [_("Rata-rata hari kerja sampai dijawab"), stats.avg_days],
                [_("Paling lama (hari kerja)"), stats.max_days],
                [_("Dijawab tepat waktu"), stats.on_time],
                [_("Dijawab tepat waktu (%)"), stats.on_time_pct],
                [_("Dinilai pelapor"), stats.rated],
                [_("Puas atau sangat puas (%)"), stats.satisfied_pct],
                [_("Terlambat saat ini"), stats.overdue_now],
                [_("Pembukaan kotak yang jumlahnya berbeda"), len(stats.openings_differing)],
            ],
        )
    )
    _bars(sheets, _("Kategori"), stats.by_category)
    _bars(sheets, _("Jenis"), stats.by_kind)
    _bars(sheets, _("Saluran"), stats.by_channel)
    _bars(sheets, _("Status"), stats.by_status)
    _bars(sheets, _("Bulan"), stats.by_month)
    _bars(sheets, _("Kepuasan"), stats.by_rating)
    sheets.append(
        (
            _("Pengaduan"),
            [
                _("Nomor"),
                _("Diterima"),
                _("Kategori"),
                _("Jenis"),
                _("Saluran"),
                _("Status"),
                _("Darurat"),
                _("Ringkasan"),
                _("Batas jawaban"),
                _("Dijawab"),
                _("Hari kerja"),
                _("Tepat waktu"),
                _("Penilaian"),
            ],
            (
                [
                    r.complaint.number,
                    r.received_on,
                    r.complaint.category.name,
                    r.complaint.get_kind_display(),
                    r.complaint.get_channel_display(),
                    r.complaint.get_status_display(),
                    yes if r.complaint.is_emergency else no,
                    r.complaint.title,
                    r.complaint.answer_due,
                    r.answered_on,
                    r.days,
                    "" if r.on_time is None else (yes if r.on_time else no),
                    r.complaint.get_rating_display(),
                ]
                for r in stats.rows
            ),
        )
    )
    sheets.append(
        (
            _("Pembukaan kotak"),
            [
                _("Waktu"),
                _("Lokasi"),
                _("Lembar ditemukan"),
                _("Lembar dicatat"),
                _("Berbeda"),
            ],
            (
                [
                    o.opening.opened_at.astimezone(tz).replace(tzinfo=None),
                    o.opening.location,
                    o.opening.slip_count,
                    o.entered,
                    yes if o.differs else no,
                ]
                for o in stats.openings
            ),
        )
    )
    return xlsx_bytes(sheets)
