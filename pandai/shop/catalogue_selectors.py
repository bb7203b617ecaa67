"""Reads of the catalogue and stock screens: product lists with stock value, a product's
history, stock counts with their variances, and the catalogue import's plan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce

from pandai.core.models import Site
from pandai.shop import catalogue_io
from pandai.shop.models import (
    Barcode,
    CatalogueImport,
    Category,
    PriceChange,
    Product,
    StockCount,
    StockCountLine,
    StockMove,
)


def categories(*, site: Site) -> QuerySet[Category]:
    return Category.objects.filter(site=site).annotate(n_products=Count("products"))


def products(
    *,
    site: Site,
    q: str = "",
    category: int | None = None,
    low: bool = False,
    active: str = "",
) -> QuerySet[Product]:
    """Products of the site, searched by name, SKU or barcode; `low` = at or under minimum;
    `active` = "1" active only, "0" inactive only, "" all."""
    qs = (
        Product.objects.filter(site=site)
        .select_related("category")
        .prefetch_related(Prefetch("barcodes", queryset=Barcode.objects.order_by("pk")))
        .annotate(
            value_rp=ExpressionWrapper(F("on_hand") * F("cost_rp"), output_field=IntegerField())
        )
        .order_by("category__sort_order", "category__name", "name")
    )
    q = q.strip()
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(sku__iexact=q) | Q(sku__istartswith=q) | Q(barcodes__code=q)
        ).distinct()
    if category:
        qs = qs.filter(category_id=category)
    if low:
        qs = qs.filter(on_hand__lte=F("min_stock"), is_active=True)
    if active in ("0", "1"):
        qs = qs.filter(is_active=active == "1")
    return qs


def stock_value_rp(qs: QuerySet[Product]) -> int:
    """Σ on_hand × average cost over the products of `qs`."""
    total = (
        Product.objects.filter(pk__in=qs.values("pk"))
        .aggregate(v=Coalesce(Sum(F("on_hand") * F("cost_rp")), 0))
        .get("v")
    )
    return int(total or 0)


def price_history(*, product: Product) -> QuerySet[PriceChange]:
    return product.price_changes.select_related("changed_by").order_by("-changed_at", "-pk")


def stock_moves(*, product: Product) -> QuerySet[StockMove]:
    return product.moves.select_related("actor").order_by("-created_at", "-pk")


def product_by_code(*, site: Site, code: str) -> Product | None:
    """A product of the site by barcode or SKU (what a scanner or a person types)."""
    code = "".join(code.split())
    if not code:
        return None
    found = Barcode.objects.filter(site=site, code=code).select_related("product").first()
    if found is not None:
        return found.product
    return Product.objects.filter(site=site, sku__iexact=code).first()


def receipts(*, site: Site) -> list[dict[str, Any]]:
    """Recent goods-received notes, one row per document number."""
    rows = (
        StockMove.objects.filter(site=site, kind="receipt")
        .values("reference", "supplier")
        .annotate(
            at=Min("created_at"),
            lines=Count("pk"),
            units=Sum("quantity"),
            value_rp=Sum(F("quantity") * F("unit_cost_rp")),
        )
        .order_by("-at", "-reference")[:30]
    )
    return [dict(row) for row in rows]


# --- stock counts -------------------------------------------------------------------------------


def counts(*, site: Site) -> QuerySet[StockCount]:
    return (
        StockCount.objects.filter(site=site)
        .select_related("created_by", "confirmed_by")
        .annotate(
            n_lines=Count("lines"),
            n_counted=Count("lines", filter=Q(lines__counted_qty__isnull=False)),
        )
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class CountRow:
    line: StockCountLine
    on_hand_now: int
    moved_since: int  # sales/receipts since the line's quantity was read (on_hand_now - expected)
    variance: int | None
    variance_rp: int | None
    after: int | None  # stock once confirmed


@dataclass(frozen=True)
class CountSummary:
    rows: list[CountRow]
    counted: int
    uncounted: int
    with_variance: int
    units: int
    value_rp: int
    short_rp: int  # missing goods at cost (<= 0)
    over_rp: int  # goods found at cost (>= 0)


def count_summary(*, count: StockCount) -> CountSummary:
    lines = list(
        count.lines.select_related("product", "product__category").order_by(
            "product__category__sort_order", "product__category__name", "product__name"
        )
    )
    rows = []
    for line in lines:
        now = line.product.on_hand
        variance = line.variance
        value = None if variance is None else variance * line.unit_cost_rp
        rows.append(
            CountRow(
                line=line,
                on_hand_now=now,
                moved_since=now - line.expected_qty,
                variance=variance,
                variance_rp=value,
                after=None if variance is None else now + variance,
            )
        )
    values = [r.variance_rp for r in rows if r.variance_rp is not None]
    return CountSummary(
        rows=rows,
        counted=sum(1 for r in rows if r.variance is not None),
        uncounted=sum(1 for r in rows if r.variance is None),
        with_variance=sum(1 for r in rows if r.variance),
        units=sum(r.variance or 0 for r in rows),
        value_rp=sum(values),
        short_rp=sum(v for v in values if v < 0),
        over_rp=sum(v for v in values if v > 0),
    )


# --- catalogue import ---------------------------------------------------------------------------


def existing_for_import(
    *, site: Site, lock: bool = False
) -> tuple[dict[str, catalogue_io.ExistingProduct], dict[str, str], dict[str, str]]:
    """(products by SKU, category names by lower-case name, barcode -> SKU) of the site."""
    qs = Product.objects.filter(site=site).select_related("category")
    if lock:
        qs = qs.select_for_update(of=("self",))
    codes: dict[int, list[str]] = {}
    owner: dict[str, str] = {}
    for pk, code, sku in (
        Barcode.objects.filter(site=site)
        .order_by("pk")
        .values_list("product_id", "code", "product__sku")
    ):
        codes.setdefault(pk, []).append(code)
        owner[code] = sku
    found = {
        p.sku: catalogue_io.ExistingProduct(pk=p.pk, values=product_values(p, codes.get(p.pk, [])))
        for p in qs
    }
    names = {c.name.lower(): c.name for c in Category.objects.filter(site=site)}
    return found, names, owner


def product_values(product: Product, barcodes: list[str]) -> dict[str, Any]:
    return {
        "barcodes": tuple(barcodes),
        "name": product.name,
        "category": product.category.name,
        "unit": product.unit,
        "price_rp": product.price_rp,
        "cost_rp": product.cost_rp,
        "min_stock": product.min_stock,
        "limit_per_day": product.limit_per_day,
        "limit_per_week": product.limit_per_week,
        "essential": product.essential,
        "is_active": product.is_active,
    }


def import_plan(
    *, batch: CatalogueImport, lock: bool = False
) -> tuple[tuple[str, ...], list[catalogue_io.RowPlan]]:
    rows, ignored = catalogue_io.parse_rows(batch.rows)
    existing, names, owner = existing_for_import(site=batch.site, lock=lock)
    return ignored, catalogue_io.plan(
        rows, existing=existing, categories=names, barcode_owner=owner
    )


def imports(*, site: Site) -> QuerySet[CatalogueImport]:
    return (
        CatalogueImport.objects.filter(site=site)
        .select_related("uploaded_by")
        .defer("rows")
        .order_by("-uploaded_at", "-pk")
    )


def export_data(*, site: Site) -> list[dict[str, Any]]:
    codes: dict[int, list[str]] = {}
    for pk, code in (
        Barcode.objects.filter(site=site).order_by("pk").values_list("product_id", "code")
    ):
        codes.setdefault(pk, []).append(code)
    return [
        {"sku": p.sku, **product_values(p, codes.get(p.pk, []))}
        for p in Product.objects.filter(site=site)
        .select_related("category")
        .order_by("category__sort_order", "category__name", "name")
    ]
