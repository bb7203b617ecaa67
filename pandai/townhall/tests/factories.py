"""Test helpers for the sosialisasi: inmates with cards in blocks, a session today, a complaint
answered in writing and queued for the next session."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pandai.complaints import services as complaint_services
from pandai.complaints.models import Category, Complaint
from pandai.core.models import Site, User
from pandai.inmates import services as inmate_services
from pandai.inmates.models import Block, Cell, Inmate
from pandai.inmates.tests.factories import InmateFactory
from pandai.townhall import services
from pandai.townhall.models import Session
from pandai.wallet import clock


def cell_in(site: Site, block_code: str) -> Cell:
    block, _ = Block.objects.get_or_create(
        site=site, code=block_code, defaults={"name": f"Blok {block_code}"}
    )
    cell, _ = Cell.objects.get_or_create(block=block, code="1")
    return cell


def card_holder(*, site: Site, actor: User, uid: str, block: str = "A", **kwargs: Any) -> Inmate:
    inmate = InmateFactory(site=site, cell=cell_in(site, block), **kwargs)
    inmate_services.card_issue(inmate=inmate, raw_uid=uid, actor=actor)
    return inmate


def make_session(*, site: Site, actor: User, when: dt.datetime | None = None, **kw: Any) -> Session:
    data = services.SessionInput(
        title=kw.pop("title", "Sosialisasi Kartu Pandai"),
        starts_at=when or clock.now(),
        place=kw.pop("place", "Aula Hanoman"),
        chair=actor,
        **kw,
    )
    return services.session_create(site=site, actor=actor, data=data)


def waiting_complaint(*, site: Site, officer: User, inmate: Inmate, title: str) -> Complaint:
    """A complaint answered in writing and marked "answer at the next sosialisasi"."""
    complaint_services.categories_ensure(site=site)
    category = Category.objects.filter(site=site).first()
    assert category is not None
    receipt = complaint_services.complaint_submit_oral(
        site=site,
        actor=officer,
        kind="complaint",
        category=category,
        identity="named",
        text=f"{title}. Mohon penjelasan.",
        inmate=inmate,
    )
    c = complaint_services.complaint_verify(complaint=receipt.complaint, actor=officer, title=title)
    return complaint_services.complaint_answer(
        complaint=c, actor=officer, text="Jawaban tertulis: akan dijelaskan.", at_session=True
    )
