"""Questions: the box's items imported, the kiosk's questions with a flood limit, moderation,
one vote per inmate per question, and answers that go back to the complaint."""

from __future__ import annotations

import pytest

from pandai.complaints import selectors as complaint_selectors
from pandai.complaints.models import ComplaintHistory, Status
from pandai.townhall import selectors, services
from pandai.townhall.errors import TownhallError
from pandai.townhall.models import Question, QuestionStatus, Vote
from pandai.townhall.tests.conftest import UIDS
from pandai.townhall.tests.factories import waiting_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def box(site, head, holders):
    return [
        waiting_complaint(site=site, officer=head, inmate=holders[0], title="Harga mi instan naik"),
        waiting_complaint(site=site, officer=head, inmate=holders[1], title="Air kamar mandi"),
    ]


def test_import_brings_the_box_items_once_with_their_summary(session, head, box):
    made = services.questions_import_complaints(session=session, actor=head)
    assert sorted(q.text for q in made) == ["Air kamar mandi", "Harga mi instan naik"]
    assert {q.status for q in made} == {QuestionStatus.PENDING}  # moderation on by default
    assert services.questions_import_complaints(session=session, actor=head) == []
    # The complainant's own words never become the question's text.
    assert not any("Mohon penjelasan" in q.text for q in made)


def test_answer_goes_back_to_the_complaint(session, head, box):
    services.questions_import_complaints(session=session, actor=head)
    services.session_open(session=session, actor=head)
    q = Question.objects.get(complaint=box[0])
    services.question_pin(question=q, actor=head)
    services.question_answer(
        question=q, actor=head, text="Harga mengikuti harga pasar; daftar harga ditempel."
    )
    c = box[0]
    c.refresh_from_db()
    assert c.status == Status.ANSWERED and c.session_answered_at is not None
    last = ComplaintHistory.objects.filter(complaint=c).order_by("-at", "-id").first()
    assert last is not None and last.public and last.action == "session"
    assert "daftar harga ditempel" in last.note and session.title in last.note
    assert c not in complaint_selectors.awaiting_session(site=c.site)
    q.refresh_from_db()
    assert q.status == QuestionStatus.ANSWERED and not q.pinned


def test_an_open_complaint_answered_at_the_session_moves_to_dijawab(session, head, box):
    """A complaint merged in from the box also receives the answer of the question."""
    services.questions_import_complaints(session=session, actor=head)
    services.session_open(session=session, actor=head)
    first, second = (Question.objects.get(complaint=c) for c in box)
    services.question_publish(question=first, actor=head)
    services.question_merge(question=second, into=first, actor=head)
    services.question_answer(question=first, actor=head, text="Dijawab bersama.")
    for c in box:
        c.refresh_from_db()
        assert c.session_answered_at is not None


def test_a_refused_complaint_update_changes_nothing(session, head, box):
    services.questions_import_complaints(session=session, actor=head)
    services.session_open(session=session, actor=head)
    q = Question.objects.get(complaint=box[0])
    # The head is named in the complaint: complaints refuses; the question stays unanswered.
    box[0].named_staff.add(head)
    with pytest.raises(TownhallError) as caught:
        services.question_answer(question=q, actor=head, text="Jawaban.")
    assert caught.value.code == "complaint"
    q.refresh_from_db()
    assert q.status == QuestionStatus.PENDING and q.answer_text == ""


def test_submit_before_session_with_flood_limit(session, holders):
    for i in range(3):
        services.question_submit(session=session, inmate=holders[0], text=f"Pertanyaan {i}")
    with pytest.raises(TownhallError) as caught:
        services.question_submit(session=session, inmate=holders[0], text="Satu lagi")
    assert caught.value.code == "flood"
    with pytest.raises(TownhallError):
        services.question_submit(session=session, inmate=holders[1], text="   ")
    assert Question.objects.count() == 3


def test_one_vote_per_card_per_question(session, head, holders):
    q = services.question_submit(session=session, inmate=holders[0], text="Kapan kartu dibagi?")
    with pytest.raises(TownhallError) as caught:  # still waiting for the moderator
        services.vote_by_card(question=q, raw=UIDS[1])
    assert caught.value.code == "not_votable"
    services.question_publish(question=q, actor=head)
    services.vote_by_card(question=q, raw=UIDS[1])
    services.vote_cast(question=q, inmate=holders[2])
    with pytest.raises(TownhallError) as caught:
        services.vote_by_card(question=q, raw=UIDS[1])
    assert caught.value.code == "already_voted"
    with pytest.raises(TownhallError):
        services.vote_cast(question=q, inmate=holders[2])
    assert Vote.objects.filter(question=q).count() == 2
    assert selectors.questions(session=session)[0].vote_count == 2  # type: ignore[attr-defined]


def test_presenter_orders_by_moderator_then_votes(session, head, holders):
    a, b, c = (
        services.question_submit(session=session, inmate=holders[i], text=f"Q{i}") for i in range(3)
    )
    services.session_open(session=session, actor=head)
    for q in (a, b, c):
        services.question_publish(question=q, actor=head)
    services.vote_by_card(question=c, raw=UIDS[3])
    assert [q.text for q in selectors.presenter(session=session).upcoming][:1] == ["Q2"]
    services.question_move(question=b, actor=head, to_top=True)
    services.question_pin(question=a, actor=head)
    shown = selectors.presenter(session=session)
    assert shown.current == a
    assert [q.text for q in shown.upcoming] == ["Q1", "Q2"]
    with pytest.raises(TownhallError):
        services.question_hide(question=b, actor=head, reason="  ")
    services.question_hide(question=b, actor=head, reason="Menyebut nama petugas")
    assert [q.text for q in selectors.presenter(session=session).upcoming] == ["Q2"]


def test_one_pinned_question_at_a_time(session, head, holders):
    qs = [services.question_submit(session=session, inmate=holders[i], text="Q") for i in range(2)]
    services.session_open(session=session, actor=head)
    services.question_pin(question=qs[0], actor=head)
    services.question_pin(question=qs[1], actor=head)
    assert list(Question.objects.filter(pinned=True)) == [qs[1]]
