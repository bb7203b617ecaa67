"""API fuzzing (issue #8): schemathesis generates requests from Pandai's own OpenAPI schema
(`/api/openapi.json`, served by django-ninja) and sends them over a real socket to the live
server — device endpoints with valid device tokens (a POS terminal's for the checkout, a
kiosk's for the others), the bank callback signed as the bank signs it. No answer may be a
5xx, and every answer must fit the schema: a declared status, the declared content type, a
body that validates against the declared schema.

Both kinds of input: data that fits the schema (positive: what a terminal or the bank
sends, including the world's real card, barcode, inmate and VA number, so the answers that
move money are checked too) and data that does not (negative: wrong types, missing fields,
out-of-range values), a bounded number of examples per operation (PANDAI_FUZZ_EXAMPLES,
default 15) so it runs in `make test` in well under a minute.
"""

from __future__ import annotations

import io
import json
import os
import time
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from PIL import Image
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from pandai.api.bank import sign
from pandai.core import services as core_services
from pandai.inmates import services as inmate_services
from pandai.shop.services import shift_open
from pandai.shop.tests.factories import ProductFactory, card_with_pin, fund, stock_in
from pandai.wallet.checks import run_checks
from pandai.wallet.tests.office_helpers import BANK_SECRET
from pandai.wallet.virtual_accounts import virtual_account_for

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = int(os.environ.get("PANDAI_FUZZ_EXAMPLES", "15"))
UID = "04FA22CC33DD44"
BARCODE = "8991234567890"
PIN = "583920"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _bank_secret(settings: Any) -> None:
    settings.PANDAI_BANK_SECRET = BANK_SECRET
    settings.PANDAI_BANK_VA_PREFIX = "9880"


@pytest.fixture
def world(site: Any, staff: Any, inmate: Any) -> dict[str, Any]:
    """What the valid requests can name: a POS terminal with an open shift, a kiosk, a card
    with a PIN and money, an inmate photo, a product with a barcode, the inmate's VA."""
    admin = staff("admin", username="fuzz-admin")
    cashier = staff("cashier", username="fuzz-kasir")
    pos, pos_token = core_services.device_register(site=site, kind="pos", name="POS", actor=admin)
    _kiosk, kiosk_token = core_services.device_register(
        site=site, kind="kiosk", name="Kios", actor=admin
    )
    shift_open(terminal=pos, cashier=cashier)
    card_with_pin(inmate, UID, PIN, admin)
    fund(inmate, 500_000, admin)
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (90, 120, 150)).save(buffer, format="JPEG")
    inmate_services.inmate_set_photo(inmate=inmate, data=buffer.getvalue(), actor=admin)
    product = ProductFactory(site=site, sku="FUZZ-1", barcode=BARCODE, price_rp=2_500)
    stock_in(product, 1_000, admin)
    return {
        "site": site,
        "pos": pos_token,
        "kiosk": kiosk_token,
        "inmate": inmate,
        "product": product,
        "va": virtual_account_for(inmate=inmate).number,
    }


def _valid_values(world: dict[str, Any]) -> dict[str, st.SearchStrategy[Any]]:
    """Values that name real things, mixed into the generated requests."""
    return {
        "uid": st.sampled_from([UID, UID.lower(), str(int(UID[:8], 16))]),
        "barcode": st.sampled_from([BARCODE, world["product"].sku]),
        "inmate_id": st.just(world["inmate"].pk),
    }


