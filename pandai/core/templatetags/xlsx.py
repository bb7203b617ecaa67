"""`{% xlsx_link %}`: the "Unduh XLSX" button of a list page, pointing at the same page with the
same filters and `format=xlsx` (the view answers with the whole filtered list as a workbook)."""

from __future__ import annotations

from django import template
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


def xlsx_url(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "xlsx"
    return f"{request.path}?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def xlsx_link(context: template.Context) -> SafeString:
    return format_html(
        '<a class="button no-print" href="{}" data-testid="xlsx-export" download>{}</a>',
        xlsx_url(context["request"]),
        _("Unduh XLSX"),
    )
