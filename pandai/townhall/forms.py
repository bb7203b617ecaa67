"""Forms of the sosialisasi screens: they parse; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from pandai.core.models import Site, User
from pandai.inmates.models import Block, Inmate, InmateStatus
from pandai.townhall.models import Audience, PolicySwitch
from pandai.wallet.forms import RupiahField


def site_staff(site: Site) -> Any:
    return (
        User.objects.filter(memberships__site=site, is_active=True).distinct().order_by("full_name")
    )


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=200)
    day = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Jam"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Tempat"), max_length=120, initial="Aula")
    chair = forms.ModelChoiceField(
        label=_("Pimpinan"), queryset=User.objects.none(), required=False
    )
    officials = forms.ModelMultipleChoiceField(
        label=_("Pejabat yang hadir"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audience = forms.ChoiceField(label=_("Peserta"), choices=Audience.choices)
    blocks = forms.ModelMultipleChoiceField(
        label=_("Blok"),
        queryset=Block.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    inmates = forms.ModelMultipleChoiceField(
        label=_("WBP (untuk daftar)"),
        queryset=Inmate.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    moderated = forms.BooleanField(
        label=_("Pertanyaan dimoderasi sebelum tampil"), required=False, initial=True
    )

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site = site
        staff = site_staff(site)
        self.fields["chair"].queryset = staff  # type: ignore[attr-defined]
        self.fields["officials"].queryset = staff  # type: ignore[attr-defined]
        self.fields["blocks"].queryset = Block.objects.filter(site=site)  # type: ignore[attr-defined]
        self.fields["inmates"].queryset = Inmate.objects.filter(  # type: ignore[attr-defined]
            site=site, status=InmateStatus.ACTIVE
        ).order_by("full_name")

    def starts_at(self) -> dt.datetime:
        d = self.cleaned_data
        return dt.datetime.combine(d["day"], d["time"], tzinfo=ZoneInfo(self.site.time_zone))


class AgendaForm(forms.Form):
    title = forms.CharField(label=_("Acara"), max_length=200)
    notes = forms.CharField(
        label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    policy = forms.IntegerField(label=_("Kebijakan"), required=False)


class PolicyForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=200)
    text = forms.CharField(label=_("Isi aturan"), widget=forms.Textarea(attrs={"rows": 5}))
    effective_date = forms.DateField(
        label=_("Berlaku mulai"), widget=forms.DateInput(attrs={"type": "date"})
    )
    decided_by = forms.CharField(label=_("Diputuskan oleh"), max_length=150)
    switch = forms.ChoiceField(
        label=_("Pengaturan yang diubah pada tanggal itu"),
        choices=PolicySwitch.choices,
        required=False,
    )
    card_only = forms.ChoiceField(
        label=_("Koperasi"),
        choices=[("", "–"), ("1", _("hanya kartu")), ("0", _("boleh tunai"))],
        required=False,
    )
    daily_limit_rp = RupiahField(label=_("Batas belanja harian"), required=False)
    monthly_limit_rp = RupiahField(label=_("Batas belanja bulanan"), required=False)

    def card_only_value(self) -> bool | None:
        value = self.cleaned_data.get("card_only")
        return None if value in ("", None) else value == "1"


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=1000)


class CloseForm(forms.Form):
    minutes = forms.CharField(label=_("Notulen"), widget=forms.Textarea(attrs={"rows": 10}))
    no_promises = forms.BooleanField(label=_("Tidak ada janji yang disampaikan"), required=False)


class PublishForm(forms.Form):
    public_text = forms.CharField(
        label=_("Notulen untuk papan publik (tanpa nama dan nomor registrasi WBP)"),
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class PollForm(forms.Form):
    question = forms.CharField(label=_("Pertanyaan"), max_length=300)
    kind = forms.ChoiceField(
        label=_("Jenis"),
        choices=[("single", _("Satu pilihan")), ("multiple", _("Boleh lebih dari satu"))],
    )
    method = forms.ChoiceField(
        label=_("Cara menjawab"), choices=[("card", _("Tap kartu")), ("hands", _("Angkat tangan"))]
    )
    options = forms.CharField(
        label=_("Pilihan (satu per baris)"), widget=forms.Textarea(attrs={"rows": 4})
    )


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=200)
    text = forms.CharField(
        label=_("Isi pengumuman"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    publish_from = forms.DateField(
        label=_("Tampil di kios mulai"), widget=forms.DateInput(attrs={"type": "date"})
    )
    publish_until = forms.DateField(
        label=_("Tampil sampai (kosongkan bila tanpa batas)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
