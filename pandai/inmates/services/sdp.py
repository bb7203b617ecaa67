"""Writes of the SDP import: store an uploaded file, then apply it whole or not at all."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.calendar import site_today
from pandai.core.models import Site, User
from pandai.inmates import sdp_import, selectors
from pandai.inmates.models import Cell, ImportBatch, Inmate
from pandai.inmates.services.base import InmateError
from pandai.inmates.services.registry import inmate_admit, inmate_move_cell, inmate_update


@dataclass(frozen=True)
class ImportOutcome:
    created: int
    changed: int
    unchanged: int
    skipped: int


@transaction.atomic
def import_batch_create(*, site: Site, filename: str, data: bytes, actor: User) -> ImportBatch:
    """Keep an uploaded SDP file for preview. A file that cannot be read at all is refused
    here and nothing is stored."""
    limit = settings.PANDAI_MAX_IMPORT_BYTES
    if len(data) > limit:
        raise InmateError(_("Berkas terlalu besar (maksimum %(kb)d KB).") % {"kb": limit // 1024})
    try:
        text, encoding = sdp_import.decode(data)
        sdp = sdp_import.parse_text(text, today=site_today(site), encoding=encoding)
    except sdp_import.SdpFileError as exc:
        raise InmateError(str(exc)) from exc
    batch = ImportBatch.objects.create(
        site=site,
        filename=filename[-200:],
        content=text,
        uploaded_by=actor,
        summary={"encoding": sdp.encoding, "delimiter": sdp.delimiter, "rows": len(sdp.rows)},
    )
    audit_append(
        action="inmate.import_upload",
        site=site,
        actor=actor,
        obj=batch,
        data={"filename": batch.filename, "rows": len(sdp.rows), "bytes": len(data)},
    )
    return batch


@transaction.atomic
def import_batch_apply(*, batch: ImportBatch, actor: User, skip_errors: bool) -> ImportOutcome:
    """Apply every new and changed row in one transaction. Rows with errors stop everything
    unless the user chose to skip them. The file is compared with the registry again here,
    under lock, so what is applied is what is true now."""
    batch = (
        ImportBatch.objects.select_for_update(of=("self",)).select_related("site").get(pk=batch.pk)
    )
    if batch.applied_at is not None:
        raise InmateError(_("Impor ini sudah diterapkan dan tidak bisa diterapkan lagi."))
    site = batch.site
    try:
        _sdp, plans = selectors.sdp_plan(batch=batch, lock=True)
    except sdp_import.SdpFileError as exc:
        raise InmateError(str(exc)) from exc
    counts = sdp_import.count(plans)
    errors = counts[sdp_import.RowStatus.ERROR]
    if errors and not skip_errors:
        raise InmateError(
            sdp_import.errors_summary(errors)
            + " "
            + _(
                "Tidak ada yang diterapkan. Perbaiki berkasnya lalu unggah lagi, atau pilih "
                "lewati baris galat."
            )
        )
    todo = [
        p for p in plans if p.status in (sdp_import.RowStatus.NEW, sdp_import.RowStatus.CHANGED)
    ]
    if not todo:
        raise InmateError(_("Tidak ada baris baru atau berubah untuk diterapkan."))
    cells = Cell.objects.select_related("block").in_bulk([p.cell_pk for p in todo if p.cell_pk])
    inmates = Inmate.objects.select_related("site", "cell").in_bulk(
        [p.inmate_pk for p in todo if p.inmate_pk]
    )
    note = _("Impor SDP: %(file)s") % {"file": batch.filename}
    today = site_today(site)
    for p in todo:
        cell = cells[p.cell_pk] if p.cell_pk else None
        if p.status == sdp_import.RowStatus.NEW:
            inmate_admit(
                site=site, reg_no=p.row.reg_no, actor=actor, cell=cell, note=note, **p.new_fields
            )
            continue
        assert p.inmate_pk is not None
        inmate = inmates[p.inmate_pk]
        if p.new_fields:
            inmate_update(inmate=inmate, actor=actor, note=note, **p.new_fields)
        if cell is not None:
            inmate_move_cell(inmate=inmate, cell=cell, date=today, actor=actor, note=note)
    outcome = ImportOutcome(
        created=counts[sdp_import.RowStatus.NEW],
        changed=counts[sdp_import.RowStatus.CHANGED],
        unchanged=counts[sdp_import.RowStatus.UNCHANGED],
        skipped=errors,
    )
    batch.applied_at = timezone.now()
    batch.applied_by = actor
    batch.summary = {**batch.summary, "applied": asdict(outcome)}
    batch.save(update_fields=["applied_at", "applied_by", "summary"])
    audit_append(
        action="inmate.import_apply", site=site, actor=actor, obj=batch, data=asdict(outcome)
    )
    return outcome
