"""Forms of the complaint desk. They parse input; the services decide what is allowed and
their refusals are shown as they are."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pandai.complaints.models import (
    Category,
    ComplaintType,
    EmergencyKind,
    Identity,
    RejectReason,
    ResponseTemplate,
)
from pandai.core.models import Site, User
from pandai.inmates.models import Inmate
from pandai.inmates.services import card_find

# The browser may send more than the service accepts: the service gives the clear message.
TEXT_WIDGET = forms.Textarea(attrs={"rows": 6, "maxlength": 20000})


class InmateRefField(forms.CharField):
    """A registration number, or a card tapped on the reader; resolved to an inmate of the
    acting site by the form."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "off", "data-card-input": ""})
        )
        super().__init__(**kwargs)


class IntakeForm(forms.Form):
    """Common fields of every intake channel (box slip, oral, counter)."""

    kind = forms.ChoiceField(label=_("Jenis"), choices=ComplaintType.choices)
    category = forms.ModelChoiceField(label=_("Kategori"), queryset=Category.objects.none())
    identity = forms.ChoiceField(
        label=_("Identitas pelapor"),
        choices=Identity.choices,
        widget=forms.RadioSelect,
        initial=Identity.CONFIDENTIAL,
        help_text=_(
            "Dirahasiakan: hanya Karutan dan petugas pengaduan yang menangani dapat melihat. "
            "Anonim: tidak ada identitas yang disimpan; kode tindak lanjut satu-satunya kunci."
        ),
    )
    inmate_ref = InmateRefField(
        label=_("WBP pelapor (no. registrasi atau tap kartu)"),
        help_text=_("Kosongkan untuk pengaduan anonim."),
    )
    text = forms.CharField(
        label=_("Isi pengaduan (ditulis apa adanya)"), widget=TEXT_WIDGET, required=False
    )
    is_emergency = forms.BooleanField(label=_("Darurat"), required=False)
    emergency_kind = forms.ChoiceField(
        label=_("Jenis darurat"),
        choices=[("", "—"), *EmergencyKind.choices],
        required=False,
    )
    named_staff = forms.ModelMultipleChoiceField(
        label=_("Petugas yang diadukan"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Petugas ini tidak akan dapat melihat atau menangani pengaduan."),
    )

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site = site
        self.fields["category"].queryset = Category.objects.filter(  # type: ignore[attr-defined]
            site=site, is_active=True
        )
        self.fields["named_staff"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True, memberships__site=site)
            .distinct()
            .order_by("full_name", "username")
        )

    def clean_inmate_ref(self) -> Inmate | None:
        raw = (self.cleaned_data.get("inmate_ref") or "").strip()
        if not raw:
            return None
        inmate = Inmate.objects.filter(site=self.site, reg_no__iexact=raw).first()
        if inmate is None:
            card = card_find(site=self.site, raw=raw)
            inmate = card.inmate if card is not None else None
        if inmate is None:
            raise forms.ValidationError(_("WBP dengan nomor atau kartu itu tidak ditemukan."))
        return inmate


