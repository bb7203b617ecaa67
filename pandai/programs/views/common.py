"""Helpers shared by the programmes screens: objects by URL pk in the acting site."""

from __future__ import annotations

from pandai.core.http import PandaiRequest
from pandai.core.permissions import in_acting_site
from pandai.inmates.models import Inmate
from pandai.programs.models import Enrolment, PayoutRun, Programme, ProgrammeSession


def get_programme(request: PandaiRequest, pk: int) -> Programme:
    return in_acting_site(request, Programme.objects.select_related("site"), pk=pk)


def get_session(request: PandaiRequest, pk: int) -> ProgrammeSession:
    session = ProgrammeSession.objects.select_related("programme__site").filter(pk=pk).first()
    # Sessions carry their site through the programme; check it the same way.
    get_programme(request, session.programme_id if session else 0)
    assert session is not None
    return session


def get_enrolment(request: PandaiRequest, pk: int) -> Enrolment:
    enrolment = Enrolment.objects.select_related("programme", "inmate").filter(pk=pk).first()
    get_programme(request, enrolment.programme_id if enrolment else 0)
    assert enrolment is not None
    return enrolment


def get_run(request: PandaiRequest, pk: int) -> PayoutRun:
    return in_acting_site(request, PayoutRun.objects.select_related("programme__site"), pk=pk)


def get_inmate(request: PandaiRequest, pk: int) -> Inmate:
    return in_acting_site(request, Inmate.objects.select_related("site", "cell__block"), pk=pk)


def is_htmx(request: PandaiRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
