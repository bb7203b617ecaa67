"""Complaint history is append-only, in the database itself (see core.dbguards)."""

from pandai.core import dbguards

APPEND_ONLY = {
    "complaints_history_guard": (
        "complaints_complainthistory",
        "riwayat pengaduan hanya bisa ditambah, tidak bisa diubah atau dihapus",
    ),
}

for _name, (_table, _message) in APPEND_ONLY.items():
    dbguards.register(_name, _table, _message, ["id"], "FALSE")
