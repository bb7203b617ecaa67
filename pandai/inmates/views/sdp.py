"""SDP import screens: upload a CSV, preview every row against the registry, apply it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, in_acting_site, requires
from pandai.inmates import sdp_import, selectors, services
from pandai.inmates.forms import ImportApplyForm, ImportUploadForm
from pandai.inmates.models import ImportBatch


@requires(Perm.INMATE_IMPORT)
def import_start(request: PandaiRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        limit = settings.PANDAI_MAX_IMPORT_BYTES
        try:
            if upload.size > limit:
                # Refused before reading it into memory.
                raise services.InmateError(
                    _("Berkas terlalu besar (maksimum %(kb)d KB).") % {"kb": limit // 1024}
                )
            batch = services.import_batch_create(
                site=request.site, filename=upload.name, data=upload.read(), actor=request.user
            )
        except services.InmateError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("inmates:import_preview", pk=batch.pk)
    return render(
        request,
        "inmates/import_start.html",
        {
            "form": form,
            "batches": selectors.import_batches(site=request.site)[:20],
            "max_kb": settings.PANDAI_MAX_IMPORT_BYTES // 1024,
            "required_columns": sdp_import.REQUIRED_COLUMNS,
            "optional_columns": sdp_import.OPTIONAL_COLUMNS,
        },
    )


@requires(Perm.INMATE_IMPORT)
def import_preview(request: PandaiRequest, pk: int) -> HttpResponse:
    batch = in_acting_site(request, ImportBatch.objects.select_related("site"), pk=pk)
    file_error = ""
    plans: list[sdp_import.RowPlan] = []
    sdp = None
    try:
        sdp, plans = selectors.sdp_plan(batch=batch)
    except sdp_import.SdpFileError as exc:
        file_error = str(exc)
    counts = sdp_import.count(plans)
    only = request.GET.get("tampil", "")
    shown = [p for p in plans if p.status.value == only] if only in counts else plans
    return render(
        request,
        "inmates/import_preview.html",
        {
            "batch": batch,
            "sdp": sdp,
            "plans": shown,
            "counts": counts,
            "only": only,
            "file_error": file_error,
            "errors": counts[sdp_import.RowStatus.ERROR],
            "todo": counts[sdp_import.RowStatus.NEW] + counts[sdp_import.RowStatus.CHANGED],
            "form": ImportApplyForm(),
        },
    )


@requires(Perm.INMATE_IMPORT)
@require_POST
def import_apply(request: PandaiRequest, pk: int) -> HttpResponse:
    batch = in_acting_site(request, ImportBatch.objects.all(), pk=pk)
    form = ImportApplyForm(request.POST)
    skip = form.is_valid() and form.cleaned_data["skip_errors"]
    try:
        outcome = services.import_batch_apply(batch=batch, actor=request.user, skip_errors=skip)
    except services.InmateError as exc:
        messages.error(request, str(exc))
        return redirect("inmates:import_preview", pk=batch.pk)
    messages.success(
        request,
        _(
            "Impor diterapkan: %(new)d WBP baru, %(changed)d berubah, %(same)d sama, "
            "%(skipped)d baris galat dilewati."
        )
        % {
            "new": outcome.created,
            "changed": outcome.changed,
            "same": outcome.unchanged,
            "skipped": outcome.skipped,
        },
    )
    return redirect("inmates:import_preview", pk=batch.pk)
