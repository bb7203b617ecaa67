"""Cashier shifts: who may open one where, one open shift per terminal and per cashier, and a
Z-report frozen at closing that agrees with the ledger."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pandai.core import services as core_services
from pandai.core.models import AuditEvent, Site, User
from pandai.inmates.models import Inmate
from pandai.shop.errors import ShopError
from pandai.shop.models import ShopShift
from pandai.shop.services import CartLine, checkout, shift_close, shift_open, zreport
from pandai.shop.tests.factories import ProductFactory, card_with_pin, fund, pos_terminal
from pandai.wallet import services as wallet


@pytest.fixture
def admin(staff: Callable[..., User]) -> User:
    return staff("admin", username="admin-shift")


@pytest.fixture
def cashier(staff: Callable[..., User]) -> User:
    return staff("cashier", username="kasir-shift")


@pytest.mark.django_db
class TestOpen:
    def test_a_cashier_opens_a_numbered_shift(self, site: Site, admin: User, cashier: User):
        terminal, _ = pos_terminal(site, admin)
        shift = shift_open(terminal=terminal, cashier=cashier)
        assert shift.number.startswith(f"KSR-{site.code}-")
        assert shift.is_open
        assert AuditEvent.objects.filter(action="shop.shift_open").count() == 1

    def refused(self, code: str, **kw: object) -> None:
        before = ShopShift.objects.count()
        with pytest.raises(ShopError) as err:
            shift_open(**kw)  # type: ignore[arg-type]
        assert err.value.code == code
        assert ShopShift.objects.count() == before

    def test_one_open_shift_per_terminal(self, site, admin, cashier, staff):
        terminal, _ = pos_terminal(site, admin)
        shift_open(terminal=terminal, cashier=cashier)
        self.refused("terminal_busy", terminal=terminal, cashier=staff("cashier", username="k2"))

    def test_one_open_shift_per_cashier(self, site, admin, cashier):
        first, _ = pos_terminal(site, admin, "Kasir 1")
        second, _ = pos_terminal(site, admin, "Kasir 2")
        shift_open(terminal=first, cashier=cashier)
        self.refused("cashier_busy", terminal=second, cashier=cashier)

    def test_not_a_pos_device(self, site, admin, cashier):
        kiosk, _ = core_services.device_register(site=site, kind="kiosk", name="Kios", actor=admin)
        self.refused("terminal_invalid", terminal=kiosk, cashier=cashier)

    def test_revoked_terminal(self, site, admin, cashier):
        terminal, _ = pos_terminal(site, admin)
        core_services.device_revoke(device=terminal, actor=admin)
        terminal.refresh_from_db()
        self.refused("terminal_invalid", terminal=terminal, cashier=cashier)

    @pytest.mark.parametrize("role", ["counter_officer", "head", "auditor"])
    def test_only_shop_staff_sell(self, site, admin, staff, role):
        terminal, _ = pos_terminal(site, admin)
        self.refused("not_cashier", terminal=terminal, cashier=staff(role, username=f"x-{role}"))

    def test_a_cashier_of_another_site(self, site, other_site, admin, staff):
        terminal, _ = pos_terminal(site, admin)
        stranger = staff("cashier", at=other_site, username="kasir-lain")
        self.refused("not_cashier", terminal=terminal, cashier=stranger)


@pytest.mark.django_db
class TestClose:
    def test_closing_freezes_a_z_report_that_matches_the_ledger(
        self, site: Site, admin: User, cashier: User, inmate: Inmate
    ):
        terminal, _ = pos_terminal(site, admin)
        shift = shift_open(terminal=terminal, cashier=cashier)
        card_with_pin(inmate, "04A1B2C3D4E501", "246810", admin)
        fund(inmate, 50_000)
        mie = ProductFactory(site=site, name="Mi", price_rp=3_000, stock=10)
        sabun = ProductFactory(site=site, name="Sabun", price_rp=5_000, stock=10)
        for key, lines in (("a", [(mie, 2)]), ("b", [(mie, 1), (sabun, 1)])):
            checkout(
                site=site,
                card_uid="04A1B2C3D4E501",
                pin="246810",
                lines=[CartLine(p.pk, q) for p, q in lines],
                idempotency_key=key,
                cashier=cashier,
                terminal=terminal,
                shift=shift,
            )
        closed = shift_close(shift=shift, actor=cashier)
        assert not closed.is_open
        report = closed.z_report
        assert report is not None
        assert report["receipts_count"] == 2
        assert report["sales_rp"] == 6_000 + 8_000
        assert report["ledger_net_rp"] == 14_000
        assert report["matches"] is True and closed.ledger_matches is True

    def test_a_ledger_movement_without_a_receipt_shows_as_a_mismatch(
        self, site, admin, cashier, inmate
    ):
        terminal, _ = pos_terminal(site, admin)
        shift = shift_open(terminal=terminal, cashier=cashier)
        fund(inmate, 10_000)
        wallet.purchase(
            inmate=inmate,
            amount_rp=2_500,
            idempotency_key="no-receipt",
            actor=cashier,
            terminal=f"pos:{terminal.pk}",
        )
        report = zreport(shift=shift)
        assert report.sales_rp == 0 and report.ledger_net_rp == 2_500
        assert not report.matches
        assert shift_close(shift=shift, actor=cashier).ledger_matches is False

    def test_only_the_cashier_or_a_manager_closes(self, site, admin, cashier, staff):
        terminal, _ = pos_terminal(site, admin)
        shift = shift_open(terminal=terminal, cashier=cashier)
        with pytest.raises(ShopError) as err:
            shift_close(shift=shift, actor=staff("cashier", username="kasir-lain"))
        assert err.value.code == "not_your_shift"
        assert ShopShift.objects.get(pk=shift.pk).is_open
        shift_close(shift=shift, actor=staff("shop_manager", username="manajer"))
        assert not ShopShift.objects.get(pk=shift.pk).is_open

    def test_closing_twice_is_refused(self, site, admin, cashier):
        terminal, _ = pos_terminal(site, admin)
        shift = shift_open(terminal=terminal, cashier=cashier)
        shift_close(shift=shift, actor=cashier)
        frozen = ShopShift.objects.get(pk=shift.pk).z_report
        with pytest.raises(ShopError) as err:
            shift_close(shift=shift, actor=cashier)
        assert err.value.code == "shift_closed"
        assert ShopShift.objects.get(pk=shift.pk).z_report == frozen
