"""An anonymous item leaves no identity anywhere in the database: every column of every table
is searched for the inmate's name, registration number and card UID, and every foreign key to
the inmate is counted, before and after the intake."""

from __future__ import annotations

from django.apps import apps
from django.db import connection

from pandai.complaints import services
from pandai.complaints.models import Complaint, Identity
from pandai.core.models import AuditEvent
from pandai.inmates.models import Inmate
from pandai.inmates.tests.factories import CardFactory


def _text_hits(needles: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            qn = connection.ops.quote_name
            where = " OR ".join(
                f"UPPER(CAST({qn(c)} AS TEXT)) LIKE UPPER(%s)" for c in columns for _ in needles
            )
            params = [f"%{n}%" for _ in columns for n in needles]
            cursor.execute(f"SELECT COUNT(*) FROM {qn(table)} WHERE {where}", params)
            out[table] = cursor.fetchone()[0]
    return out


def _fk_hits(inmate: Inmate) -> dict[str, int]:
    out: dict[str, int] = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Inmate:
                key = f"{model._meta.db_table}.{field.column}"
                out[key] = model._default_manager.filter(**{field.name: inmate.pk}).count()
    return out


def _snapshot(inmate: Inmate, uid: str) -> tuple[dict[str, int], dict[str, int]]:
    return _text_hits([inmate.full_name, inmate.reg_no, uid]), _fk_hits(inmate)


def test_anonymous_kiosk_and_oral_leave_no_identity(  # type: ignore[no-untyped-def]
    site, inmate, officer, categories
):
    card = CardFactory(inmate=inmate, site=site)
    before = _snapshot(inmate, card.uid)
    kiosk = services.complaint_submit_kiosk(
        inmate=inmate,
        card=card,
        kind="misconduct",
        category=categories["petugas"],
        identity=Identity.ANONYMOUS,
        text="Ada pungli saat kunjungan.",
    )
    oral = services.complaint_submit_oral(
        site=site,
        actor=officer,
        kind="complaint",
        category=categories["makanan"],
        identity=Identity.ANONYMOUS,
        text="Makanan basi.",
    )
    for c in (kiosk.complaint, oral.complaint):
        services.complaint_verify(complaint=c, actor=officer)
    assert _snapshot(inmate, card.uid) == before
    for c in Complaint.objects.all():
        assert c.inmate_id is None and c.device_id is None and not c.contact_name
    data = " ".join(str(e.data) for e in AuditEvent.objects.filter(action__startswith="complaint."))
    assert inmate.full_name not in data and inmate.reg_no not in data


def test_named_item_is_found_by_the_same_search(site, inmate, officer, categories):  # type: ignore[no-untyped-def]
    """The search above can fail: a named item does leave the inmate's id in the row."""
    card = CardFactory(inmate=inmate, site=site)
    before = _snapshot(inmate, card.uid)
    services.complaint_submit_kiosk(
        inmate=inmate,
        card=card,
        kind="complaint",
        category=categories["makanan"],
        identity=Identity.NAMED,
        text="Nasi basi.",
    )
    assert _snapshot(inmate, card.uid) != before


def test_anonymous_with_an_inmate_is_refused(site, inmate, officer, categories):  # type: ignore[no-untyped-def]
    import pytest

    with pytest.raises(services.ComplaintError):
        services.complaint_submit_oral(
            site=site,
            actor=officer,
            kind="complaint",
            category=categories["makanan"],
            identity=Identity.ANONYMOUS,
            text="x",
            inmate=inmate,
        )
    assert Complaint.objects.count() == 0
