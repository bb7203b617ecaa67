"""Sample objects of the townhall screens for the permission matrix (core's test_permission_matrix
builds them once per module, inside one transaction)."""

from __future__ import annotations

from typing import Any

# (URL name prefix, kwarg) -> key of the sample object, merged into KWARG_SAMPLES.
TOWNHALL_SAMPLES: dict[tuple[str, str], str] = {
    ("townhall:session_", "pk"): "townhall_session",
    ("townhall:door", "pk"): "townhall_session",
    ("townhall:roster", "pk"): "townhall_session",
    ("townhall:presenter", "pk"): "townhall_session",
    ("townhall:moderator", "pk"): "townhall_session",
    ("townhall:floor_question", "pk"): "townhall_session",
    ("townhall:vote", "pk"): "townhall_session",
    ("townhall:poll_list", "pk"): "townhall_session",
    ("townhall:poll_action", "pk"): "townhall_poll",
    ("townhall:question_", "pk"): "townhall_question",
    ("townhall:agenda_", "pk"): "townhall_agenda_item",
    ("townhall:policy_", "pk"): "townhall_policy",
    ("townhall:promise_", "pk"): "townhall_promise",
    ("townhall:announcement_", "pk"): "townhall_announcement",
    ("townhall:board", "site_code"): "townhall_site_code",
}
# Pages any logged-in user may open, with the reason (merged into LOGIN_ONLY).
TOWNHALL_LOGIN_ONLY: dict[str, str] = {}
# Pages anyone may open without logging in, with the reason (merged into PUBLIC).
TOWNHALL_PUBLIC: dict[str, str] = {
    "townhall:board": "the public 'papan sosialisasi': only minutes the head published after "
    "the redaction check, the answered questions and the policies — what was said openly",
}


def townhall_world(
    *, site: Any, other_site: Any, users: dict[str, Any], inmate: Any, admin: Any
) -> dict[str, Any]:
    """The townhall objects the URL kwargs above point at."""
    import datetime as dt

    from pandai.townhall import services
    from pandai.townhall.models import Promise
    from pandai.wallet import clock

    head = users["head"]
    session = services.session_create(
        site=site,
        actor=head,
        data=services.SessionInput(title="Sosialisasi", starts_at=clock.now(), place="Aula"),
    )
    policy = services.policy_create(
        site=site,
        actor=head,
        data=services.PolicyInput(
            title="Kartu Pandai",
            text="Koperasi hanya menerima kartu.",
            effective_date=dt.date(2030, 7, 1),
            decided_by="Kepala Rutan",
        ),
    )
    item = services.agenda_add(session=session, actor=head, title="Kartu", policy=policy)
    question = services.question_submit(session=session, inmate=inmate, text="Kapan?")
    poll = services.poll_create(
        session=session,
        actor=head,
        question="Setuju?",
        kind="single",
        method="hands",
        options=["Ya", "Tidak"],
    )
    promise = Promise.objects.create(
        session=session, what="Daftar harga", who="Kasubsi", due_date=dt.date(2030, 1, 1)
    )
    announcement = services.announcement_create(
        site=site,
        actor=head,
        data=services.AnnouncementInput(
            title="Kunjungan", text="Jam kunjungan berubah.", publish_from=dt.date(2024, 1, 1)
        ),
    )
    return {
        "townhall_announcement": announcement,
        "townhall_session": session,
        "townhall_policy": policy,
        "townhall_agenda_item": item,
        "townhall_question": question,
        "townhall_poll": poll,
        "townhall_promise": promise,
        "townhall_site_code": site.code,
    }
