"""Movement screens: cell move, release (with a confirm step), transfer, Register F."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pandai.core.calendar import site_today
from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, in_acting_site, requires
from pandai.inmates import selectors, services
from pandai.inmates.forms import DisciplineForm, MoveForm, ReleaseForm, TransferForm
from pandai.inmates.models import Inmate


def _inmate(request: PandaiRequest, pk: int) -> Inmate:
    return in_acting_site(request, Inmate.objects.select_related("cell__block", "site"), pk=pk)


def _inactive(request: PandaiRequest, inmate: Inmate) -> HttpResponse | None:
    """Movements apply to active inmates only; say so instead of showing a form."""
    if inmate.is_active:
        return None
    messages.error(
        request,
        _("WBP ini sudah tidak aktif (%(status)s).") % {"status": inmate.get_status_display()},
    )
    return redirect("inmates:detail", pk=inmate.pk)


@requires(Perm.INMATE_MOVE)
def inmate_move(request: PandaiRequest, pk: int) -> HttpResponse:
    inmate = _inmate(request, pk)
    if (stop := _inactive(request, inmate)) is not None:
        return stop
    form = MoveForm(
        request.POST or None, site=request.site, initial={"date": site_today(request.site)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.inmate_move_cell(
                inmate=inmate,
                cell=form.cleaned_data["cell"],
                date=form.cleaned_data["date"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except services.InmateError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("%(name)s dipindah ke kamar baru.") % {"name": inmate.full_name}
            )
            return redirect("inmates:detail", pk=inmate.pk)
    return render(
        request,
        "inmates/action_form.html",
        {
            "form": form,
            "inmate": inmate,
            "title": _("Pindah kamar"),
            "submit": _("Pindahkan"),
        },
    )


@requires(Perm.INMATE_MOVE)
def inmate_release(request: PandaiRequest, pk: int) -> HttpResponse:
    """Two steps: the form, then a page that repeats what will happen and asks to confirm."""
    inmate = _inmate(request, pk)
    if (stop := _inactive(request, inmate)) is not None:
        return stop
    form = ReleaseForm(request.POST or None, initial={"date": site_today(request.site)})
    confirming = False
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") != "yes":
            confirming = True
        else:
            try:
                services.inmate_release(
                    inmate=inmate,
                    date=form.cleaned_data["date"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except services.InmateError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("%(name)s dicatat bebas.") % {"name": inmate.full_name})
                return redirect("inmates:detail", pk=inmate.pk)
    return render(
        request,
        "inmates/release.html",
        {
            "form": form,
            "inmate": inmate,
            "confirming": confirming,
            "active_card": selectors.active_card(inmate=inmate),
        },
    )


@requires(Perm.INMATE_MOVE)
def inmate_transfer(request: PandaiRequest, pk: int) -> HttpResponse:
    inmate = _inmate(request, pk)
    if (stop := _inactive(request, inmate)) is not None:
        return stop
    targets = selectors.transfer_targets(site=request.site)
    form = TransferForm(
        request.POST or None, targets=targets, initial={"date": site_today(request.site)}
    )
    if request.method == "POST" and form.is_valid():
        to_site = form.cleaned_data["to_site"]
        try:
            services.inmate_transfer(
                inmate=inmate,
                to_site=to_site,
                date=form.cleaned_data["date"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except services.InmateError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(name)s dimutasi ke %(site)s.")
                % {"name": inmate.full_name, "site": to_site.name},
            )
            return redirect("inmates:detail", pk=inmate.pk)
    return render(
        request,
        "inmates/action_form.html",
        {
            "form": form,
            "inmate": inmate,
            "title": _("Mutasi ke UPT lain"),
            "submit": _("Catat mutasi"),
            "confirm": _("Mutasi tidak bisa dibatalkan. Lanjutkan?"),
            "danger": True,
        },
    )


@requires(Perm.DISCIPLINE_EDIT)
def discipline_add(request: PandaiRequest, pk: int) -> HttpResponse:
    inmate = _inmate(request, pk)
    if (stop := _inactive(request, inmate)) is not None:
        return stop
    form = DisciplineForm(request.POST or None, initial={"date": site_today(request.site)})
    if request.method == "POST" and form.is_valid():
        try:
            services.discipline_add(inmate=inmate, actor=request.user, **form.cleaned_data)
        except services.InmateError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Catatan Register F disimpan."))
            return redirect("inmates:detail", pk=inmate.pk)
    return render(
        request,
        "inmates/action_form.html",
        {
            "form": form,
            "inmate": inmate,
            "title": _("Register F: catat pelanggaran"),
            "submit": _("Simpan Register F"),
        },
    )
