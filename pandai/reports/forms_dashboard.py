"""The dashboard's filters: the day it shows, the period of the deposits list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"})
MAX_DAYS = 92
CHANNELS = (("", _("Semua")), ("loket", _("Loket")), ("bank", _("Bank")))


class DayForm(forms.Form):
    tanggal = forms.DateField(label=_("Tanggal"), required=False, widget=DATE)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_tanggal(self) -> dt.date:
        day = self.cleaned_data.get("tanggal") or self.today
        if day > self.today:
            raise forms.ValidationError(_("Tanggal tidak boleh setelah hari ini."))
        return day


class DepositFilterForm(forms.Form):
    dari = forms.DateField(label=_("Dari"), required=False, widget=DATE)
    sampai = forms.DateField(label=_("Sampai"), required=False, widget=DATE)
    saluran = forms.ChoiceField(label=_("Saluran"), required=False, choices=CHANNELS)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = data.get("dari") or self.today
        end = data.get("sampai") or max(start, self.today)
        if end < start:
            raise forms.ValidationError(_("Tanggal akhir harus sama dengan atau setelah awal."))
        if (end - start).days >= MAX_DAYS:
            raise forms.ValidationError(_("Periode paling panjang %(n)d hari.") % {"n": MAX_DAYS})
        data["dari"], data["sampai"] = start, end
        return data
