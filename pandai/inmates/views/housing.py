"""Blocks and cells: capacity against occupancy, adding blocks and cells, capacity changes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, in_acting_site, requires
from pandai.inmates import selectors, services
from pandai.inmates.forms import BlockForm, CapacityForm, CellForm
from pandai.inmates.models import Block, Cell


def _page(
    request: PandaiRequest,
    block_form: BlockForm | None = None,
    cell_form: CellForm | None = None,
) -> HttpResponse:
    site = request.site
    blocks = selectors.blocks_with_occupancy(site=site)
    return render(
        request,
        "inmates/blocks.html",
        {
            "blocks": blocks,
            "total_capacity": sum(b.capacity for b in blocks),
            "total_occupants": sum(b.occupants for b in blocks),  # type: ignore[attr-defined]
            "block_form": block_form or BlockForm(prefix="block"),
            "cell_form": cell_form or CellForm(prefix="cell", site=site),
        },
    )


@requires(Perm.INMATE_EDIT)
def block_list(request: PandaiRequest) -> HttpResponse:
    return _page(request)


@requires(Perm.INMATE_EDIT)
@require_POST
def block_add(request: PandaiRequest) -> HttpResponse:
    form = BlockForm(request.POST, prefix="block")
    if form.is_valid():
        try:
            block = services.block_create(
                site=request.site, actor=request.user, **form.cleaned_data
            )
        except services.InmateError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Blok %(name)s ditambahkan.") % {"name": block.name})
            return redirect("inmates:blocks")
    return _page(request, block_form=form)


@requires(Perm.INMATE_EDIT)
@require_POST
def cell_add(request: PandaiRequest) -> HttpResponse:
    form = CellForm(request.POST, prefix="cell", site=request.site)
    if form.is_valid():
        try:
            cell = services.cell_create(actor=request.user, **form.cleaned_data)
        except services.InmateError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Kamar %(code)s ditambahkan.") % {"code": cell.code})
            return redirect("inmates:blocks")
    return _page(request, cell_form=form)


@requires(Perm.INMATE_EDIT)
@require_POST
def block_capacity(request: PandaiRequest, pk: int) -> HttpResponse:
    block = in_acting_site(request, Block.objects.all(), pk=pk)
    form = CapacityForm(request.POST)
    if form.is_valid():
        services.block_update(
            block=block, name=block.name, capacity=form.cleaned_data["capacity"], actor=request.user
        )
        messages.success(request, _("Kapasitas %(name)s disimpan.") % {"name": block.name})
    else:
        messages.error(request, _("Kapasitas harus angka 0 sampai 10000."))
    return redirect("inmates:blocks")


@requires(Perm.INMATE_EDIT)
@require_POST
def cell_capacity(request: PandaiRequest, pk: int) -> HttpResponse:
    cell = Cell.objects.select_related("block__site").filter(pk=pk).first()
    if cell is None:
        raise Http404(_("Data tidak ditemukan."))
    if cell.block.site_id != request.site.pk:
        raise PermissionDenied(_("Data ini milik UPT lain."))
    form = CapacityForm(request.POST)
    if form.is_valid():
        services.cell_update(cell=cell, capacity=form.cleaned_data["capacity"], actor=request.user)
        messages.success(request, _("Kapasitas kamar %(code)s disimpan.") % {"code": cell.code})
    else:
        messages.error(request, _("Kapasitas harus angka 0 sampai 10000."))
    return redirect("inmates:blocks")
