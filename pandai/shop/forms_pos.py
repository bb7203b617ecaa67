"""Forms of the cashier's screens: terminal pairing, scans and basket lines, card and PIN, the
manager's approval for voids and returns, and the quantities of a return."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pandai.shop.models import Sale
from pandai.shop.pos_basket import MAX_QUANTITY


class PairForm(forms.Form):
    token = forms.CharField(
        label=_("Token terminal"),
        max_length=200,
        strip=True,
        help_text=_("Token yang ditampilkan sekali saat admin mendaftarkan terminal kasir."),
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "data-autofocus": ""}),
    )


class ScanForm(forms.Form):
    code = forms.CharField(label=_("Barcode atau nama barang"), max_length=64, strip=True)


class ProductForm(forms.Form):
    product = forms.IntegerField(min_value=1)


class LineForm(forms.Form):
    OPS = (("inc", "+"), ("dec", "-"), ("remove", "x"), ("set", "="))
    product = forms.IntegerField(min_value=1)
    op = forms.ChoiceField(choices=OPS)
    quantity = forms.IntegerField(
        label=_("Jumlah"), min_value=0, max_value=MAX_QUANTITY, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("op") == "set" and data.get("quantity") is None:
            self.add_error(
                "quantity", _("Isi jumlah antara 0 dan %(max)d.") % {"max": MAX_QUANTITY}
            )
        return data


class CardForm(forms.Form):
    card = forms.CharField(label=_("Kartu"), max_length=64, strip=True)


class PayForm(forms.Form):
    key = forms.CharField(max_length=80, widget=forms.HiddenInput)
    card = forms.CharField(max_length=64, widget=forms.HiddenInput)
    # The total the pay screen showed: the checkout refuses if today's prices make another.
    total = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    pin = forms.CharField(
        label=_("PIN"),
        max_length=12,
        strip=True,
        widget=forms.PasswordInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*"}
        ),
    )


class ApprovalForm(forms.Form):
    """A shop manager confirms at the cashier's screen with their own login."""

    reason = forms.CharField(label=_("Alasan"), max_length=200, strip=True)
    approver = forms.CharField(
        label=_("Nama pengguna pengelola koperasi"),
        max_length=150,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    secret = forms.CharField(
        label=_("Kata sandi pengelola"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class ReturnFindForm(forms.Form):
    number = forms.CharField(label=_("Nomor struk"), max_length=32, strip=True)


class ReturnForm(ApprovalForm):
    """One quantity field per receipt line (never more than bought minus returned)."""

    key = forms.CharField(max_length=80, widget=forms.HiddenInput)

    def __init__(self, *args: Any, sale: Sale, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sale = sale
        self.line_fields: list[tuple[Any, str]] = []
        for line in sale.lines.all().order_by("pk"):
            left = line.quantity - line.returned_qty
            name = f"line_{line.pk}"
            self.fields[name] = forms.IntegerField(
                label=line.name,
                min_value=0,
                max_value=left,
                initial=0,
                required=False,
                disabled=left == 0,
                widget=forms.NumberInput(attrs={"class": "qty", "inputmode": "numeric"}),
            )
            self.line_fields.append((line, name))
        # the reason and approval after the lines, as the cashier fills them in
        self.order_fields([n for _line, n in self.line_fields] + ["reason", "approver", "secret"])

    def rows(self) -> list[tuple[Any, forms.BoundField]]:
        return [(line, self[name]) for line, name in self.line_fields]

    def quantities(self) -> dict[int, int]:
        data = self.cleaned_data
        return {line.pk: data[name] for line, name in self.line_fields if data.get(name)}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.quantities():
            raise forms.ValidationError(
                _("Isi jumlah yang dikembalikan untuk minimal satu barang.")
            )
        return data
