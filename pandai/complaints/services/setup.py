"""Per-site configuration: the seeded categories, deadline defaults, the flood limit, and
response templates (right COMPLAINT_SETTINGS)."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pandai.complaints.models import Category, ComplaintSettings, ResponseTemplate
from pandai.complaints.services.base import ComplaintError, clean_text, settings_for
from pandai.core.audit import audit_append
from pandai.core.models import Membership, Site, User

# (code, name, default section). The names are stored in the site's rows in Indonesian, as the
# officers see them; a site may rename them.
SEED_CATEGORIES = (
    ("makanan", gettext_lazy("Makanan"), gettext_lazy("Subseksi Perawatan")),
    ("kesehatan", gettext_lazy("Kesehatan"), gettext_lazy("Klinik / Subseksi Perawatan")),
    ("kunjungan", gettext_lazy("Kunjungan"), gettext_lazy("Subseksi Pelayanan Tahanan")),
    ("koperasi", gettext_lazy("Koperasi & Kartu Pandai"), gettext_lazy("Pengelola Koperasi")),
    ("keamanan", gettext_lazy("Keamanan"), gettext_lazy("Kesatuan Pengamanan (KPR)")),
    ("kebersihan", gettext_lazy("Kebersihan & fasilitas"), gettext_lazy("Urusan Umum")),
    ("pembinaan", gettext_lazy("Pembinaan"), gettext_lazy("Subseksi Bimbingan Kegiatan")),
    ("hak-wbp", gettext_lazy("Hak WBP (remisi, PB, cuti)"), gettext_lazy("Registrasi / Bimkemas")),
    ("petugas", gettext_lazy("Petugas"), gettext_lazy("Karutan / Kalapas")),
    ("lainnya", gettext_lazy("Lainnya"), gettext_lazy("Petugas pengaduan")),
)


def categories_ensure(*, site: Site) -> None:
    """Seed the standard categories the first time a site uses the box (idempotent, and safe
    when two requests do it at once)."""
    if Category.objects.filter(site=site).exists():
        return
    settings_for(site)
    Category.objects.bulk_create(
        [
            Category(
                site=site,
                code=code,
                name=str(name),
                default_section=str(section),
                sort_order=(i + 1) * 10,
            )
            for i, (code, name, section) in enumerate(SEED_CATEGORIES)
        ],
        ignore_conflicts=True,
    )


def _days(value: int | None, label: str, *, allow_none: bool = True, low: int = 1) -> int | None:
    if value is None and allow_none:
        return None
    if value is None or not low <= value <= 60:
        raise ComplaintError(
            "days",
            _("%(label)s harus antara %(low)s dan 60 hari kerja.") % {"label": label, "low": low},
        )
    return value


@transaction.atomic
def settings_update(
    *,
    site: Site,
    actor: User,
    verify_days: int,
    answer_days: int,
    extend_days: int,
    emergency_days: int,
    warn_days: int,
    reopen_days: int,
    flood_limit_per_day: int,
) -> ComplaintSettings:
    conf = ComplaintSettings.objects.select_for_update().get(pk=settings_for(site).pk)
    values = {
        "verify_days": _days(verify_days, _("Batas verifikasi"), allow_none=False),
        "answer_days": _days(answer_days, _("Batas jawaban"), allow_none=False),
        "extend_days": _days(extend_days, _("Perpanjangan"), allow_none=False),
        "emergency_days": _days(emergency_days, _("Batas darurat"), allow_none=False),
        "warn_days": _days(warn_days, _("Peringatan"), allow_none=False, low=0),
        "reopen_days": _days(reopen_days, _("Batas membuka kembali"), allow_none=False),
    }
    if not 1 <= flood_limit_per_day <= 100:
        raise ComplaintError("flood", _("Batas harian per kartu harus antara 1 dan 100."))
    values["flood_limit_per_day"] = flood_limit_per_day
    old = {k: getattr(conf, k) for k in values}
    for k, v in values.items():
        setattr(conf, k, v)
    conf.save(update_fields=list(values))
    audit_append(
        action="complaint.settings",
        site=site,
        actor=actor,
        obj=conf,
        data={"old": old, "new": values},
    )
    return conf


def _check_handler(site: Site, handler: User | None) -> None:
    if handler is not None and not Membership.objects.filter(user=handler, site=site).exists():
        raise ComplaintError("handler", _("Pejabat penanggung jawab harus petugas UPT ini."))


@transaction.atomic
def category_save(
    *,
    site: Site,
    actor: User,
    name: str,
    category: Category | None = None,
    default_section: str = "",
    default_handler: User | None = None,
    verify_days: int | None = None,
    answer_days: int | None = None,
    extend_days: int | None = None,
    sort_order: int = 0,
    is_active: bool = True,
) -> Category:
    """Create (category=None) or update a category of the site."""
    name = clean_text(name, label=_("Nama kategori"), max_chars=80)
    default_section = clean_text(default_section, label=_("Seksi"), max_chars=80, required=False)
    _check_handler(site, default_handler)
    fields = {
        "name": name,
        "default_section": default_section,
        "default_handler": default_handler,
        "verify_days": _days(verify_days, _("Batas verifikasi")),
        "answer_days": _days(answer_days, _("Batas jawaban")),
        "extend_days": _days(extend_days, _("Perpanjangan")),
        "sort_order": max(0, min(sort_order, 32000)),
        "is_active": is_active,
    }
    same_name = Category.objects.filter(site=site, name__iexact=name)
    if category is not None:
        same_name = same_name.exclude(pk=category.pk)
    if same_name.exists():
        raise ComplaintError("duplicate", _("Kategori dengan nama itu sudah ada."))
    if category is None:
        code = slugify(name)[:30] or "kategori"
        base, n = code, 1
        while Category.objects.filter(site=site, code=code).exists():
            n += 1
            code = f"{base}-{n}"
        category = Category.objects.create(site=site, code=code, **fields)
    else:
        if category.site_id != site.pk:
            raise ComplaintError("other_site", _("Kategori itu milik UPT lain."))
        for k, v in fields.items():
            setattr(category, k, v)
        category.save(update_fields=list(fields))
    audit_append(
        action="complaint.category",
        site=site,
        actor=actor,
        obj=category,
        data={"name": name, "active": is_active},
    )
    return category


@transaction.atomic
def template_save(
    *,
    site: Site,
    actor: User,
    title: str,
    body: str,
    category: Category | None = None,
    template: ResponseTemplate | None = None,
    is_active: bool = True,
) -> ResponseTemplate:
    title = clean_text(title, label=_("Judul"), max_chars=120)
    body = clean_text(body, label=_("Isi templat"))
    if category is not None and category.site_id != site.pk:
        raise ComplaintError("other_site", _("Kategori itu milik UPT lain."))
    if template is None:
        template = ResponseTemplate.objects.create(
            site=site, category=category, title=title, body=body, is_active=is_active
        )
    else:
        if template.site_id != site.pk:
            raise ComplaintError("other_site", _("Templat itu milik UPT lain."))
        template.title, template.body = title, body
        template.category, template.is_active = category, is_active
        template.save(update_fields=["title", "body", "category", "is_active"])
    audit_append(
        action="complaint.template", site=site, actor=actor, obj=template, data={"title": title}
    )
    return template
