"""Forms of the programmes screens. They parse input; the services decide what is allowed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pandai.core.models import Site
from pandai.programs.models import (
    WEEKDAY_NAMES,
    ProgrammeKind,
    RateBasis,
    Subtype,
)
from pandai.wallet.forms import RupiahField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Nama program"), max_length=120)
    kind = forms.ChoiceField(label=_("Jenis"), choices=ProgrammeKind.choices)
    subtype = forms.ChoiceField(label=_("Bidang"), choices=Subtype.choices)
    capacity = forms.IntegerField(label=_("Kapasitas peserta"), min_value=1, max_value=10_000)
    instructor = forms.CharField(label=_("Instruktur / pembimbing"), max_length=120, required=False)
    place = forms.CharField(label=_("Tempat"), max_length=120, required=False)
    open_to_remand = forms.BooleanField(label=_("Terbuka untuk tahanan"), required=False)
    open_to_convicted = forms.BooleanField(label=_("Terbuka untuk narapidana"), required=False)
    requires_clean_record = forms.BooleanField(
        label=_("Tidak untuk WBP yang sedang menjalani sanksi Register F (pembatasan program)"),
        required=False,
    )
    description = forms.CharField(
        label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)


class ScheduleForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Hari"),
        choices=[(i, name) for i, name in enumerate(WEEKDAY_NAMES)],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = forms.TimeField(label=_("Jam mulai"), widget=TIME)
    end_time = forms.TimeField(label=_("Jam selesai"), widget=TIME)
    start_date = forms.DateField(label=_("Berlaku dari"), widget=DATE)
    end_date = forms.DateField(label=_("Berlaku sampai"), widget=DATE)


class RateForm(forms.Form):
    basis = forms.ChoiceField(label=_("Dasar premi"), choices=RateBasis.choices)
    amount_rp = RupiahField(label=_("Tarif (Rp)"), allow_zero=True)
    valid_from = forms.DateField(label=_("Berlaku mulai"), widget=DATE)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class PeriodForm(forms.Form):
    period_start = forms.DateField(label=_("Periode dari"), widget=DATE)
    period_end = forms.DateField(label=_("Periode sampai"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise forms.ValidationError(_("Akhir periode tidak boleh sebelum awalnya."))
        return data


class RecordPeriodForm(forms.Form):
    """Optional period of a participation record or the SDP export (empty = everything)."""

    dari = forms.DateField(label=_("Dari"), required=False, widget=DATE)
    sampai = forms.DateField(label=_("Sampai"), required=False, widget=DATE)

    def period(self) -> tuple[dt.date | None, dt.date | None]:
        if not self.is_bound or not self.is_valid():
            return None, None
        return self.cleaned_data.get("dari"), self.cleaned_data.get("sampai")


class SessionFilterForm(forms.Form):
    dari = forms.DateField(label=_("Dari"), required=False, widget=DATE)
    sampai = forms.DateField(label=_("Sampai"), required=False, widget=DATE)
    program = forms.TypedChoiceField(label=_("Program"), required=False, coerce=int)

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        from pandai.programs.models import Programme

        super().__init__(*args, **kwargs)
        field = self.fields["program"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Semua program"))] + [
            (p.pk, p.name) for p in Programme.objects.filter(site=site).order_by("name")
        ]
