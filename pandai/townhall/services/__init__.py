"""Every write of the sosialisasi (town hall). Import from here:
`from pandai.townhall import services`.

Policies:   policy_create, policy_update, policy_withdraw (PolicyInput); policies_tick /
            policy_apply (run by `manage.py townhall_tick`: on its effective date a policy is
            put in force and switches its setting — shop card-only, ledger limits — once)
Sessions:   session_create, session_update (SessionInput), session_open, session_close
            (minutes + attendance count + promises or no_promises), session_publish /
            session_unpublish (redacted minutes on the public board), agenda_add, agenda_remove,
            questions_import_complaints (from complaints.selectors.awaiting_session)
Attendance: attendance_tap (card typed at the door), attendance_tick (roster)
Questions:  question_submit (kiosk, after its own card + PIN check; 3 per inmate per session),
            question_floor, question_publish, question_hide, question_merge, question_pin,
            question_unpin, question_move, question_answer (answers go back to complaints)
Votes:      vote_cast (kiosk: identified inmate), vote_by_card (a tap at the hall's device);
            one per inmate per question, database-unique
Polls:      poll_create, poll_set_status, poll_publish, poll_answer_card, poll_hands_set
Promises:   promise_add, promise_done
Announcements: announcement_create (AnnouncementInput), announcement_withdraw (with a reason)

Refusals raise `pandai.townhall.errors.TownhallError` (`.code`, translated `.message`) and
change nothing.
"""

from pandai.townhall.errors import TownhallError
from pandai.townhall.services.announcements import (
    AnnouncementInput,
    announcement_create,
    announcement_withdraw,
)
from pandai.townhall.services.attendance import TapResult, attendance_tap, attendance_tick
from pandai.townhall.services.policies import (
    PolicyInput,
    TickResult,
    policies_tick,
    policy_apply,
    policy_create,
    policy_update,
    policy_withdraw,
)
from pandai.townhall.services.polls import (
    poll_answer_card,
    poll_create,
    poll_hands_set,
    poll_publish,
    poll_set_status,
)
from pandai.townhall.services.questions import (
    question_answer,
    question_floor,
    question_hide,
    question_merge,
    question_move,
    question_pin,
    question_publish,
    question_submit,
    question_unpin,
    vote_by_card,
    vote_cast,
)
from pandai.townhall.services.sessions import (
    PromiseInput,
    SessionInput,
    agenda_add,
    agenda_remove,
    promise_add,
    promise_done,
    questions_import_complaints,
    session_close,
    session_create,
    session_open,
    session_publish,
    session_unpublish,
    session_update,
)

__all__ = [
    "AnnouncementInput",
    "PolicyInput",
    "PromiseInput",
    "SessionInput",
    "TapResult",
    "TickResult",
    "TownhallError",
    "agenda_add",
    "agenda_remove",
    "announcement_create",
    "announcement_withdraw",
    "attendance_tap",
    "attendance_tick",
    "policies_tick",
    "policy_apply",
    "policy_create",
    "policy_update",
    "policy_withdraw",
    "poll_answer_card",
    "poll_create",
    "poll_hands_set",
    "poll_publish",
    "poll_set_status",
    "promise_add",
    "promise_done",
    "question_answer",
    "question_floor",
    "question_hide",
    "question_merge",
    "question_move",
    "question_pin",
    "question_publish",
    "question_submit",
    "question_unpin",
    "questions_import_complaints",
    "session_close",
    "session_create",
    "session_open",
    "session_publish",
    "session_unpublish",
    "session_update",
    "vote_by_card",
    "vote_cast",
]
