"""Child-process side of the PostgreSQL vote test: forked processes tap the same card."""

from __future__ import annotations

from typing import Any


def tap_votes(question_id: int, raw: str, taps: int, barrier: Any, results: Any) -> None:
    from django.db import connections

    from pandai.townhall import services
    from pandai.townhall.errors import TownhallError
    from pandai.townhall.models import Question

    connections.close_all()
    question = Question.objects.get(pk=question_id)
    barrier.wait()
    for _ in range(taps):
        try:
            services.vote_by_card(question=question, raw=raw)
            results.put("ok")
        except TownhallError as error:
            results.put(error.code)
    connections.close_all()
