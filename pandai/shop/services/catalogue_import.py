"""Writes of the catalogue import: keep an uploaded file for preview, then apply it whole or
not at all (new SKUs created, existing ones updated, price changes recorded)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.models import Site, User
from pandai.shop import catalogue_io, catalogue_selectors
from pandai.shop.errors import ShopError
from pandai.shop.models import CatalogueImport, Category, Product
from pandai.shop.services.catalogue import ProductInput, product_create, product_update


@dataclass(frozen=True)
class ImportOutcome:
    created: int
    changed: int
    unchanged: int
    skipped: int
    categories: int


def _too_large() -> ShopError:
    limit = settings.PANDAI_MAX_IMPORT_BYTES
    return ShopError(
        "file_too_large", _("Berkas terlalu besar (maksimum %(kb)d KB).") % {"kb": limit // 1024}
    )


@transaction.atomic
def catalogue_import_create(
    *, site: Site, filename: str, data: bytes, actor: User
) -> CatalogueImport:
    """Keep an uploaded catalogue (CSV or XLSX) for preview. A file that cannot be read at all
    is refused here and nothing is stored."""
    if len(data) > settings.PANDAI_MAX_IMPORT_BYTES:
        raise _too_large()
    try:
        table = catalogue_io.read_table(data, filename)
        rows, _ignored = catalogue_io.parse_rows(table.rows)
    except catalogue_io.CatalogueFileError as exc:
        raise ShopError("file_invalid", str(exc)) from exc
    batch = CatalogueImport.objects.create(
        site=site,
        filename=filename[-200:],
        rows=table.rows,
        uploaded_by=actor,
        summary={
            "format": table.format,
            "encoding": table.encoding,
            "delimiter": table.delimiter,
            "rows": len(rows),
        },
    )
    audit_append(
        action="shop.import_upload",
        site=site,
        actor=actor,
        obj=batch,
        data={"filename": batch.filename, "rows": len(rows), "bytes": len(data)},
    )
    return batch


def _input(values: dict, category: Category, sku: str) -> ProductInput:
    return ProductInput(
        sku=sku,
        name=values["name"],
        category=category,
        price_rp=values["price_rp"],
        unit=values["unit"],
        cost_rp=values["cost_rp"],
        barcodes=tuple(values["barcodes"]),
        min_stock=values["min_stock"],
        limit_per_day=values["limit_per_day"],
        limit_per_week=values["limit_per_week"],
        essential=values["essential"],
        is_active=values["is_active"],
    )


@transaction.atomic
def catalogue_import_apply(
    *, batch: CatalogueImport, actor: User, skip_errors: bool
) -> ImportOutcome:
    """Apply every new and changed row in one transaction. Rows with errors stop everything
    unless the user chose to skip them. The file is compared with the catalogue again here,
    under lock, so what is applied is what is true now."""
    batch = (
        CatalogueImport.objects.select_for_update(of=("self",))
        .select_related("site")
        .get(pk=batch.pk)
    )
    if batch.applied_at is not None:
        raise ShopError(
            "import_applied", _("Impor ini sudah diterapkan dan tidak bisa diterapkan lagi.")
        )
    site = batch.site
    try:
        _ignored, plans = catalogue_selectors.import_plan(batch=batch, lock=True)
    except catalogue_io.CatalogueFileError as exc:
        raise ShopError("file_invalid", str(exc)) from exc
    counts = catalogue_io.count(plans)
    errors = counts[catalogue_io.RowStatus.ERROR]
    if errors and not skip_errors:
        raise ShopError(
            "import_errors",
            _(
                "Ada %(n)d baris galat. Tidak ada yang diterapkan. Perbaiki berkasnya lalu "
                "unggah lagi, atau pilih lewati baris galat."
            )
            % {"n": errors},
        )
    todo = [
        p for p in plans if p.status in (catalogue_io.RowStatus.NEW, catalogue_io.RowStatus.CHANGED)
    ]
    if not todo:
        raise ShopError("import_nothing", _("Tidak ada baris baru atau berubah untuk diterapkan."))
    by_name = {c.name.lower(): c for c in Category.objects.filter(site=site)}
    made = 0
    for p in todo:
        key = p.values["category"].lower()
        if key not in by_name:
            by_name[key] = Category.objects.create(site=site, name=p.values["category"])
            made += 1
    products = Product.objects.in_bulk([p.product_pk for p in todo if p.product_pk])
    reason = _("Impor katalog: %(file)s") % {"file": batch.filename}
    now = timezone.now()
    for p in todo:
        category = by_name[p.values["category"].lower()]
        data = _input(p.values, category, p.row.sku)
        try:
            if p.product_pk is None:
                product_create(site=site, data=data, actor=actor, reason=reason, now=now)
            else:
                product_update(
                    product=products[p.product_pk], data=data, actor=actor, reason=reason, now=now
                )
        except ShopError as exc:
            raise ShopError(
                exc.code,
                _("Baris %(line)d: %(err)s Tidak ada yang diterapkan.")
                % {"line": p.row.line, "err": exc.message},
            ) from exc
    outcome = ImportOutcome(
        created=counts[catalogue_io.RowStatus.NEW],
        changed=counts[catalogue_io.RowStatus.CHANGED],
        unchanged=counts[catalogue_io.RowStatus.UNCHANGED],
        skipped=errors,
        categories=made,
    )
    batch.applied_at = now
    batch.applied_by = actor
    batch.summary = {**batch.summary, "applied": asdict(outcome)}
    batch.save(update_fields=["applied_at", "applied_by", "summary"])
    audit_append(
        action="shop.import_apply", site=site, actor=actor, obj=batch, data=asdict(outcome)
    )
    return outcome