def _checkout_body(world: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Mostly sales that go through (the answers with money in them), some refused: an
    unknown card, a wrong PIN, a bad quantity, another total than the one shown."""
    price = world["product"].price_rp
    line = st.fixed_dictionaries(
        {
            "product_id": st.just(world["product"].pk),
            "quantity": st.one_of(st.integers(1, 5), st.integers(-2, 5)),
        }
    )
    return st.fixed_dictionaries(
        {
            "card_uid": st.sampled_from([UID, UID, UID, "04000000000000"]),
            "pin": st.sampled_from([PIN, PIN, PIN, "000000"]),
            "lines": st.lists(line, min_size=1, max_size=3),
            "idempotency_key": st.uuids().map(str),
        },
        optional={"expected_total_rp": st.sampled_from([None, 0, price, 2 * price, 10**12])},
    )


def _bank_body(world: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "reference": st.uuids().map(lambda u: f"BNI{u.hex[:20]}"),
            "va_number": st.sampled_from([world["va"], "98800000000000"]),
            "amount": st.integers(-1_000, 3_000_000),
            "payer_name": st.text(max_size=30),
        }
    )


def _send(case: Any, base_url: str, world: dict[str, Any]) -> Any:
    """One request over HTTP with the credentials the operation needs."""
    path = case.operation.path
    if path.endswith("/va-callback"):
        # The bank signs the exact bytes it sends: serialise here, sign, send those bytes.
        if case.body is NOT_SET:
            body = b""
        elif isinstance(case.body, bytes | str):  # negative cases: not JSON at all
            body = case.body.encode() if isinstance(case.body, str) else case.body
        else:
            body = json.dumps(case.body).encode()
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "X-Pandai-Timestamp": str(timestamp),
            "X-Pandai-Signature": sign(BANK_SECRET, timestamp, body),
        }
        return requests.post(
            f"{base_url}{case.formatted_path}", data=body, headers=headers, timeout=60
        )
    token = world["pos"] if path.endswith("/checkout") else world["kiosk"]
    return case.call(base_url=base_url, headers={"Authorization": f"Bearer {token}"})


def _fuzz(operation: Any, base_url: str, world: dict[str, Any], mode: GenerationMode) -> list[int]:
    strategy = operation.as_strategy(generation_mode=mode)
    valid = _valid_values(world)
    answered: list[int] = []
    overrides = [name for name in valid if "{" + name + "}" in operation.path]
    if mode == GenerationMode.POSITIVE and (
        overrides or operation.path.endswith(("/checkout", "/va-callback"))
    ):
        # Half of the valid requests name the world's real things (a random UID never
        # finds a card: the answers with money in them would go untested).
        real = st.fixed_dictionaries({name: valid[name] for name in overrides})
        body = (
            _checkout_body(world)
            if operation.path.endswith("/checkout")
            else _bank_body(world)
            if operation.path.endswith("/va-callback")
            else st.none()
        )
        strategy = st.one_of(
            strategy,
            st.tuples(strategy, real, body).map(lambda t: _with(t[0], t[1], t[2])),
        )

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case: Any) -> None:
        response = _send(case, base_url, world)
        answered.append(response.status_code)
        case.validate_response(response, checks=CHECKS)

    try:
        check()
    except Unsatisfiable:
        # Nothing to get wrong: an operation without parameters or body has no negative case.
        if mode == GenerationMode.NEGATIVE and not _has_inputs(operation):
            return []
        raise
    return answered


def _has_inputs(operation: Any) -> bool:
    return bool(list(operation.iter_parameters())) or bool(operation.body)


def _with(case: Any, path_parameters: dict[str, Any], body: Any) -> Any:
    if path_parameters:
        case.path_parameters = {**(case.path_parameters or {}), **path_parameters}
    if body is not None:
        case.body = body
    return case


def test_no_api_answer_is_a_server_error_or_outside_the_schema(
    live_server: Any, world: dict[str, Any]
) -> None:
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/openapi.json", timeout=60)
    operations = [result.ok() for result in schema.get_all_operations()]
    paths = {f"{op.method.upper()} {op.path}" for op in operations}
    # The operations the issue names are all in the schema (a router left out would not be
    # fuzzed at all).
    for expected in (
        "POST /api/bank/va-callback",
        "POST /api/shop/checkout",
        "GET /api/shop/product/{barcode}",
        "GET /api/terminal/card/{uid}",
        "GET /api/terminal/inmate/{inmate_id}/photo",
    ):
        assert expected in paths, sorted(paths)
    for operation in operations:
        key = f"{operation.method.upper()} {operation.path}"
        statuses = []
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            statuses += _fuzz(operation, live_server.url, world, mode)
        # Every operation got its examples (one, for one without any input), and the valid
        # ones reached the answers that matter: a card found, a product, a photo, a sale, a
        # bank credit (not only refusals).
        assert len(statuses) >= (EXAMPLES if _has_inputs(operation) else 1), (key, statuses)
        assert 200 in statuses, (key, sorted(set(statuses)))
    # Whatever the fuzzing bought and credited, the ledger still adds up.
    assert run_checks(site=world["site"]) == []
