"""Writes of blocks and cells: add them and set their capacity."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.models import Site, User
from pandai.inmates.models import Block, Cell
from pandai.inmates.services.base import InmateError

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{0,15}$")


def _clean_code(code: str) -> str:
    code = code.strip().upper()
    if not _CODE.match(code):
        raise InmateError(
            _("Kode hanya boleh huruf, angka, titik atau tanda minus (maksimum 16), mis. A-01.")
        )
    return code


def _check_capacity(capacity: int) -> None:
    if capacity < 0 or capacity > 10000:
        raise InmateError(_("Kapasitas harus antara 0 dan 10000."))


@transaction.atomic
def block_create(*, site: Site, code: str, name: str, capacity: int, actor: User) -> Block:
    code = _clean_code(code)
    name = name.strip()
    if not name:
        raise InmateError(_("Nama blok wajib diisi."))
    _check_capacity(capacity)
    if Block.objects.filter(site=site, code=code).exists():
        raise InmateError(_("Blok dengan kode %(code)s sudah ada.") % {"code": code})
    block = Block.objects.create(site=site, code=code, name=name, capacity=capacity)
    audit_append(
        action="block.create",
        site=site,
        actor=actor,
        obj=block,
        data={"code": code, "capacity": capacity},
    )
    return block


@transaction.atomic
def block_update(*, block: Block, name: str, capacity: int, actor: User) -> None:
    name = name.strip()
    if not name:
        raise InmateError(_("Nama blok wajib diisi."))
    _check_capacity(capacity)
    block.name, block.capacity = name, capacity
    block.save(update_fields=["name", "capacity"])
    audit_append(
        action="block.update", site=block.site, actor=actor, obj=block, data={"capacity": capacity}
    )


@transaction.atomic
def cell_create(*, block: Block, code: str, capacity: int, actor: User) -> Cell:
    code = _clean_code(code)
    _check_capacity(capacity)
    if Cell.objects.filter(block=block, code=code).exists():
        raise InmateError(
            _("Kamar %(code)s sudah ada di %(block)s.") % {"code": code, "block": block.name}
        )
    cell = Cell.objects.create(block=block, code=code, capacity=capacity)
    audit_append(
        action="cell.create",
        site=block.site,
        actor=actor,
        obj=cell,
        data={"block": block.code, "code": code, "capacity": capacity},
    )
    return cell


@transaction.atomic
def cell_update(*, cell: Cell, capacity: int, actor: User) -> None:
    _check_capacity(capacity)
    cell.capacity = capacity
    cell.save(update_fields=["capacity"])
    audit_append(
        action="cell.update",
        site=cell.block.site,
        actor=actor,
        obj=cell,
        data={"capacity": capacity},
    )
