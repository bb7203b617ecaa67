"""Settings of the complaint desk: deadlines, the flood limit, categories and templates."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pandai.complaints import selectors, services
from pandai.complaints.forms import CategoryForm, SettingsForm, TemplateForm
from pandai.complaints.models import Category, ResponseTemplate
from pandai.complaints.services.base import settings_for
from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, in_acting_site, requires


@requires(Perm.COMPLAINT_SETTINGS)
def settings_home(request: PandaiRequest) -> HttpResponse:
    services.categories_ensure(site=request.site)
    conf = settings_for(request.site)
    fields = list(SettingsForm.base_fields)
    form = SettingsForm(request.POST or None, initial={f: getattr(conf, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(site=request.site, actor=request.user, **form.cleaned_data)
        except services.ComplaintError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Pengaturan pengaduan disimpan."))
            return redirect("complaints:settings")
    return render(
        request,
        "complaints/settings.html",
        {
            "form": form,
            "categories": selectors.categories(site=request.site, active_only=False),
            "templates": ResponseTemplate.objects.filter(site=request.site).select_related(
                "category"
            ),
        },
    )


def _category_page(request: PandaiRequest, category: Category | None) -> HttpResponse:
    initial = {}
    if category is not None:
        initial = {
            f: getattr(category, f) for f in CategoryForm.base_fields if f != "default_handler"
        }
        initial["default_handler"] = category.default_handler_id
    form = CategoryForm(request.POST or None, site=request.site, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.category_save(site=request.site, actor=request.user, category=category, **data)
        except services.ComplaintError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Kategori disimpan."))
            return redirect("complaints:settings")
    title = _("Ubah kategori") if category else _("Kategori baru")
    return render(
        request,
        "complaints/form.html",
        {"form": form, "title": title, "submit": _("Simpan"), "back": "complaints:settings"},
    )


@requires(Perm.COMPLAINT_SETTINGS)
def category_new(request: PandaiRequest) -> HttpResponse:
    return _category_page(request, None)


@requires(Perm.COMPLAINT_SETTINGS)
def category_edit(request: PandaiRequest, pk: int) -> HttpResponse:
    return _category_page(request, in_acting_site(request, Category.objects.all(), pk=pk))


def _template_page(request: PandaiRequest, template: ResponseTemplate | None) -> HttpResponse:
    initial = {}
    if template is not None:
        initial = {
            "title": template.title,
            "body": template.body,
            "category": template.category_id,
            "is_active": template.is_active,
        }
    form = TemplateForm(request.POST or None, site=request.site, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.template_save(
                site=request.site, actor=request.user, template=template, **form.cleaned_data
            )
        except services.ComplaintError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Templat jawaban disimpan."))
            return redirect("complaints:settings")
    title = _("Ubah templat jawaban") if template else _("Templat jawaban baru")
    return render(
        request,
        "complaints/form.html",
        {"form": form, "title": title, "submit": _("Simpan"), "back": "complaints:settings"},
    )


@requires(Perm.COMPLAINT_SETTINGS)
def template_new(request: PandaiRequest) -> HttpResponse:
    return _template_page(request, None)


@requires(Perm.COMPLAINT_SETTINGS)
def template_edit(request: PandaiRequest, pk: int) -> HttpResponse:
    return _template_page(request, in_acting_site(request, ResponseTemplate.objects.all(), pk=pk))
