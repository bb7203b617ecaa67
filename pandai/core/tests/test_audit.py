"""The audit chain: hashes link, tampering is named, the database refuses edits and deletes."""

import pytest
from django.db import DatabaseError, connection, transaction

from pandai.core.audit import (
    GENESIS_HASH,
    audit_append,
    audit_seal_pending,
    audit_verify,
    chain_hash,
)
from pandai.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_chain_links_each_row_to_the_previous():
    events = [audit_append(action="test.event", data={"n": n}) for n in range(5)]
    audit_seal_pending()  # on PostgreSQL sealing follows the commit, which a test never reaches
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [r.pk for r in rows] == [e.pk for e in events]
    prev = GENESIS_HASH
    for row in rows:
        assert row.prev_hash == prev
        assert row.hash == chain_hash(prev, row)
        prev = row.hash
    result = audit_verify()
    assert result.ok and result.checked == 5 and result.last_hash == rows[-1].hash


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditevent SET action = 'x' WHERE seq = 2",
        "UPDATE core_auditevent SET hash = 'x' WHERE seq = 2",
        "DELETE FROM core_auditevent WHERE seq = 2",
    ],
)
def test_database_refuses_to_change_or_delete_a_sealed_row(sql):
    for n in range(3):
        audit_append(action="test.event", data={"n": n})
    audit_seal_pending()
    before = list(AuditEvent.objects.order_by("seq").values_list("action", "hash"))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert list(AuditEvent.objects.order_by("seq").values_list("action", "hash")) == before


def test_verify_names_the_first_tampered_row():
    for n in range(4):
        audit_append(action="test.event", data={"n": n})
    audit_seal_pending()
    target = AuditEvent.objects.get(seq=3)
    # Simulate someone with raw database access who removed the trigger first.
    from pandai.core import dbguards

    with connection.cursor() as cursor:
        for sql in dbguards.statements(connection.vendor, "core_auditevent_guard", create=False):
            cursor.execute(sql)
        AuditEvent.objects.filter(pk=target.pk).update(data={"n": 99})
        for sql in dbguards.statements(connection.vendor, "core_auditevent_guard", create=True):
            cursor.execute(sql)
    result = audit_verify()
    assert not result.ok
    assert result.first_bad_seq == 3 and result.first_bad_id == target.pk
    assert result.checked == 2
