"""Forms of the money office screens (bank, reconciliation, closing, monitoring, rules,
exceptions, adjustments, reversals). They parse input; the services decide what is allowed."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from pandai.core.models import Site
from pandai.core.money import MoneyError, parse_rp
from pandai.inmates.models import Inmate
from pandai.wallet.models import INMATE_KINDS, Account, AccountKind

MAX_AMOUNT_RP = 1_000_000_000_000
REASON = {"rows": 2, "maxlength": 1000}


class MoneyField(forms.Field):
    """'Rp 50.000', '50000', '50.000,00' -> 50000 (whole rupiah, never a float)."""

    default_error_messages = {
        "invalid": _("Tulis jumlah rupiah dengan angka saja, mis. 50.000."),
        "not_positive": _("Jumlah harus lebih dari nol."),
        "too_large": _("Jumlah terlalu besar."),
    }

    def __init__(self, **kwargs: Any) -> None:
        attrs = {"inputmode": "numeric", "autocomplete": "off", "maxlength": 24}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
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
        if amount == 0:
            raise forms.ValidationError(self.error_messages["not_positive"], code="not_positive")
        if amount > MAX_AMOUNT_RP:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        return amount


def reason_field(label: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Alasan"), max_length=1000, widget=forms.Textarea(attrs=REASON)
    )


class InmateByRegNoField(forms.CharField):
    """A registration number typed by the officer, resolved at the acting site."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("No. registrasi WBP"))
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)
        self.site: Site | None = None

    def clean(self, value: Any) -> Inmate | None:
        text = super().clean(value)
        if not text:
            return None
        inmate = Inmate.objects.filter(site=self.site, reg_no__iexact=text.strip()).first()
        if inmate is None:
            raise forms.ValidationError(_("Tidak ada WBP dengan no. registrasi itu di UPT ini."))
        return inmate


class SiteForm(forms.Form):
    """A form whose inmate fields look inmates up at the acting site."""

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site = site
        for field in self.fields.values():
            if isinstance(field, InmateByRegNoField):
                field.site = site


class DayForm(forms.Form):
    tanggal = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))


class ReconcileUploadForm(forms.Form):
    day = forms.DateField(
        label=_("Tanggal rekening koran"), widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(label=_("Berkas CSV dari bank"))


class SuspenseAssignForm(SiteForm):
    inmate = InmateByRegNoField()
    note = reason_field(_("Dasar pengalihan (mis. konfirmasi pengirim)"))


class SuspenseReturnForm(forms.Form):
    reason = reason_field(_("Alasan pengembalian"))


class FlagDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[
            ("dismiss", _("Abaikan: wajar")),
            ("escalate", _("Teruskan untuk pemeriksaan")),
            ("freeze", _("Bekukan rekening belanja WBP")),
        ],
        widget=forms.RadioSelect,
    )
    reason = reason_field()


class RuleForm(forms.Form):
    threshold_n = forms.IntegerField(label=_("Ambang (N)"), min_value=1, max_value=1000)
    window_days = forms.IntegerField(label=_("Jangka (hari)"), min_value=1, max_value=366)
    amount_rp = MoneyField(label=_("Nominal acuan (kosong: setoran maksimum UPT)"), required=False)
    margin_pct = forms.IntegerField(
        label=_("Selisih di bawah batas (%)"), min_value=0, max_value=50, required=False
    )
    active = forms.BooleanField(label=_("Aktif"), required=False)


class LedgerSettingsForm(forms.Form):
    balance_cap_rp = MoneyField(label=_("Batas saldo belanja"))
    daily_limit_rp = MoneyField(
        label=_("Batas belanja harian (kosong: tanpa batas)"), required=False
    )
    monthly_limit_rp = MoneyField(
        label=_("Batas belanja bulanan (kosong: tanpa batas)"), required=False
    )
    max_deposit_rp = MoneyField(label=_("Setoran maksimum per setoran"), required=False)
    max_deposits_per_day = forms.IntegerField(
        label=_("Setoran per WBP per hari"), min_value=1, max_value=100, required=False
    )
    savings_share_pct = forms.IntegerField(
        label=_("Bagian tabungan premi (%)"), min_value=0, max_value=100
    )


class LimitExceptionForm(SiteForm):
    inmate = InmateByRegNoField()
    daily_limit_rp = MoneyField(label=_("Batas harian khusus"), required=False)
    monthly_limit_rp = MoneyField(label=_("Batas bulanan khusus"), required=False)
    valid_from = forms.DateField(
        label=_("Berlaku mulai"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Berlaku sampai (termasuk)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = reason_field()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        no_limit = data.get("daily_limit_rp") is None and data.get("monthly_limit_rp") is None
        if no_limit and "daily_limit_rp" not in self.errors:
            self.add_error("daily_limit_rp", _("Isi batas harian atau bulanan."))
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("Tanggal akhir harus sesudah tanggal mulai."))
        return data

    def period(self) -> tuple[dt.datetime, dt.datetime]:
        """Whole days in the site's time zone: [from 00:00, until + 1 day 00:00)."""
        tz = ZoneInfo(self.site.time_zone)
        start = dt.datetime.combine(self.cleaned_data["valid_from"], dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(self.cleaned_data["valid_until"], dt.time.min, tzinfo=tz)
        return start, end + dt.timedelta(days=1)


class RevokeForm(forms.Form):
    reason = reason_field(_("Alasan pencabutan"))


class AdjustmentRequestForm(SiteForm):
    inmate = InmateByRegNoField(required=False, label=_("No. registrasi WBP (rekening WBP)"))
    inmate_kind = forms.ChoiceField(
        label=_("Rekening WBP"),
        choices=[(k.value, k.label) for k in INMATE_KINDS],
        initial=AccountKind.SPENDABLE,
    )
    system_account = forms.ModelChoiceField(
        label=_("atau rekening UPT"),
        queryset=Account.objects.none(),
        required=False,
        empty_label=_("— bukan rekening UPT —"),
    )
    direction = forms.ChoiceField(
        label=_("Arah"),
        choices=[("credit", _("Menambah saldo")), ("debit", _("Mengurangi saldo"))],
        widget=forms.RadioSelect,
    )
    amount_rp = MoneyField(label=_("Jumlah"))
    reason = reason_field()

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, site=site, **kwargs)
        field = self.fields["system_account"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Account.objects.filter(site=site, inmate__isnull=True).order_by(
            "kind", "code"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        inmate, system = data.get("inmate"), data.get("system_account")
        if "inmate" in self.errors:
            return data
        if (inmate is None) == (system is None):
            self.add_error("inmate", _("Pilih satu: rekening WBP atau rekening UPT."))
            return data
        if inmate is not None:
            account = Account.objects.filter(inmate=inmate, kind=data.get("inmate_kind")).first()
            if account is None:
                self.add_error("inmate", _("WBP ini belum punya rekening itu."))
            data["account"] = account
        else:
            data["account"] = system
        return data


class RejectForm(forms.Form):
    reason = reason_field(_("Alasan penolakan"))


class ReverseForm(forms.Form):
    transfer = forms.IntegerField(label=_("No. transaksi"), min_value=1)
    reason = reason_field(_("Alasan pembatalan"))
