"""The koperasi's records: catalogue (categories, products, barcodes, price history), the stock
ledger (moves, counts), cashier shifts on registered POS terminals, sales with their lines,
returns, and kiosk pre-orders.

Money never moves here: a sale points at the ledger batch that `wallet.services` posted.
Stock on hand is `Product.on_hand`, kept only by `shop.services` in the same transaction as the
StockMove rows it sums (a check compares them); the database refuses a negative count.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from pandai.core.models import Device, Site
from pandai.inmates.models import Inmate
from pandai.wallet.models import Batch, Transfer


class ShopSettings(models.Model):
    """Per-site shop rules. `card_only` is what a town-hall policy switches on its date."""

    site = models.OneToOneField(Site, on_delete=models.PROTECT, related_name="shop_settings")
    card_only = models.BooleanField(_("hanya pembayaran kartu"), default=True)
    preorder_hours = models.PositiveIntegerField(
        _("batas antar pesanan (jam)"),
        default=48,
        help_text=_("Pesanan dari blok yang tidak diantar dalam waktu ini kedaluwarsa."),
    )
    receipt_footer = models.CharField(_("catatan kaki struk"), max_length=200, blank=True)
    # ESC/POS network printer of the koperasi, e.g. "192.168.1.50:9100"; blank = browser print.
    receipt_printer = models.CharField(_("printer struk (host:port)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("pengaturan koperasi")
        verbose_name_plural = _("pengaturan koperasi")

    def __str__(self) -> str:
        return str(self.site)


class Category(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nama"), max_length=80)
    sort_order = models.PositiveIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")
        ordering = ["site", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="shop_category_name_per_site")
        ]

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(_("SKU"), max_length=40)
    name = models.CharField(_("nama"), max_length=120)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    unit = models.CharField(_("satuan"), max_length=20, default="pcs")
    price_rp = models.BigIntegerField(_("harga jual"))
    # Moving average cost of the goods on hand; updated by goods received.
    cost_rp = models.BigIntegerField(_("harga pokok rata-rata"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)
    photo = models.ImageField(_("foto"), upload_to="shop/products/", blank=True)
    min_stock = models.PositiveIntegerField(_("stok minimum"), default=0)
    limit_per_day = models.PositiveIntegerField(_("batas per WBP per hari"), null=True, blank=True)
    limit_per_week = models.PositiveIntegerField(
        _("batas per WBP per minggu"), null=True, blank=True
    )
    essential = models.BooleanField(
        _("kebutuhan pokok"),
        default=False,
        help_text=_("Hanya barang pokok yang boleh dibeli WBP yang sedang dibatasi belanjanya."),
    )
    on_hand = models.IntegerField(_("stok"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("barang")
        verbose_name_plural = _("barang")
        ordering = ["site", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "sku"], name="shop_product_sku_per_site"),
            models.CheckConstraint(condition=Q(price_rp__gt=0), name="shop_product_price_positive"),
            models.CheckConstraint(
                condition=Q(cost_rp__gte=0), name="shop_product_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(on_hand__gte=0), name="shop_product_stock_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_low(self) -> bool:
        return self.on_hand <= self.min_stock


class Barcode(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="barcodes")
    code = models.CharField(_("barcode"), max_length=64)

    class Meta:
        verbose_name = _("barcode")
        verbose_name_plural = _("barcode")
        constraints = [
            models.UniqueConstraint(fields=["site", "code"], name="shop_barcode_per_site")
        ]

    def __str__(self) -> str:
        return self.code


class PriceChange(models.Model):
    """History of selling prices (append-only): who, when, old, new."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="price_changes")
    old_price_rp = models.BigIntegerField(_("harga lama"), null=True, blank=True)
    new_price_rp = models.BigIntegerField(_("harga baru"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("waktu"))
    reason = models.CharField(_("alasan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("perubahan harga")
        verbose_name_plural = _("perubahan harga")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.old_price_rp} -> {self.new_price_rp}"


class StockMoveKind(models.TextChoices):
    RECEIPT = "receipt", _("Barang masuk")
    SALE = "sale", _("Penjualan")
    VOID = "void", _("Pembatalan penjualan")
    RETURN = "return", _("Retur")
    ADJUSTMENT = "adjustment", _("Penyesuaian")
    COUNT = "count", _("Stok opname")


class StockMove(models.Model):
    """One change of stock (append-only). `quantity` is signed: + in, - out."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="moves")
    kind = models.CharField(_("jenis"), max_length=12, choices=StockMoveKind.choices)
    quantity = models.IntegerField(_("jumlah"))
    unit_cost_rp = models.BigIntegerField(_("harga pokok per satuan"), default=0)
    supplier = models.CharField(_("pemasok"), max_length=120, blank=True)
    reason = models.CharField(_("alasan"), max_length=200, blank=True)
    reference = models.CharField(_("referensi"), max_length=64, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("waktu"))

    class Meta:
        verbose_name = _("mutasi stok")
        verbose_name_plural = _("mutasi stok")
        indexes = [
            models.Index(fields=["product", "created_at"], name="shop_move_product_time"),
            models.Index(fields=["site", "created_at"], name="shop_move_site_time"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="shop_move_quantity_not_zero"),
            models.CheckConstraint(
                condition=Q(unit_cost_rp__gte=0), name="shop_move_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity:+d}"


class StockCountStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    CONFIRMED = "confirmed", _("Dikonfirmasi")
    CANCELLED = "cancelled", _("Dibatalkan")


class StockCount(models.Model):
    """A stock count (opname): counted quantities against the books; confirming posts the
    variances as COUNT moves."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("nomor"), max_length=32)
    status = models.CharField(
        _("status"), max_length=12, choices=StockCountStatus.choices, default=StockCountStatus.DRAFT
    )
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("stok opname")
        verbose_name_plural = _("stok opname")
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="shop_count_number_per_site")
        ]

    def __str__(self) -> str:
        return self.number


