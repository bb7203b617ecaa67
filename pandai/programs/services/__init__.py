"""Every write of the programmes (pembinaan). Import from here:
`from pandai.programs import services`.

Catalogue:  programme_create, programme_update, schedule_create, sessions_generate,
            session_cancel, rate_set
Enrolment:  enrolment_add (place or waiting list), enrolment_remove (reason required; audit
            event `programs.removed` for the complaints retaliation watch), waiting_list_promote
Attendance: attendance_tap (card at the room), attendance_roster_save (the whole list)
Premi:      payout_compute (read), payout_run_create, payout_run_recompute, payout_run_review,
            payout_run_post (through wallet.services.premi_credit; posting twice pays once)

Refusals raise `pandai.programs.errors.ProgramError` (`.code`, translated `.message`) and change
nothing.
"""

from pandai.programs.errors import ProgramError
from pandai.programs.services.attendance import (
    RosterRow,
    TapResult,
    attendance_roster_save,
    attendance_tap,
)
from pandai.programs.services.catalogue import (
    PROGRAMME_FIELDS,
    programme_create,
    programme_update,
    rate_set,
    schedule_create,
    session_cancel,
    sessions_generate,
)
from pandai.programs.services.enrolment import (
    enrolment_add,
    enrolment_remove,
    waiting_list_promote,
)
from pandai.programs.services.payouts import (
    LineFigures,
    PostResult,
    line_key,
    payout_compute,
    payout_run_create,
    payout_run_post,
    payout_run_recompute,
    payout_run_review,
)

__all__ = [
    "PROGRAMME_FIELDS",
    "LineFigures",
    "PostResult",
    "ProgramError",
    "RosterRow",
    "TapResult",
    "attendance_roster_save",
    "attendance_tap",
    "enrolment_add",
    "enrolment_remove",
    "line_key",
    "payout_compute",
    "payout_run_create",
    "payout_run_post",
    "payout_run_recompute",
    "payout_run_review",
    "programme_create",
    "programme_update",
    "rate_set",
    "schedule_create",
    "session_cancel",
    "sessions_generate",
    "waiting_list_promote",
]
