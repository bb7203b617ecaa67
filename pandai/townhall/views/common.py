"""Helpers shared by the sosialisasi screens: objects by URL pk in the acting site."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse

from pandai.core.http import PandaiRequest
from pandai.core.permissions import in_acting_site
from pandai.townhall.errors import TownhallError
from pandai.townhall.models import AgendaItem, Policy, Poll, Promise, Question, Session


def get_session(request: PandaiRequest, pk: int) -> Session:
    return in_acting_site(request, Session.objects.select_related("site", "chair"), pk=pk)


def get_policy(request: PandaiRequest, pk: int) -> Policy:
    return in_acting_site(request, Policy.objects.select_related("site"), pk=pk)


def _via_session(request: PandaiRequest, obj: object | None, session_id: int | None) -> None:
    get_session(request, session_id or 0)  # 404 missing, 403 another site's


def get_question(request: PandaiRequest, pk: int) -> Question:
    q = Question.objects.select_related("session__site").filter(pk=pk).first()
    _via_session(request, q, q.session_id if q else None)
    assert q is not None
    return q


def get_poll(request: PandaiRequest, pk: int) -> Poll:
    p = Poll.objects.select_related("session__site").filter(pk=pk).first()
    _via_session(request, p, p.session_id if p else None)
    assert p is not None
    return p


def get_agenda_item(request: PandaiRequest, pk: int) -> AgendaItem:
    item = AgendaItem.objects.select_related("session__site").filter(pk=pk).first()
    _via_session(request, item, item.session_id if item else None)
    assert item is not None
    return item


def get_promise(request: PandaiRequest, pk: int) -> Promise:
    p = Promise.objects.select_related("session__site").filter(pk=pk).first()
    _via_session(request, p, p.session_id if p else None)
    assert p is not None
    return p


def is_htmx(request: PandaiRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def report(request: PandaiRequest, error: TownhallError | None, ok: str) -> HttpResponse | None:
    if error is not None:
        messages.error(request, error.message)
    else:
        messages.success(request, ok)
    return None
