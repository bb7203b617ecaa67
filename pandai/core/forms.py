"""Forms of the core screens: staff, devices, site holidays."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from pandai.core.models import DeviceKind, Role, TimeZone, User


class RolesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            choices=Role.choices,
            widget=forms.CheckboxSelectMultiple,
            label=_("Peran di UPT ini"),
            **kwargs,  # type: ignore[arg-type]
        )


class StaffCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("Nama pengguna"),
        regex=r"^[a-z0-9._-]{3,40}$",
        error_messages={"invalid": _("Gunakan 3–40 huruf kecil, angka, titik, _ atau -.")},
    )
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    nip = forms.RegexField(
        label=_("NIP"),
        regex=r"^\d{18}$",
        required=False,
        error_messages={"invalid": _("NIP terdiri dari 18 angka.")},
    )
    password = forms.CharField(label=_("Kata sandi awal"), widget=forms.PasswordInput)
    roles = RolesField()

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError(_("Nama pengguna ini sudah dipakai."))
        return username

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") and data.get("username"):
            try:
                validate_password(
                    data["password"],
                    User(username=data["username"], full_name=data.get("full_name", "")),
                )
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class StaffEditForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    nip = forms.RegexField(
        label=_("NIP"),
        regex=r"^\d{18}$",
        required=False,
        error_messages={"invalid": _("NIP terdiri dari 18 angka.")},
    )
    roles = RolesField(required=False)


class PasswordResetForm(forms.Form):
    password = forms.CharField(label=_("Kata sandi baru"), widget=forms.PasswordInput)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password, self.user)
        return password


class DeviceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=DeviceKind.choices)
    name = forms.CharField(label=_("Nama perangkat"), max_length=80)


class SiteForm(forms.Form):
    name = forms.CharField(label=_("Nama UPT"), max_length=120)
    site_class = forms.CharField(label=_("Kelas"), max_length=40, required=False)
    address = forms.CharField(
        label=_("Alamat"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    time_zone = forms.ChoiceField(label=_("Zona waktu"), choices=TimeZone.choices)


class HolidayForm(forms.Form):
    date = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=_("Keterangan"), max_length=120)
