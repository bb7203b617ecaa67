"""One vote per card per question under concurrent taps, with real processes on PostgreSQL:
the unique constraint, not the check before it, keeps one."""

from __future__ import annotations

import multiprocessing
from collections import Counter

import pytest
from django.db import connections

from pandai.core.tests.factories import SiteFactory, StaffFactory
from pandai.townhall import services
from pandai.townhall.models import Vote
from pandai.townhall.tests.factories import card_holder, make_session
from pandai.townhall.tests.vote_worker import tap_votes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_simultaneous_taps_of_one_card_count_once():
    site = SiteFactory()
    head = StaffFactory(site=site, roles=["head"])
    asker = card_holder(site=site, actor=head, uid="04A1B2C3D4E5F6")
    card_holder(site=site, actor=head, uid="04C0FFEE123456")
    session = make_session(site=site, actor=head)
    question = services.question_submit(session=session, inmate=asker, text="Kapan mulai?")
    services.question_publish(question=question, actor=head)

    ctx = multiprocessing.get_context("fork")
    processes = 10
    barrier = ctx.Barrier(processes)
    results = ctx.Queue()
    connections.close_all()
    children = [
        ctx.Process(target=tap_votes, args=(question.pk, "04C0FFEE123456", 2, barrier, results))
        for _ in range(processes)
    ]
    for child in children:
        child.start()
    outcomes = Counter(results.get(timeout=120) for _ in range(processes * 2))
    for child in children:
        child.join(timeout=60)
        assert child.exitcode == 0
    assert outcomes == {"ok": 1, "already_voted": 19}, outcomes
    assert Vote.objects.filter(question=question).count() == 1
