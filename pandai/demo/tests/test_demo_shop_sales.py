"""The demo's days at the koperasi till: sales made through the checkout service, closed shifts
whose Z-reports match the ledger, today's shift open, stock and ledger consistent."""

import pytest
from django.db import transaction
from django.test import override_settings

from pandai.conftest import FAST_HASHERS
from pandai.demo.build import demo_load
from pandai.demo.shop_sales import DAYS
from pandai.shop.models import Sale, ShopShift
from pandai.shop.services import stock_check
from pandai.wallet.checks import run_checks


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo_media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        yield demo_load(inmate_count=40, log=lambda _: None)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_days_of_till_sales_with_z_reports_that_match_the_ledger(demo):
    site = demo.home
    shifts = list(ShopShift.objects.filter(site=site).order_by("opened_at"))
    assert len(shifts) == DAYS + 1
    assert [s.is_open for s in shifts] == [False] * DAYS + [True]
    assert all(s.ledger_matches for s in shifts[:-1])
    assert all(s.z_report["sales_count"] > 5 for s in shifts[:-1])
    sales = Sale.objects.filter(site=site)
    assert sales.count() >= (DAYS + 1) * 8
    assert not sales.filter(shift__isnull=True).exists()
    assert stock_check() == []
    assert run_checks(site=site, audit=False) == []
