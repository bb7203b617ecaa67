"""The minutes (notulen) of a closed session as an A4 PDF: details, attendance by block, the
policies explained, the questions and answers, polls, promises, and lines for signatures."""

from __future__ import annotations

import io
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from pandai.core.pdf import BRAND, esc, grid_table
from pandai.townhall import selectors
from pandai.townhall.models import AgendaItem, Question, QuestionStatus, Session

_esc = esc


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_esc(text).replace("\n", "<br/>"), style)


def _table(rows: Sequence[Sequence[object]], widths: list[float]) -> Table:
    return grid_table(rows, widths, right_from=None)


def _source(q: Question) -> str:
    label = str(q.get_source_display())
    return f"{label} {q.complaint.number}" if q.complaint else label


def minutes_pdf(*, session: Session) -> bytes:
    base = getSampleStyleSheet()
    st = {
        "title": ParagraphStyle("t", parent=base["Title"], fontSize=14, textColor=BRAND),
        "h": ParagraphStyle("h", parent=base["Heading3"], fontSize=10.5, spaceBefore=8),
        "text": ParagraphStyle("x", parent=base["Normal"], fontSize=9, leading=12),
        "small": ParagraphStyle("s", parent=base["Normal"], fontSize=7, textColor=colors.grey),
    }
    tz = ZoneInfo(session.site.time_zone)
    when = session.starts_at.astimezone(tz).strftime("%d-%m-%Y %H:%M")
    story: list[object] = [
        _para(_("NOTULEN SOSIALISASI"), st["title"]),
        _para(f"{session.site.name}", st["text"]),
        _para(session.title, st["h"]),
        _para(
            _("Waktu: %(when)s · Tempat: %(place)s · Pimpinan: %(chair)s")
            % {
                "when": when,
                "place": session.place,
                "chair": session.chair.display_name if session.chair else "–",
            },
            st["text"],
        ),
        _para(
            _("Pejabat hadir: %(names)s")
            % {"names": ", ".join(u.display_name for u in session.officials.all()) or "–"},
            st["text"],
        ),
        _para(_("Jumlah WBP hadir: %(n)s") % {"n": session.attendance_count or 0}, st["text"]),
    ]
    counts = selectors.door_counts(session=session)
    if counts.by_block:
        story.append(
            _table(
                [[_("Blok"), _("Hadir"), _("Diundang")]]
                + [[name, str(p), str(e)] for name, p, e in counts.by_block],
                [80 * mm, 30 * mm, 30 * mm],
            )
        )
    story += [_para(_("Notulen"), st["h"]), _para(session.minutes or "–", st["text"])]
    items = AgendaItem.objects.filter(session=session).select_related("policy")
    if items:
        story.append(_para(_("Acara dan kebijakan"), st["h"]))
        for item in items:
            line = item.title
            if item.policy:
                line += " — " + _("%(title)s, berlaku mulai %(date)s") % {
                    "title": item.policy.title,
                    "date": item.policy.effective_date.strftime("%d-%m-%Y"),
                }
            story.append(_para("• " + line, st["text"]))
    answered = [
        q for q in selectors.questions(session=session) if q.status == QuestionStatus.ANSWERED
    ]
    story.append(_para(_("Tanya jawab"), st["h"]))
    rows: list[list[object]] = [[_("Pertanyaan"), _("Sumber"), _("Jawaban")]]
    for q in answered:
        rows.append(
            [
                _para(q.text, st["text"]),
                _para(_source(q), st["small"]),
                _para(q.answer_text, st["text"]),
            ]
        )
    story.append(_table(rows, [60 * mm, 28 * mm, 92 * mm]) if answered else _para("–", st["text"]))
    polls = selectors.poll_results(session=session)
    if polls:
        story.append(_para(_("Jajak pendapat"), st["h"]))
        for result in polls:
            story.append(_para(result.poll.question, st["text"]))
            story.append(
                _table(
                    [[_("Pilihan"), _("Jumlah")]] + [[label, str(n)] for label, n in result.rows],
                    [110 * mm, 30 * mm],
                )
            )
    promises = list(session.promises.all())
    story.append(_para(_("Janji dan tindak lanjut"), st["h"]))
    if promises:
        story.append(
            _table(
                [[_("Janji"), _("Penanggung jawab"), _("Batas waktu")]]
                + [
                    [
                        _para(p.what, st["text"]),
                        _para(p.who, st["text"]),
                        p.due_date.strftime("%d-%m-%Y"),
                    ]
                    for p in promises
                ],
                [95 * mm, 50 * mm, 30 * mm],
            )
        )
    else:
        story.append(_para(_("Tidak ada janji."), st["text"]))
    story += [
        Spacer(1, 14 * mm),
        _table(
            [[_("Pimpinan"), _("Notulis")], ["\n\n\n(................................)"] * 2],
            [90 * mm, 90 * mm],
        ),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=session.title,
    )
    doc.build(story)
    return buffer.getvalue()
