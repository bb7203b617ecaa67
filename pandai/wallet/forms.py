"""Forms of the wallet's counter screens. They parse input; the services decide what is
allowed (limits, caps, shifts) and their refusals are shown as they are."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pandai.core.models import Site
from pandai.core.money import MoneyError, parse_rp
from pandai.wallet.models import AccountKind
from pandai.wallet.models_counter import Counter, PayoutMethod, Relationship

# Far above any real amount here, far below what a BigIntegerField holds.
MAX_AMOUNT_RP = 1_000_000_000_000


class RupiahField(forms.Field):
    """'Rp 50.000', '50000', '50.000,00' -> 50000 (whole rupiah, never a float)."""

    default_error_messages = {
        "invalid": _("Tulis jumlah rupiah dengan angka saja, mis. 50.000."),
        "not_positive": _("Jumlah harus lebih dari nol."),
        "too_large": _("Jumlah terlalu besar."),
        "required": _("Isi jumlahnya."),
    }

    def __init__(self, *, allow_zero: bool = False, **kwargs: Any) -> None:
        self.allow_zero = allow_zero
        attrs = {"inputmode": "numeric", "autocomplete": "off", "maxlength": 24}
        kwargs.setdefault("widget", forms.TextInput(attrs={**attrs, "placeholder": "50.000"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        if text.startswith("-"):
            raise forms.ValidationError(self.error_messages["not_positive"], code="not_positive")
        try:
            amount = parse_rp(text)
        except MoneyError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if amount == 0 and not self.allow_zero:
            raise forms.ValidationError(self.error_messages["not_positive"], code="not_positive")
        if amount > MAX_AMOUNT_RP:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        return amount


def new_form_key() -> str:
    return str(uuid.uuid4())


class ShiftOpenForm(forms.Form):
    counter = forms.ModelChoiceField(
        label=_("Loket"), queryset=Counter.objects.none(), empty_label=_("— pilih loket —")
    )
    opening_cash = RupiahField(label=_("Kas awal (uang di laci saat dibuka)"), allow_zero=True)

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["counter"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Counter.objects.filter(site=site, is_active=True).order_by("code")


class ShiftCloseForm(forms.Form):
    counted_cash = RupiahField(label=_("Kas dihitung (uang di laci sekarang)"), allow_zero=True)
    reason = forms.CharField(
        label=_("Alasan selisih (wajib bila ada selisih)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CounterForm(forms.Form):
    code = forms.CharField(label=_("Kode loket"), max_length=40, help_text=_("mis. LOKET-1"))
    name = forms.CharField(label=_("Nama loket"), max_length=120)


class FindInmateForm(forms.Form):
    q = forms.CharField(
        label=_("Cari WBP: nama, no. registrasi, atau tap kartu"),
        max_length=100,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "data-autofocus": "", "data-card-input": ""}
        ),
    )


class DepositForm(forms.Form):
    key = forms.UUIDField(widget=forms.HiddenInput)
    depositor_name = forms.CharField(
        label=_("Nama penyetor"),
        max_length=150,
        error_messages={"required": _("Nama penyetor wajib diisi.")},
    )
    depositor_nik = forms.RegexField(
        label=_("NIK penyetor"),
        regex=r"^\d{16}$",
        error_messages={
            "invalid": _("NIK penyetor harus 16 angka."),
            "required": _("NIK penyetor wajib diisi."),
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "maxlength": 16, "autocomplete": "off"}
        ),
    )
    relationship = forms.ChoiceField(
        label=_("Hubungan dengan WBP"),
        choices=[("", _("— pilih —")), *Relationship.choices],
        error_messages={
            "required": _("Pilih hubungan penyetor dengan WBP."),
            "invalid_choice": _("Pilih hubungan penyetor dengan WBP."),
        },
    )
    depositor_phone = forms.CharField(
        label=_("No. HP"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    amount = RupiahField(label=_("Jumlah titipan (Rp)"))

    def clean_depositor_nik(self) -> str:
        return str(self.cleaned_data["depositor_nik"]).strip()


class PeriodForm(forms.Form):
    dari = forms.DateField(
        label=_("Dari"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    sampai = forms.DateField(
        label=_("Sampai"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    rekening = forms.ChoiceField(
        label=_("Rekening"),
        required=False,
        choices=[
            (AccountKind.SPENDABLE.value, AccountKind.SPENDABLE.label),
            (AccountKind.SAVINGS.value, AccountKind.SAVINGS.label),
            (AccountKind.HELD.value, AccountKind.HELD.label),
        ],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("dari"), data.get("sampai")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("Tanggal awal harus sebelum tanggal akhir."))
            if (end - start).days > 400:
                raise forms.ValidationError(_("Periode paling panjang 400 hari."))
        return data


class PayoutForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Cara bayar"), choices=PayoutMethod.choices, widget=forms.RadioSelect
    )
    bank_reference = forms.CharField(
        label=_("Referensi transfer bank"), required=False, max_length=80
    )
    note = forms.CharField(
        label=_("Catatan"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == PayoutMethod.BANK and not data.get("bank_reference", "").strip():
            self.add_error("bank_reference", _("Isi referensi transfer bank (no. bukti transfer)."))
        return data


class SiteTransferForm(forms.Form):
    to_site = forms.ModelChoiceField(
        label=_("UPT tujuan"), queryset=Site.objects.none(), empty_label=_("— pilih UPT —")
    )
    date = forms.DateField(
        label=_("Tanggal mutasi"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("Catatan"), required=False, max_length=500)

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_site"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = targets


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
