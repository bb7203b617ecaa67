"""Forms of the catalogue and stock screens. They parse input; the services decide what is
allowed and their refusals are shown as they are."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pandai.core.models import Site
from pandai.shop.models import Category, Product
from pandai.shop.services.catalogue import MAX_LIMIT, ProductInput
from pandai.wallet.forms import RupiahField

NUMBER = {"inputmode": "numeric", "autocomplete": "off"}


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Nama kategori"), max_length=80)
    sort_order = forms.IntegerField(
        label=_("Urutan"), min_value=0, max_value=9999, initial=0, required=False
    )


def _categories(site: Site) -> Any:
    return Category.objects.filter(site=site).order_by("sort_order", "name")


class ProductForm(forms.Form):
    sku = forms.CharField(label=_("SKU"), max_length=40, help_text=_("Kode barang, mis. MI-001."))
    name = forms.CharField(label=_("Nama barang"), max_length=120)
    category = forms.ModelChoiceField(
        label=_("Kategori"), queryset=Category.objects.none(), empty_label=_("— pilih —")
    )
    unit = forms.CharField(label=_("Satuan"), max_length=20, initial="pcs")
    barcodes = forms.CharField(
        label=_("Barcode"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
        help_text=_("Satu barcode per baris (atau pisahkan dengan |). Pindai langsung ke sini."),
    )
    price_rp = RupiahField(label=_("Harga jual"))
    cost_rp = RupiahField(
        label=_("Harga pokok"),
        allow_zero=True,
        required=False,
        help_text=_("Diperbarui otomatis (rata-rata) setiap barang masuk."),
    )
    price_reason = forms.CharField(
        label=_("Alasan perubahan harga"),
        required=False,
        max_length=200,
        help_text=_("Wajib bila harga jual berubah; tampil di riwayat harga."),
    )
    min_stock = forms.IntegerField(
        label=_("Stok minimum"), min_value=0, max_value=1_000_000, initial=0, required=False
    )
    limit_per_day = forms.IntegerField(
        label=_("Batas per WBP per hari"),
        min_value=1,
        max_value=MAX_LIMIT,
        required=False,
        help_text=_("Kosongkan bila tanpa batas."),
    )
    limit_per_week = forms.IntegerField(
        label=_("Batas per WBP per minggu"),
        min_value=1,
        max_value=MAX_LIMIT,
        required=False,
        help_text=_("Kosongkan bila tanpa batas."),
    )
    essential = forms.BooleanField(
        label=_("Kebutuhan pokok (boleh dibeli WBP yang dibatasi belanjanya)"), required=False
    )
    is_active = forms.BooleanField(label=_("Aktif (dijual)"), required=False, initial=True)

    def __init__(self, *args: Any, site: Site, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _categories(site)
        if not editing:
            del self.fields["price_reason"]
        for name in ("min_stock", "limit_per_day", "limit_per_week"):
            self.fields[name].widget.attrs.update(NUMBER)

    @staticmethod
    def initial_for(product: Product) -> dict[str, Any]:
        return {
            "sku": product.sku,
            "name": product.name,
            "category": product.category_id,
            "unit": product.unit,
            "barcodes": "\n".join(product.barcodes.order_by("pk").values_list("code", flat=True)),
            "price_rp": product.price_rp,
            "cost_rp": product.cost_rp,
            "min_stock": product.min_stock,
            "limit_per_day": product.limit_per_day,
            "limit_per_week": product.limit_per_week,
            "essential": product.essential,
            "is_active": product.is_active,
        }

    def product_input(self) -> ProductInput:
        d = self.cleaned_data
        codes = d["barcodes"].replace("|", "\n").replace(",", "\n").splitlines()
        return ProductInput(
            sku=d["sku"],
            name=d["name"],
            category=d["category"],
            price_rp=d["price_rp"],
            unit=d["unit"],
            cost_rp=d.get("cost_rp") or 0,
            barcodes=tuple(c.strip() for c in codes if c.strip()),
            min_stock=d.get("min_stock") or 0,
            limit_per_day=d.get("limit_per_day"),
            limit_per_week=d.get("limit_per_week"),
            essential=d["essential"],
            is_active=d["is_active"],
        )


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Foto barang (JPEG/PNG)"))


class AdjustForm(forms.Form):
    DIRECTIONS = [("out", _("Kurangi stok")), ("in", _("Tambah stok"))]
    direction = forms.ChoiceField(
        label=_("Arah"), choices=DIRECTIONS, widget=forms.RadioSelect, initial="out"
    )
    quantity = forms.IntegerField(label=_("Jumlah"), min_value=1, max_value=1_000_000)
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=200,
        help_text=_("mis. kemasan rusak, kedaluwarsa, ditemukan di gudang."),
    )

    def signed_quantity(self) -> int:
        q = int(self.cleaned_data["quantity"])
        return -q if self.cleaned_data["direction"] == "out" else q


RECEIVE_LINES = 12


class ReceiveForm(forms.Form):
    """One delivery: a supplier and up to RECEIVE_LINES lines (code, quantity, unit cost)."""

    supplier = forms.CharField(label=_("Pemasok"), max_length=120)
    note = forms.CharField(
        label=_("Catatan (mis. no. faktur pemasok)"), max_length=200, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(RECEIVE_LINES):
            self.fields[f"code_{i}"] = forms.CharField(
                required=False,
                max_length=64,
                label=_("Barcode / SKU"),
                widget=forms.TextInput(attrs={"autocomplete": "off", "class": "code"}),
            )
            self.fields[f"qty_{i}"] = forms.IntegerField(
                required=False,
                min_value=1,
                max_value=1_000_000,
                label=_("Jumlah"),
                widget=forms.NumberInput(attrs={**NUMBER, "class": "qty"}),
            )
            self.fields[f"cost_{i}"] = RupiahField(
                required=False, allow_zero=True, label=_("Harga pokok / satuan")
            )

    def lines(self) -> list[tuple[int, str, int | None, int | None]]:
        """(index, code, quantity, unit cost) of the lines that say something."""
        d = self.cleaned_data
        out = []
        for i in range(RECEIVE_LINES):
            code = (d.get(f"code_{i}") or "").strip()
            qty, cost = d.get(f"qty_{i}"), d.get(f"cost_{i}")
            if code or qty or cost is not None:
                out.append((i, code, qty, cost))
        return out

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"code_{i}"], self[f"qty_{i}"], self[f"cost_{i}"]) for i in range(RECEIVE_LINES)
        ]


class CountCreateForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Kategori"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("Semua kategori"),
    )
    note = forms.CharField(label=_("Catatan"), max_length=200, required=False)

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _categories(site)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=160)


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas katalog (CSV atau XLSX)"))


class ImportApplyForm(forms.Form):
    skip_errors = forms.BooleanField(required=False)


class ShopSettingsForm(forms.Form):
    card_only = forms.BooleanField(label=_("Hanya pembayaran dengan Kartu Pandai"), required=False)
    preorder_hours = forms.IntegerField(
        label=_("Batas antar pesanan dari blok (jam)"), min_value=1, max_value=24 * 14
    )
    receipt_footer = forms.CharField(label=_("Catatan kaki struk"), max_length=200, required=False)
    receipt_printer = forms.CharField(
        label=_("Printer struk jaringan (host:port)"),
        max_length=100,
        required=False,
        help_text=_("mis. 192.168.1.50:9100; kosongkan untuk cetak dari peramban."),
    )