class StockCountLine(models.Model):
    count = models.ForeignKey(StockCount, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    # The books when the line was (re)counted; the variance posted is counted - expected at confirm.
    expected_qty = models.IntegerField(_("stok tercatat"))
    counted_qty = models.PositiveIntegerField(_("stok dihitung"), null=True, blank=True)
    unit_cost_rp = models.BigIntegerField(_("harga pokok"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["count", "product"], name="shop_count_line_once")
        ]

    def __str__(self) -> str:
        return f"{self.count_id}/{self.product_id}"

    @property
    def variance(self) -> int | None:
        return None if self.counted_qty is None else self.counted_qty - self.expected_qty


class ShiftStatus(models.TextChoices):
    OPEN = "open", _("Buka")
    CLOSED = "closed", _("Tutup")


class ShopShift(models.Model):
    """A cashier's turn on one POS terminal (a registered Device of kind POS), closed with a
    Z-report whose figures are frozen in `z_report` (JSON) and must equal the ledger."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    terminal = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="+")
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("nomor"), max_length=32)
    opened_at = models.DateTimeField(_("dibuka"))
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    # Receipts of the shift are numbered "<shift number>-0001", … from this counter, so
    # numbering locks only this terminal's own row, never a site-wide one.
    receipt_seq = models.PositiveIntegerField(default=0, editable=False)
    z_report = models.JSONField(_("laporan Z"), null=True, blank=True)
    ledger_matches = models.BooleanField(_("cocok dengan buku besar"), null=True)

    class Meta:
        verbose_name = _("shift kasir")
        verbose_name_plural = _("shift kasir")
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="shop_shift_number_per_site"),
            models.UniqueConstraint(
                fields=["terminal"],
                condition=Q(closed_at__isnull=True),
                name="shop_shift_one_open_per_terminal",
            ),
            models.UniqueConstraint(
                fields=["cashier"],
                condition=Q(closed_at__isnull=True),
                name="shop_shift_one_open_per_cashier",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class PosBasket(models.Model):
    """The basket on a till for one cashier, under the checkout key it was born with.

    Kept in its own row, not in the session: Django writes the whole session back at the end of
    every request (`SESSION_SAVE_EVERY_REQUEST` restarts the idle time), so a request that ran
    alongside a basket change (the name suggestions fetched while the scanner types) wrote back
    the basket it had read and undid the change. A basket change locks only this row."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    terminal = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="+")
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=64, unique=True)
    # [[product id, quantity], ...] in the order the lines were added
    lines = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("keranjang kasir")
        verbose_name_plural = _("keranjang kasir")
        constraints = [
            models.UniqueConstraint(
                fields=["terminal", "cashier"], name="shop_basket_one_per_till_and_cashier"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class SaleStatus(models.TextChoices):
    COMPLETED = "completed", _("Selesai")
    VOIDED = "voided", _("Dibatalkan")


class SaleSource(models.TextChoices):
    POS = "pos", _("Kasir")
    API = "api", _("Terminal (API)")
    PREORDER = "preorder", _("Pesanan dari blok")


class Sale(models.Model):
    """One receipt. The money is the ledger batch `batch` (a PURCHASE from the inmate)."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("nomor struk"), max_length=32)
    shift = models.ForeignKey(
        ShopShift, on_delete=models.PROTECT, null=True, blank=True, related_name="sales"
    )
    inmate = models.ForeignKey(Inmate, on_delete=models.PROTECT, related_name="+")
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("sumber"), max_length=12, choices=SaleSource.choices)
    total_rp = models.BigIntegerField(_("total"))
    balance_after_rp = models.BigIntegerField(_("sisa saldo"))
    status = models.CharField(
        _("status"), max_length=12, choices=SaleStatus.choices, default=SaleStatus.COMPLETED
    )
    idempotency_key = models.CharField(max_length=100)
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("waktu"))
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    void_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    void_reason = models.CharField(_("alasan pembatalan"), max_length=200, blank=True)
    void_batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("penjualan")
        verbose_name_plural = _("penjualan")
        indexes = [
            models.Index(fields=["site", "created_at"], name="shop_sale_site_time"),
            models.Index(fields=["inmate", "created_at"], name="shop_sale_inmate_time"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="shop_sale_number_per_site"),
            models.UniqueConstraint(
                fields=["site", "idempotency_key"], name="shop_sale_key_per_site"
            ),
            models.CheckConstraint(condition=Q(total_rp__gt=0), name="shop_sale_total_positive"),
        ]

    def __str__(self) -> str:
        return self.number


class SaleLine(models.Model):
    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nama"), max_length=120)  # as printed on the receipt
    category_name = models.CharField(max_length=80)
    quantity = models.PositiveIntegerField(_("jumlah"))
    unit_price_rp = models.BigIntegerField(_("harga"))
    unit_cost_rp = models.BigIntegerField(_("harga pokok"))
    returned_qty = models.PositiveIntegerField(_("sudah diretur"), default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="shop_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(returned_qty__lte=F("quantity")), name="shop_line_return_within_qty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} x{self.quantity}"

    @property
    def total_rp(self) -> int:
        return self.quantity * self.unit_price_rp


class SaleReturn(models.Model):
    """Items brought back against an earlier receipt, approved by a shop manager. The money
    back is a ledger REFUND batch."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("nomor retur"), max_length=32)
    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="returns")
    shift = models.ForeignKey(
        ShopShift, on_delete=models.PROTECT, null=True, blank=True, related_name="returns"
    )
    total_rp = models.BigIntegerField(_("total"))
    reason = models.CharField(_("alasan"), max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.CharField(max_length=100)
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("waktu"))

    class Meta:
        verbose_name = _("retur")
        verbose_name_plural = _("retur")
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="shop_return_number_per_site"),
            models.UniqueConstraint(
                fields=["site", "idempotency_key"], name="shop_return_key_per_site"
            ),
            models.CheckConstraint(condition=Q(total_rp__gt=0), name="shop_return_total_positive"),
        ]

    def __str__(self) -> str:
        return self.number


