"""Catalogue import (upload, preview every row against the catalogue, apply) and export."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, in_acting_site, requires
from pandai.shop import catalogue_io
from pandai.shop import catalogue_selectors as selectors
from pandai.shop.errors import ShopError
from pandai.shop.forms_catalogue import ImportApplyForm, ImportUploadForm
from pandai.shop.models import CatalogueImport
from pandai.shop.services import catalogue_import as services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@requires(Perm.SHOP_MANAGE)
def import_start(request: PandaiRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    limit = settings.PANDAI_MAX_IMPORT_BYTES
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > limit:
                # Refused before reading it into memory.
                raise ShopError(
                    "file_too_large",
                    _("Berkas terlalu besar (maksimum %(kb)d KB).") % {"kb": limit // 1024},
                )
            batch = services.catalogue_import_create(
                site=request.site, filename=upload.name, data=upload.read(), actor=request.user
            )
        except ShopError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("shop:catalogue_import_preview", pk=batch.pk)
    return render(
        request,
        "shop/catalogue/import_start.html",
        {
            "form": form,
            "batches": selectors.imports(site=request.site)[:20],
            "max_kb": limit // 1024,
            "columns": catalogue_io.COLUMNS,
            "required_columns": catalogue_io.REQUIRED_COLUMNS,
        },
    )


@requires(Perm.SHOP_MANAGE)
def import_preview(request: PandaiRequest, pk: int) -> HttpResponse:
    batch = in_acting_site(request, CatalogueImport.objects.select_related("site"), pk=pk)
    file_error = ""
    plans: list[catalogue_io.RowPlan] = []
    ignored: tuple[str, ...] = ()
    try:
        ignored, plans = selectors.import_plan(batch=batch)
    except catalogue_io.CatalogueFileError as exc:
        file_error = str(exc)
    counts = catalogue_io.count(plans)
    only = request.GET.get("tampil", "")
    shown = [p for p in plans if p.status.value == only] if only in counts else plans
    new_categories = sorted({p.values["category"] for p in plans if p.new_category and p.values})
    return render(
        request,
        "shop/catalogue/import_preview.html",
        {
            "batch": batch,
            "plans": shown,
            "counts": counts,
            "only": only,
            "ignored": ignored,
            "file_error": file_error,
            "errors": counts[catalogue_io.RowStatus.ERROR],
            "todo": counts[catalogue_io.RowStatus.NEW] + counts[catalogue_io.RowStatus.CHANGED],
            "new_categories": new_categories,
            "form": ImportApplyForm(),
        },
    )


@requires(Perm.SHOP_MANAGE)
@require_POST
def import_apply(request: PandaiRequest, pk: int) -> HttpResponse:
    batch = in_acting_site(request, CatalogueImport.objects.all(), pk=pk)
    form = ImportApplyForm(request.POST)
    skip = form.is_valid() and form.cleaned_data["skip_errors"]
    try:
        outcome = services.catalogue_import_apply(batch=batch, actor=request.user, skip_errors=skip)
    except ShopError as exc:
        messages.error(request, exc.message)
        return redirect("shop:catalogue_import_preview", pk=batch.pk)
    messages.success(
        request,
        _(
            "Impor diterapkan: %(new)d barang baru, %(changed)d berubah, %(same)d sama, "
            "%(skipped)d baris galat dilewati."
        )
        % {
            "new": outcome.created,
            "changed": outcome.changed,
            "same": outcome.unchanged,
            "skipped": outcome.skipped,
        },
    )
    return redirect("shop:catalogue_import_preview", pk=batch.pk)


@requires(Perm.SHOP_MANAGE)
def export(request: PandaiRequest) -> HttpResponse:
    """The whole catalogue as CSV (default) or XLSX (?format=xlsx), in the import's columns."""
    rows = catalogue_io.export_rows(selectors.export_data(site=request.site))
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = f"katalog-{request.site.code}-{stamp}"
    if request.GET.get("format") == "xlsx":
        body = catalogue_io.write_xlsx(rows, title=_("Katalog"))
        response = HttpResponse(body, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        response = HttpResponse(
            catalogue_io.write_csv(rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
