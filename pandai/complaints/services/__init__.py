"""Kotak pengaduan services: every write on complaints goes through here.

Each function is keyword-only, typed, one transaction; a refusal raises `ComplaintError`
(`.code` stable, `.message` translated) and changes nothing. Import from this package:

Intake (`intake.py`) — each returns `Receipt(complaint, followup_code)`; print the code once on
the receipt slip (`complaints:receipt`), it is stored only hashed:
- `box_opening_create(site, opened_at, location, officer_1, officer_2, slip_count, actor, note)`
- `complaint_submit_slip(opening, actor, kind, category, identity, text, inmate=None, scan=bytes)`
- `complaint_submit_oral(site, actor, kind, category, identity, text, inmate=None, ...)`
- `complaint_submit_counter(site, actor, ..., contact_name, contact_relation, contact_phone)`
- `complaint_submit_kiosk(inmate, kind, category, identity, text, device=None, card=None,
  is_emergency=False, emergency_kind="", named_staff=())` — for the kiosk app, after its own
  card + PIN check. Anonymous: inmate/card/device only count the flood limit and are not kept.
- `complaint_attach_scan(complaint, actor, data)`
Handling (`handling.py`), the state machine `TRANSITIONS`, `can_move(complaint, to)`:
- `complaint_take`, `complaint_verify`, `complaint_assign(assignee, instruction, section)`,
  `complaint_start`, `complaint_note(note, public)`, `complaint_answer(text, at_session,
  public_text)`, `complaint_publish(public_text)`, `complaint_unpublish(reason)`,
  `complaint_close`, `complaint_reject(reason, note)`, `complaint_mark_duplicate(original)`,
  `complaint_reopen(reason, actor=None, by_complainant=False)` (C2's tracking page / kiosk use
  by_complainant=True), `complaint_mark_session_answered(complaint, actor)` (town hall).
- Public board redaction check: `publish.redaction_problems(complaint, text)`.
Deadlines (`deadlines.py`): `deadlines_for`, `complaint_extend(reason)`, `complaints_tick()`
(run by `manage.py complaints_tick`), `overdue(qs, today)`, `due_expression()`.
Identity (`identity.py`): `followup_code_check(complaint, code)` (no rate limit: the caller
counts failures on `Complaint.code_failures` / `code_locked_until`), `may_access`,
`may_see_identity`, `identity_reveal(complaint, actor, roles, reason)` (audited).
Setup (`setup.py`): `categories_ensure(site)`, `settings_update`, `category_save`,
`template_save`.

Left for the second helper (own modules here, e.g. `feedback.py`, `escalation.py`,
`retaliation.py`, `links.py`): rating (`Complaint.rating/rated_at`), external escalations
(`Escalation`), the retaliation watch (`RetaliationFlag`), money links (`MoneyLink`). They
must write a history row with `base.history_add` and use `base.lock` for state checks.
"""

from pandai.complaints.services.base import ComplaintError
from pandai.complaints.services.deadlines import (
    TickResult,
    complaint_extend,
    complaints_tick,
    deadlines_for,
)
from pandai.complaints.services.handling import (
    TRANSITIONS,
    can_move,
    complaint_answer,
    complaint_assign,
    complaint_close,
    complaint_mark_duplicate,
    complaint_mark_session_answered,
    complaint_note,
    complaint_publish,
    complaint_reject,
    complaint_reopen,
    complaint_start,
    complaint_take,
    complaint_unpublish,
    complaint_verify,
)
from pandai.complaints.services.identity import (
    RevealedIdentity,
    followup_code_check,
    identity_reveal,
    may_access,
    may_see_identity,
)
from pandai.complaints.services.intake import (
    Receipt,
    box_opening_create,
    complaint_attach_scan,
    complaint_submit_counter,
    complaint_submit_kiosk,
    complaint_submit_oral,
    complaint_submit_slip,
)
from pandai.complaints.services.setup import (
    categories_ensure,
    category_save,
    settings_update,
    template_save,
)

__all__ = [
    "TRANSITIONS",
    "ComplaintError",
    "Receipt",
    "RevealedIdentity",
    "TickResult",
    "box_opening_create",
    "can_move",
    "categories_ensure",
    "category_save",
    "complaint_answer",
    "complaint_assign",
    "complaint_attach_scan",
    "complaint_close",
    "complaint_extend",
    "complaint_mark_duplicate",
    "complaint_mark_session_answered",
    "complaint_note",
    "complaint_publish",
    "complaint_reject",
    "complaint_reopen",
    "complaint_start",
    "complaint_submit_counter",
    "complaint_submit_kiosk",
    "complaint_submit_oral",
    "complaint_submit_slip",
    "complaint_take",
    "complaint_unpublish",
    "complaint_verify",
    "complaints_tick",
    "deadlines_for",
    "followup_code_check",
    "identity_reveal",
    "may_access",
    "may_see_identity",
    "settings_update",
    "template_save",
]