class ReturnLine(models.Model):
    sale_return = models.ForeignKey(SaleReturn, on_delete=models.PROTECT, related_name="lines")
    sale_line = models.ForeignKey(SaleLine, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("jumlah"))

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="shop_return_line_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sale_line_id} x{self.quantity}"


class PreOrderStatus(models.TextChoices):
    OPEN = "open", _("Menunggu diantar")
    DELIVERED = "delivered", _("Diterima")
    CANCELLED = "cancelled", _("Dibatalkan")
    EXPIRED = "expired", _("Kedaluwarsa")


class PreOrder(models.Model):
    """An order placed from the block (kiosk). Its total is held on the card (a ledger HOLD
    transfer); at delivery the hold is posted for what was delivered and a Sale is written."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("nomor pesanan"), max_length=32)
    inmate = models.ForeignKey(Inmate, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=PreOrderStatus.choices, default=PreOrderStatus.OPEN
    )
    total_rp = models.BigIntegerField(_("total"))
    hold = models.OneToOneField(Transfer, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=100)
    created_at = models.DateTimeField(_("dipesan"))
    expires_at = models.DateTimeField(_("batas antar"))
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=200, blank=True)
    sale = models.OneToOneField(
        Sale, on_delete=models.PROTECT, null=True, blank=True, related_name="preorder"
    )

    class Meta:
        verbose_name = _("pesanan dari blok")
        verbose_name_plural = _("pesanan dari blok")
        indexes = [models.Index(fields=["site", "status", "expires_at"], name="shop_po_due")]
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="shop_po_number_per_site"),
            models.UniqueConstraint(
                fields=["site", "idempotency_key"], name="shop_po_key_per_site"
            ),
            models.CheckConstraint(condition=Q(total_rp__gt=0), name="shop_po_total_positive"),
        ]

    def __str__(self) -> str:
        return self.number


class PreOrderLine(models.Model):
    order = models.ForeignKey(PreOrder, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nama"), max_length=120)
    quantity = models.PositiveIntegerField(_("jumlah"))
    unit_price_rp = models.BigIntegerField(_("harga"))
    delivered_qty = models.PositiveIntegerField(_("diantar"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="shop_po_line_qty_positive"),
            models.CheckConstraint(
                condition=Q(delivered_qty__isnull=True) | Q(delivered_qty__lte=F("quantity")),
                name="shop_po_line_delivered_within_qty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} x{self.quantity}"


class CatalogueImport(models.Model):
    """One uploaded catalogue file (CSV or XLSX), kept as its decoded rows for the preview;
    applied whole or not at all."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=200)
    # [header, row, row, ...] as text cells; the file's line number is the index + 1.
    rows = models.JSONField(default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # format, encoding, delimiter and row count at upload; the outcome once applied.
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("impor katalog")
        verbose_name_plural = _("impor katalog")
        indexes = [models.Index(fields=["site", "uploaded_at"], name="shop_import_site_uploaded")]

    def __str__(self) -> str:
        return self.filename
