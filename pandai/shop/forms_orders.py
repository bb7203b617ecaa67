"""Forms of the pre-order screens: delivery (quantities handed over, card tap, PIN) and
cancel with a reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pandai.shop.models import PreOrder, PreOrderStatus


class OrderFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua status")), *PreOrderStatus.choices],
    )
    block = forms.TypedChoiceField(label=_("Blok"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, blocks: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        block = self.fields["block"]
        assert isinstance(block, forms.TypedChoiceField)
        block.choices = [("", _("Semua blok")), *blocks]


class DeliverForm(forms.Form):
    """One quantity field per order line (`qty_<line id>`, 0..ordered), the card and PIN."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=80)
    card = forms.CharField(
        label=_("Kartu Pandai (tempelkan pada pembaca)"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-autofocus": ""}),
    )
    pin = forms.CharField(
        label=_("PIN (diketik oleh WBP)"),
        max_length=6,
        widget=forms.PasswordInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "id": "order-pin"}
        ),
    )

    def __init__(self, *args: Any, order: PreOrder, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_lines = list(order.lines.all())
        for line in self.order_lines:
            self.fields[f"qty_{line.pk}"] = forms.IntegerField(
                label=line.name, min_value=0, max_value=line.quantity, initial=line.quantity
            )

    def rows(self) -> list[tuple[Any, forms.BoundField]]:
        return [(line, self[f"qty_{line.pk}"]) for line in self.order_lines]

    def delivered(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data[f"qty_{line.pk}"] for line in self.order_lines}


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pembatalan"),
        max_length=200,
        widget=forms.TextInput(attrs={"data-autofocus": ""}),
        help_text=_("Ditampilkan kepada WBP di kios dan tercatat di jejak audit."),
    )
