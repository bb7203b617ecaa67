"""`manage.py audit_verify`: OK line with the last hash, or the first bad row and exit code 1."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from pandai.core import dbguards
from pandai.core.audit import audit_append
from pandai.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _run() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit_verify", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_empty_chain_is_ok():
    out, _ = _run()
    assert out.startswith("OK: 0 baris, hash terakhir " + "0" * 64)


def test_seals_pending_rows_and_reports_the_last_hash():
    for n in range(3):
        audit_append(action="test.event", data={"n": n})
    out, _ = _run()
    last = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 0
    assert out.strip() == f"OK: 3 baris, hash terakhir {last.hash}"


def test_names_the_first_bad_row_and_exits_1():
    for n in range(4):
        audit_append(action="test.event", data={"n": n})
    _run()  # seals
    target = AuditEvent.objects.get(seq=2)
    with connection.cursor() as cursor:
        for sql in dbguards.statements(connection.vendor, "core_auditevent_guard", create=False):
            cursor.execute(sql)
        AuditEvent.objects.filter(pk=target.pk).update(action="test.forged")
        for sql in dbguards.statements(connection.vendor, "core_auditevent_guard", create=True):
            cursor.execute(sql)
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("audit_verify", stdout=io.StringIO(), stderr=err)
    assert exc.value.returncode == 1
    assert f"seq=2 id={target.pk}" in err.getvalue()
    assert "hash tidak cocok" in err.getvalue()
