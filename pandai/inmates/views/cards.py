"""Card screens: issue or replace a card by tapping it, block / lost / reactivate, print the
card face, and the PIN reset with the on-screen PIN pad."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, in_acting_site, requires
from pandai.inmates import selectors, services
from pandai.inmates.cardface import render_card_pdf
from pandai.inmates.forms import CardIssueForm, CardStatusForm, PinForm
from pandai.inmates.models import Card, Inmate


@requires(Perm.CARD_ISSUE)
def card_page(request: PandaiRequest, pk: int) -> HttpResponse:
    """The card desk: the focused field takes the reader's UID + Enter."""
    inmate = in_acting_site(request, Inmate.objects.select_related("cell__block", "site"), pk=pk)
    current = selectors.active_card(inmate=inmate)
    form = CardIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            card = services.card_issue(
                inmate=inmate,
                raw_uid=form.cleaned_data["uid"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except services.InmateError as exc:
            form.add_error("uid", str(exc))
        else:
            if current is not None:
                text = _("Kartu pengganti %(uid)s diterbitkan; kartu lama %(old)s diblokir.")
                messages.success(request, text % {"uid": card.uid, "old": current.uid})
            else:
                messages.success(request, _("Kartu %(uid)s diterbitkan.") % {"uid": card.uid})
            return redirect("inmates:cards", pk=inmate.pk)
    return render(
        request,
        "inmates/cards.html",
        {
            "inmate": inmate,
            "form": form,
            "current": current,
            "cards": selectors.inmate_cards(inmate=inmate),
            "status_form": CardStatusForm(),
        },
    )


@requires(Perm.CARD_ISSUE)
@require_POST
def card_status(request: PandaiRequest, card_pk: int) -> HttpResponse:
    card = in_acting_site(request, Card.objects.select_related("inmate"), pk=card_pk)
    form = CardStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih status dan tulis alasannya."))
        return redirect("inmates:cards", pk=card.inmate_id)
    try:
        services.card_set_status(
            card=card,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except services.InmateError as exc:
        messages.error(request, str(exc))
    else:
        card.refresh_from_db(fields=["status"])
        messages.success(
            request,
            _("Kartu %(uid)s sekarang %(status)s.")
            % {"uid": card.uid, "status": card.get_status_display()},
        )
    return redirect("inmates:cards", pk=card.inmate_id)


@requires(Perm.CARD_ISSUE)
def card_pdf(request: PandaiRequest, card_pk: int) -> HttpResponse:
    card = in_acting_site(request, Card.objects.select_related("inmate", "site"), pk=card_pk)
    response = HttpResponse(render_card_pdf(card=card), content_type="application/pdf")
    filename = f"kartu-{card.uid}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Perm.PIN_RESET)
def pin_reset(request: PandaiRequest, pk: int) -> HttpResponse:
    """The inmate chooses the new PIN on the pad, twice; the officer only opens the page."""
    inmate = in_acting_site(request, Inmate.objects.select_related("site"), pk=pk)
    if not inmate.is_active:
        messages.error(request, _("WBP ini sudah tidak aktif."))
        return redirect("inmates:detail", pk=inmate.pk)
    form = PinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pin_set(
                inmate=inmate, pin=form.cleaned_data["pin1"], actor=request.user, is_reset=True
            )
        except services.InmateError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("PIN %(name)s sudah diganti.") % {"name": inmate.full_name})
            return redirect("inmates:detail", pk=inmate.pk)
    return render(
        request,
        "inmates/pin_reset.html",
        {
            "inmate": inmate,
            "form": form,
            "pin_locked_until": selectors.pin_locked_until(inmate=inmate, now=timezone.now()),
            "keys": ["1", "2", "3", "4", "5", "6", "7", "8", "9"],
        },
    )
