"""Virtual-account (VA) numbers: one per inmate, built from the installation's bank prefix,
the site and the registration number (scheme in docs/virtual-accounts.md).

    PPPP SSS NNNNN YY D C    (16 digits)
    PPPP   PANDAI_BANK_VA_PREFIX: the code the bank gave this installation
    SSS    the site's number in this installation (Site id, 001-999)
    NNNNN  the registration number's serial (first run of digits, last 5 digits)
    YY     the registration year (last two digits of a 4-digit year in it, else 00)
    D      0, or 1-9 when another inmate of the site already has the same 14 digits
    C      Luhn check digit over the 15 digits before it

Numbers are created once (lazily, or for every active inmate by `manage.py va_create`) and
stored; they never change, even if the registration number is corrected later.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from pandai.core.models import Site
from pandai.inmates.models import Inmate, InmateStatus
from pandai.wallet.models_bank import VirtualAccount

NUMBER_LENGTH = 16
_DIGITS = re.compile(r"\d+")
_YEAR = re.compile(r"(?<!\d)(19|20)(\d{2})(?!\d)")


def bank_prefix() -> str:
    prefix = str(getattr(settings, "PANDAI_BANK_VA_PREFIX", "9880"))
    if not re.fullmatch(r"\d{4}", prefix):
        raise ValueError("PANDAI_BANK_VA_PREFIX must be 4 digits")
    return prefix


def site_part(site: Site) -> str:
    if not 0 < site.pk < 1000:
        raise ValueError("virtual-account numbers support site ids 1-999")
    return f"{site.pk:03d}"


def registration_part(reg_no: str) -> str:
    """'AI.123/2024' -> '0012324'; 'BI.1234/2023' -> '0123423'."""
    runs = _DIGITS.findall(reg_no)
    serial = int(runs[0]) % 100_000 if runs else 0
    year = _YEAR.search(reg_no)
    return f"{serial:05d}{year.group(2) if year else '00'}"


def luhn_digit(digits: str) -> str:
    """The check digit that makes `digits` + it pass the Luhn test."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:  # doubled: these sit in odd positions once the check digit is added
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    return number.isdigit() and luhn_digit(number[:-1]) == number[-1]


def candidate(site: Site, reg_no: str, disambiguator: int) -> str:
    body = f"{bank_prefix()}{site_part(site)}{registration_part(reg_no)}{disambiguator}"
    return body + luhn_digit(body)


def site_from_number(number: str) -> Site | None:
    """The site a VA number (even an unknown one) points at, if its prefix is ours."""
    if len(number) != NUMBER_LENGTH or not number.isdigit() or number[:4] != bank_prefix():
        return None
    return Site.objects.filter(pk=int(number[4:7])).first()


def virtual_account_for(*, inmate: Inmate) -> VirtualAccount:
    """The inmate's VA, created on first use (safe to call twice at once)."""
    existing = VirtualAccount.objects.filter(inmate=inmate).first()
    if existing is not None:
        return existing
    for disambiguator in range(10):
        number = candidate(inmate.site, inmate.reg_no, disambiguator)
        if VirtualAccount.objects.filter(number=number).exists():
            continue
        try:
            with transaction.atomic():
                return VirtualAccount.objects.create(
                    site_id=inmate.site_id, inmate=inmate, number=number
                )
        except IntegrityError:
            # Another request created this inmate's VA (or took this number) meanwhile.
            existing = VirtualAccount.objects.filter(inmate=inmate).first()
            if existing is not None:
                return existing
    raise ValueError(f"no free virtual-account number for {inmate.reg_no}")


def virtual_accounts_create(*, site: Site) -> int:
    """Create the missing VAs of the site's active inmates. Returns how many were created."""
    missing: QuerySet[Inmate] = (
        Inmate.objects.filter(site=site, status=InmateStatus.ACTIVE, virtual_account__isnull=True)
        .select_related("site")
        .order_by("pk")
    )
    created = 0
    for inmate in missing.iterator():
        virtual_account_for(inmate=inmate)
        created += 1
    return created


def va_find(number: str) -> VirtualAccount | None:
    return (
        VirtualAccount.objects.select_related("inmate", "inmate__site", "site")
        .filter(number=number)
        .first()
    )
