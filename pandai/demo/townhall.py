"""Demo sosialisasi at Blora: the session of the article (Wednesday 26 June 2024, Aula Hanoman,
chaired by the head: Kartu Pandai replaces cash in the koperasi from 1 July 2024, questions
from the complaint box answered in public, questions from the floor), closed with minutes and
a promise and published; the policy in force; and one planned session — all through the
services."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from pandai.complaints import services as complaint_services
from pandai.complaints.models import Category
from pandai.demo.context import DemoContext
from pandai.inmates.models import InmateStatus
from pandai.townhall import services
from pandai.townhall.models import Question

BOX = (
    ("Harga barang di koperasi", "Harga mi instan di koperasi lebih mahal dari di luar."),
    ("Uang titipan keluarga", "Bagaimana keluarga menitipkan uang setelah tidak boleh tunai?"),
)
ANSWERS = (
    "Harga koperasi mengikuti harga pasar ditambah biaya angkut; daftar harga akan ditempel "
    "di setiap blok dan di layar kasir.",
    "Keluarga menyetor di loket titipan saat kunjungan atau lewat transfer bank; saldo masuk "
    "ke Kartu Pandai dan dapat dicek di kios blok.",
)


def load_townhall(ctx: DemoContext) -> None:
    site = ctx.home
    tz = ZoneInfo(site.time_zone)
    head, official, officer = ctx.staff["karutan"], ctx.staff["pejabat"], ctx.staff["pengaduan"]
    policy = services.policy_create(
        site=site,
        actor=head,
        data=services.PolicyInput(
            title="Kartu Pandai pengganti uang tunai di koperasi",
            text=(
                "Mulai 1 Juli 2024 semua transaksi di koperasi Rutan memakai Kartu Pandai. "
                "Uang tunai tidak lagi diterima; titipan keluarga disetor di loket."
            ),
            effective_date=dt.date(2024, 7, 1),
            decided_by="Kepala Rutan Kelas IIB Blora",
            switch="shop_card_only",
            card_only=True,
        ),
    )
    start = dt.datetime(2024, 6, 26, 9, 0, tzinfo=tz)
    session = services.session_create(
        site=site,
        actor=head,
        data=services.SessionInput(
            title="Sosialisasi Kartu Pandai dan tanya jawab kotak pengaduan",
            starts_at=start,
            place="Aula Hanoman",
            chair=head,
            officials=(official, officer),
        ),
    )
    services.agenda_add(session=session, actor=head, title="Sambutan Kepala Rutan")
    services.agenda_add(session=session, actor=head, title="Penjelasan Kartu Pandai", policy=policy)
    # The box's items: answered in writing and queued for the session.
    complaint_services.categories_ensure(site=site)
    category = Category.objects.filter(site=site).order_by("pk").first()
    assert category is not None
    askers = ctx.inmates["BLR"]
    for (title, text), inmate in zip(BOX, askers, strict=False):
        receipt = complaint_services.complaint_submit_oral(
            site=site,
            actor=officer,
            kind="aspiration",
            category=category,
            identity="named",
            text=text,
            inmate=inmate,
        )
        c = complaint_services.complaint_verify(
            complaint=receipt.complaint, actor=head, title=title
        )
        complaint_services.complaint_answer(
            complaint=c, actor=head, text="Akan dijelaskan di sosialisasi.", at_session=True
        )
    imported = services.questions_import_complaints(session=session, actor=head)
    services.agenda_add(
        session=session,
        actor=head,
        title="Tanya jawab kotak pengaduan",
        complaints=[q.complaint for q in imported if q.complaint],
    )
    services.session_open(session=session, actor=head, moment=start)
    present = [i for i in askers if i.status == InmateStatus.ACTIVE][:120]
    for inmate in present:
        services.attendance_tick(session=session, inmate=inmate, actor=official, moment=start)
    for question, answer in zip(imported, ANSWERS, strict=True):
        services.question_publish(question=question, actor=head)
        for inmate in present[5:25]:
            services.vote_cast(question=question, inmate=inmate)
        services.question_pin(question=question, actor=head)
        services.question_answer(question=question, actor=head, text=answer)
    floor = services.question_floor(
        session=session, actor=official, text="Kalau kartu hilang, bagaimana saldonya?"
    )
    services.question_answer(
        question=floor,
        actor=head,
        text="Lapor ke petugas; kartu diblokir dan kartu baru diterbitkan, saldo tetap aman.",
    )
    minutes = (
        "Sosialisasi dipimpin Kepala Rutan dan dihadiri seluruh pejabat struktural. "
        "Kepala Rutan menjelaskan bahwa mulai 1 Juli 2024 Kartu Pandai menggantikan uang tunai "
        "untuk semua transaksi di koperasi, termasuk cara menitipkan uang dan memeriksa saldo. "
        "Pertanyaan dari kotak pengaduan dan dari peserta dijawab langsung."
    )
    services.session_close(
        session=session,
        actor=head,
        minutes=minutes,
        moment=start + dt.timedelta(hours=2),
        promises=[
            services.PromiseInput(
                what="Daftar harga koperasi ditempel di setiap blok",
                who="Kasubsi Pelayanan Tahanan",
                due_date=ctx.today + dt.timedelta(days=7),
            )
        ],
    )
    services.session_publish(session=session, actor=head, public_text=minutes)
    # The policy came into force on its date (the tick ran that night).
    services.policies_tick(moment=dt.datetime(2024, 7, 1, 0, 1, tzinfo=tz))
    # The next session, planned, with a question already sent from a kiosk.
    nxt = services.session_create(
        site=site,
        actor=head,
        data=services.SessionInput(
            title="Sosialisasi bulanan: layanan kunjungan dan kios blok",
            starts_at=dt.datetime.combine(ctx.today + dt.timedelta(days=10), dt.time(9), tz),
            place="Aula Hanoman",
            chair=head,
        ),
    )
    services.agenda_add(session=nxt, actor=head, title="Jadwal kunjungan baru")
    services.question_submit(
        session=nxt, inmate=present[0], text="Apakah kios bisa menampilkan sisa remisi?"
    )
    assert Question.objects.filter(session=session, status="answered").count() == 3