class SlipForm(IntakeForm):
    scan = forms.FileField(
        label=_("Pindaian lembar (JPEG, PNG atau PDF, opsional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )


class CounterIntakeForm(IntakeForm):
    contact_name = forms.CharField(
        label=_("Nama keluarga / pengunjung"), max_length=150, required=False
    )
    contact_relation = forms.CharField(
        label=_("Hubungan dengan WBP"), max_length=80, required=False
    )
    contact_phone = forms.CharField(label=_("Telepon"), max_length=30, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inmate_ref"].label = _("WBP yang bersangkutan (opsional)")
        self.fields["inmate_ref"].help_text = ""


class OpeningForm(forms.Form):
    opened_at = forms.DateTimeField(
        label=_("Waktu pembukaan"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    location = forms.CharField(label=_("Lokasi kotak"), max_length=120)
    officer_1 = forms.ModelChoiceField(label=_("Petugas 1"), queryset=User.objects.none())
    officer_2 = forms.ModelChoiceField(label=_("Petugas 2"), queryset=User.objects.none())
    slip_count = forms.IntegerField(label=_("Jumlah lembar ditemukan"), min_value=0, max_value=1000)
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff: QuerySet[User] = (
            User.objects.filter(is_active=True, memberships__site=site)
            .distinct()
            .order_by("full_name", "username")
        )
        self.fields["officer_1"].queryset = staff  # type: ignore[attr-defined]
        self.fields["officer_2"].queryset = staff  # type: ignore[attr-defined]


class VerifyForm(forms.Form):
    title = forms.CharField(label=_("Ringkasan (satu baris)"), max_length=200, required=False)
    category = forms.ModelChoiceField(label=_("Kategori"), queryset=Category.objects.none())
    kind = forms.ChoiceField(label=_("Jenis"), choices=ComplaintType.choices)
    note = forms.CharField(label=_("Catatan"), required=False)

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(  # type: ignore[attr-defined]
            site=site, is_active=True
        )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Pejabat"), queryset=User.objects.none())
    section = forms.CharField(label=_("Seksi"), max_length=80, required=False)
    instruction = forms.CharField(
        label=_("Instruksi"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, assignees: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Templat jawaban"), queryset=ResponseTemplate.objects.none(), required=False
    )
    text = forms.CharField(label=_("Jawaban tertulis"), widget=TEXT_WIDGET, required=False)
    at_session = forms.BooleanField(label=_("Jawab juga di sosialisasi berikutnya"), required=False)
    public_text = forms.CharField(
        label=_(
            "Teks untuk papan publik (tanpa nama, tanpa nomor kamar; kosongkan bila tidak "
            "diumumkan)"
        ),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 20000}),
        required=False,
    )

    def __init__(self, *args: Any, templates: QuerySet[ResponseTemplate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates  # type: ignore[attr-defined]


class PublishForm(forms.Form):
    public_text = forms.CharField(
        label=_("Teks untuk papan publik"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Alasan"), choices=RejectReason.choices)
    note = forms.CharField(
        label=_("Penjelasan untuk pelapor"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class DuplicateForm(forms.Form):
    original = forms.CharField(label=_("Nomor pengaduan asli"), max_length=32)
    note = forms.CharField(label=_("Catatan"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    public = forms.BooleanField(label=_("Tampilkan kepada pelapor"), required=False)


class SettingsForm(forms.Form):
    verify_days = forms.IntegerField(
        label=_("Batas verifikasi (hari kerja)"), min_value=1, max_value=60
    )
    answer_days = forms.IntegerField(
        label=_("Batas jawaban (hari kerja)"), min_value=1, max_value=60
    )
    extend_days = forms.IntegerField(
        label=_("Perpanjangan (hari kerja)"), min_value=1, max_value=60
    )
    emergency_days = forms.IntegerField(
        label=_("Batas darurat (hari kerja)"), min_value=1, max_value=60
    )
    warn_days = forms.IntegerField(
        label=_("Peringatan sebelum batas (hari kerja)"), min_value=0, max_value=60
    )
    reopen_days = forms.IntegerField(
        label=_("Batas membuka kembali (hari kerja)"), min_value=1, max_value=60
    )
    flood_limit_per_day = forms.IntegerField(
        label=_("Batas wajar per kartu per hari"), min_value=1, max_value=100
    )


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=80)
    default_section = forms.CharField(
        label=_("Seksi penanggung jawab"), max_length=80, required=False
    )
    default_handler = forms.ModelChoiceField(
        label=_("Pejabat penanggung jawab"), queryset=User.objects.none(), required=False
    )
    verify_days = forms.IntegerField(
        label=_("Batas verifikasi (kosong = bawaan)"), min_value=1, max_value=60, required=False
    )
    answer_days = forms.IntegerField(
        label=_("Batas jawaban (kosong = bawaan)"), min_value=1, max_value=60, required=False
    )
    extend_days = forms.IntegerField(
        label=_("Perpanjangan (kosong = bawaan)"), min_value=1, max_value=60, required=False
    )
    sort_order = forms.IntegerField(label=_("Urutan"), min_value=0, max_value=32000, initial=100)
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["default_handler"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True, memberships__site=site)
            .distinct()
            .order_by("full_name", "username")
        )


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=120)
    category = forms.ModelChoiceField(
        label=_("Kategori (kosong = semua)"), queryset=Category.objects.none(), required=False
    )
    body = forms.CharField(label=_("Isi"), widget=TEXT_WIDGET)
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(  # type: ignore[attr-defined]
            site=site
        )
