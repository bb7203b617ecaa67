"""A closed day is append-only in the database itself (see core.dbguards): a row is never
deleted, and the only update allowed is the one countersignature on a row that has none."""

from pandai.core import dbguards

APPEND_ONLY = {
    "reports_dayclosing_guard": (
        "reports_dayclosing",
        "penutupan harian tidak bisa diubah atau dihapus",
    ),
}

FROZEN_COLUMNS = [
    "id",
    "site_id",
    "day",
    "figures",
    "audit_seq",
    "audit_hash",
    "closed_by_id",
    "closed_at",
]

for _name, (_table, _message) in APPEND_ONLY.items():
    dbguards.register(_name, _table, _message, FROZEN_COLUMNS, "OLD.countersigned_by_id IS NULL")
