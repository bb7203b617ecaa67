"""Forms of the public tracking page and of the follow-up screens (escalations, a rating
recorded by an officer, money links, the retaliation decision, the statistics period). They
parse; the services decide and their refusals are shown as they are."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pandai.complaints.models import Rating, RetaliationDecision
from pandai.complaints.services.escalation import EXTERNAL_BODIES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOTE = forms.Textarea(attrs={"rows": 3, "maxlength": 20000})


class CodeInput(forms.TextInput):
    """Shown while typed (people copy it off paper), never written back into the page."""

    def format_value(self, value: object) -> None:
        return None


class TrackForm(forms.Form):
    number = forms.CharField(
        label=_("Nomor pengaduan"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": "ADU-BLR-2026-000123", "autofocus": ""}
        ),
    )
    code = forms.CharField(
        label=_("Kode tindak lanjut"),
        max_length=20,
        widget=CodeInput(
            attrs={
                "autocomplete": "off",
                "placeholder": "XXXX-XXXX",
                "autocapitalize": "characters",
            }
        ),
        help_text=_("Tertulis di slip tanda terima, di bawah nomor pengaduan."),
    )


class RateForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Bagaimana jawaban ini menurut Anda?"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Catatan (boleh kosong)"), required=False, widget=NOTE)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Mengapa pengaduan perlu dibuka kembali?"), widget=NOTE, max_length=20000
    )


class EscalationForm(forms.Form):
    body = forms.ChoiceField(
        label=_("Diteruskan ke"),
        choices=[(b.value, b.label) for b in EXTERNAL_BODIES],
    )
    reference = forms.CharField(label=_("Nomor referensi"), required=False, max_length=200)
    sent_on = forms.DateField(label=_("Tanggal dikirim"), required=False, widget=DATE)
    note = forms.CharField(label=_("Catatan"), required=False, widget=NOTE)


class OfficerRateForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Penilaian yang disampaikan pelapor"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Catatan petugas"), required=False, widget=NOTE)


class MoneyLinkForm(forms.Form):
    transfer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sale = forms.IntegerField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Catatan"), required=False, max_length=400)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"), choices=RetaliationDecision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Alasan"), widget=NOTE, max_length=20000)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Dari"), required=False, widget=DATE)
    end = forms.DateField(label=_("Sampai"), required=False, widget=DATE)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data
