"""Forms of the registry screens. They parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pandai.core.models import Site
from pandai.inmates import selectors
from pandai.inmates.models import Block, CardStatus, Gender, LegalStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class CellChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        occupants = getattr(obj, "occupants", None)
        fill = f" ({occupants}/{obj.capacity})" if occupants is not None else ""
        return f"{obj.block.name} / {obj.code}{fill}"


def cell_field(site: Site, *, required: bool) -> CellChoiceField:
    return CellChoiceField(
        queryset=selectors.cells_for_site(site=site),
        required=required,
        label=_("Blok / kamar"),
        empty_label=_("— pilih kamar —"),
    )


class InmateEditForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    alias = forms.CharField(label=_("Alias"), max_length=80, required=False)
    nik = forms.RegexField(
        label=_("NIK"),
        regex=r"^\d{16}$",
        required=False,
        error_messages={"invalid": _("NIK harus 16 angka atau dikosongkan.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 16}),
    )
    gender = forms.ChoiceField(label=_("Jenis kelamin"), choices=Gender.choices)
    birth_date = forms.DateField(label=_("Tanggal lahir"), required=False, widget=DateInput())
    legal_status = forms.ChoiceField(label=_("Status hukum"), choices=LegalStatus.choices)
    admission_date = forms.DateField(label=_("Tanggal masuk"), widget=DateInput())
    expected_release_date = forms.DateField(
        label=_("Perkiraan bebas"), required=False, widget=DateInput()
    )


class InmateAdmitForm(InmateEditForm):
    reg_no = forms.CharField(
        label=_("No. registrasi"),
        max_length=32,
        widget=forms.TextInput(attrs={"placeholder": "AI.123/2024", "data-autofocus": ""}),
    )
    field_order = ["reg_no"]

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cell"] = cell_field(site, required=False)


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Foto (JPEG atau PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )


class MoveForm(forms.Form):
    date = forms.DateField(label=_("Tanggal pindah"), widget=DateInput())
    note = forms.CharField(label=_("Catatan"), required=False, max_length=500)

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cell"] = cell_field(site, required=True)
        self.order_fields(["cell", "date", "note"])


class ReleaseForm(forms.Form):
    date = forms.DateField(label=_("Tanggal bebas"), widget=DateInput())
    note = forms.CharField(
        label=_("Dasar / catatan (mis. nomor surat)"), required=False, max_length=500
    )


class TransferForm(forms.Form):
    to_site = forms.ModelChoiceField(
        queryset=Site.objects.none(), label=_("UPT tujuan"), empty_label=_("— pilih UPT —")
    )
    date = forms.DateField(label=_("Tanggal mutasi"), widget=DateInput())
    note = forms.CharField(label=_("Dasar / catatan"), required=False, max_length=500)

    def __init__(self, *args: Any, targets: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_site"].queryset = targets  # type: ignore[attr-defined]


class DisciplineForm(forms.Form):
    date = forms.DateField(label=_("Tanggal pelanggaran"), widget=DateInput())
    offence = forms.CharField(label=_("Pelanggaran"), max_length=200)
    sanction = forms.CharField(label=_("Sanksi"), max_length=200)
    end_date = forms.DateField(label=_("Sanksi berakhir"), required=False, widget=DateInput())
    restricts_shop = forms.BooleanField(
        label=_("Koperasi: hanya kebutuhan pokok selama sanksi"), required=False
    )
    restricts_programs = forms.BooleanField(
        label=_("Tidak boleh ikut program tertentu selama sanksi"), required=False
    )


class BlockForm(forms.Form):
    code = forms.CharField(label=_("Kode blok"), max_length=16)
    name = forms.CharField(label=_("Nama blok"), max_length=80)
    capacity = forms.IntegerField(label=_("Kapasitas"), min_value=0, max_value=10000)


class CellForm(forms.Form):
    block = forms.ModelChoiceField(
        queryset=Block.objects.none(), label=_("Blok"), empty_label=_("— pilih blok —")
    )
    code = forms.CharField(label=_("Kode kamar"), max_length=16)
    capacity = forms.IntegerField(label=_("Kapasitas"), min_value=0, max_value=10000)

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["block"].queryset = Block.objects.filter(site=site)  # type: ignore[attr-defined]


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Kapasitas"), min_value=0, max_value=10000)


class CardIssueForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan penggantian (jika mengganti kartu)"), required=False, max_length=200
    )
    uid = forms.CharField(
        label=_("Nomor kartu (tempelkan kartu pada pembaca)"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"id": "card-uid", "autocomplete": "off", "data-autofocus": "", "size": 24}
        ),
    )


class CardStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status baru"),
        choices=[
            (CardStatus.BLOCKED, _("Blokir")),
            (CardStatus.LOST, _("Hilang")),
            (CardStatus.ACTIVE, _("Aktifkan kembali")),
        ],
    )
    reason = forms.CharField(label=_("Alasan"), max_length=200)


def _pin_widget(element_id: str) -> forms.PasswordInput:
    return forms.PasswordInput(
        attrs={
            "id": element_id,
            "inputmode": "numeric",
            "pattern": "[0-9]{6}",
            "maxlength": 6,
            "autocomplete": "off",
            "class": "pin-input",
        }
    )


class PinForm(forms.Form):
    pin1 = forms.CharField(label=_("PIN baru (6 angka)"), widget=_pin_widget("pin1"))
    pin2 = forms.CharField(label=_("Ulangi PIN baru"), widget=_pin_widget("pin2"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("pin1") and data.get("pin2") and data["pin1"] != data["pin2"]:
            raise forms.ValidationError(_("Kedua PIN tidak sama. Masukkan lagi."))
        return data


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas CSV dari SDP"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class ImportApplyForm(forms.Form):
    skip_errors = forms.BooleanField(
        label=_("Lewati baris galat dan terapkan baris lainnya"), required=False
    )
