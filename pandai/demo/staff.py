"""Demo sites (Rutan Blora, Lapas Semarang) and one staff login per role."""

from __future__ import annotations

from pandai.core import services as core_services
from pandai.core.models import Role, TimeZone, User
from pandai.demo.context import DEMO_PASSWORD, DemoContext

SITES = (
    {
        "code": "BLR",
        "name": "Rutan Kelas IIB Blora",
        "site_class": "Kelas IIB",
        "address": "Jl. Pemuda No. 21, Blora, Jawa Tengah",
        "time_zone": TimeZone.WIB,
    },
    {
        "code": "SMG",
        "name": "Lapas Kelas IIA Semarang",
        "site_class": "Kelas IIA",
        "address": "Jl. Raya Semarang–Boja Km 4, Kedungpane, Semarang, Jawa Tengah",
        "time_zone": TimeZone.WIB,
    },
)

# username, role at BLR, full name, NIP (18 digits: birth date, appointment month, sex, number)
STAFF = (
    ("admin", Role.ADMIN, "Agus Prasetyo, S.Kom.", "198703142010121001"),
    ("karutan", Role.HEAD, "Bambang Sulistyo, S.H., M.H.", "197505201998031002"),
    ("pejabat", Role.OFFICIAL, "Sri Wahyuni, S.Sos.", "198109032003122001"),
    ("kasir", Role.CASHIER, "Dewi Lestari", "199402112017122003"),
    ("koperasi", Role.SHOP_MANAGER, "Hendra Gunawan, S.E.", "198811252012121002"),
    ("loket", Role.COUNTER_OFFICER, "Rina Marlina", "199207082015032001"),
    ("pengaduan", Role.COMPLAINT_OFFICER, "Yusuf Hidayat, S.H.", "199001172014031003"),
    ("pembinaan", Role.PROGRAM_OFFICER, "Siti Aminah, S.Pd.", "198512302009122002"),
    ("auditor", Role.AUDITOR, "Joko Santoso, S.E., Ak.", "197912192005011001"),
)
REGIONAL = ("kanwil", "Dr. Heru Wibowo, S.H., M.Si.", "197203061994031001")


def load_sites_and_staff(ctx: DemoContext) -> None:
    for spec in SITES:
        site = core_services.site_create(actor=None, **spec)
        ctx.sites[site.code] = site
    blora, semarang = ctx.sites["BLR"], ctx.sites["SMG"]
    admin: User | None = None
    for username, role, full_name, nip in STAFF:
        user = core_services.staff_create(
            username=username,
            full_name=full_name,
            nip=nip,
            password=DEMO_PASSWORD,
            site=blora,
            roles=[role],
            actor=admin,
        )
        admin = admin or user  # the first account sets up the others
        ctx.staff[username] = user
    username, full_name, nip = REGIONAL
    regional = core_services.staff_create(
        username=username,
        full_name=full_name,
        nip=nip,
        password=DEMO_PASSWORD,
        site=blora,
        roles=[Role.HEAD],
        actor=admin,
    )
    assert admin is not None
    core_services.staff_set_roles(user=regional, site=semarang, roles=[Role.HEAD], actor=admin)
    ctx.staff[username] = regional
