"""Closing needs the minutes, attendance and the promises; the minutes as PDF; the board."""

from __future__ import annotations

import datetime as dt

import pytest

from pandai.townhall import selectors, services
from pandai.townhall.errors import TownhallError
from pandai.townhall.minutes_pdf import minutes_pdf
from pandai.townhall.models import Promise, QuestionStatus, SessionStatus
from pandai.townhall.tests.conftest import UIDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(session, head, holders):
    services.session_open(session=session, actor=head)
    return session


def promise(days=14):
    return services.PromiseInput(
        what="Daftar harga koperasi ditempel di setiap blok",
        who="Kasubsi Pelayanan",
        due_date=dt.date.today() + dt.timedelta(days=days),
    )


def close(session, head, **kw):
    args = {"minutes": "Karutan menjelaskan Kartu Pandai.", "promises": [promise()]}
    args.update(kw)
    return services.session_close(session=session, actor=head, **args)


def test_closing_refused_without_minutes_attendance_or_promises(running, head):
    with pytest.raises(TownhallError) as caught:
        close(running, head, minutes="  ")
    assert caught.value.code == "empty"
    with pytest.raises(TownhallError) as caught:
        close(running, head)
    assert caught.value.code == "no_attendance"
    services.attendance_tap(session=running, raw=UIDS[0], actor=head)
    with pytest.raises(TownhallError) as caught:
        close(running, head, promises=[])
    assert caught.value.code == "promises"
    with pytest.raises(TownhallError):
        close(running, head, promises=[promise(days=-1)])
    running.refresh_from_db()
    assert running.status == SessionStatus.OPEN and Promise.objects.count() == 0


def test_close_then_pdf_and_board(running, head, holders):
    for uid in UIDS[:3]:
        services.attendance_tap(session=running, raw=uid, actor=head)
    answered = services.question_floor(session=running, actor=head, text="Kapan mulai?")
    services.question_answer(question=answered, actor=head, text="Mulai 1 Juli 2024.")
    left = services.question_floor(session=running, actor=head, text="Tidak sempat")
    close(running, head)
    running.refresh_from_db()
    assert running.status == SessionStatus.CLOSED and running.attendance_count == 3
    left.refresh_from_db()
    assert left.status == QuestionStatus.HIDDEN and left.hidden_reason
    assert [p.what for p in selectors.promises_open(site=running.site)] == [promise().what]

    pdf = minutes_pdf(session=running)
    assert pdf.startswith(b"%PDF") and len(pdf) > 1500

    with pytest.raises(TownhallError) as caught:
        services.session_publish(
            session=running, actor=head, public_text=f"Hadir antara lain {holders[0].full_name}."
        )
    assert caught.value.code == "not_redacted"
    assert list(selectors.board(site=running.site)) == []
    services.session_publish(session=running, actor=head, public_text="Kartu Pandai mulai 1 Juli.")
    (shown,) = selectors.board(site=running.site)
    assert [q.text for q in shown.answered_questions] == ["Kapan mulai?"]  # type: ignore[attr-defined]

    p = Promise.objects.get()
    services.promise_done(promise=p, actor=head, note="Sudah ditempel 3 Juli.")
    assert list(selectors.promises_open(site=running.site)) == []
    with pytest.raises(TownhallError):
        services.promise_done(promise=p, actor=head, note="lagi")
