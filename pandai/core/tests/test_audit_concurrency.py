"""The chain stays one unbroken line under concurrent writers on PostgreSQL (no forks, no
row left unsealed), with real processes each appending through the normal service path."""

from __future__ import annotations

import multiprocessing

import pytest
from django.db import connections, transaction

from pandai.core.audit import audit_append, audit_verify
from pandai.core.models import AuditEvent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRITERS = 6
EACH = 40


def _append_many(writer: int, barrier) -> None:  # runs in a child process
    barrier.wait(timeout=60)
    for n in range(EACH):
        with transaction.atomic():
            audit_append(action="test.concurrent", data={"writer": writer, "n": n})
    connections.close_all()


def test_concurrent_writers_make_one_chain_with_every_row_sealed():
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(WRITERS)
    connections.close_all()
    children = [ctx.Process(target=_append_many, args=(w, barrier)) for w in range(WRITERS)]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=120)
        assert child.exitcode == 0
    rows = AuditEvent.objects.filter(action="test.concurrent")
    assert rows.count() == WRITERS * EACH
    # Every writer sealed after its own commit or handed its row to the sealer at work:
    # nothing is left for audit_verify (which would seal stragglers) to do.
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()
    seqs = sorted(AuditEvent.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    result = audit_verify()
    assert result.ok, result.problem
