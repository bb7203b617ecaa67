"""Sosialisasi: the policy register, sessions with their agenda, attendance at the door,
moderated questions with one vote per inmate, polls, minutes and the promises made.

Write only through `pandai.townhall.services`; read through `pandai.townhall.selectors`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pandai.complaints.models import Complaint
from pandai.core.models import Site, User
from pandai.inmates.models import Block, Card, Inmate

USER = settings.AUTH_USER_MODEL


class PolicyStatus(models.TextChoices):
    ANNOUNCED = "announced", _("Diumumkan")
    IN_FORCE = "in_force", _("Berlaku")
    WITHDRAWN = "withdrawn", _("Dicabut")


class PolicySwitch(models.TextChoices):
    NONE = "", _("Tidak mengubah pengaturan")
    SHOP_CARD_ONLY = "shop_card_only", _("Koperasi hanya menerima pembayaran kartu")
    LEDGER_LIMITS = "ledger_limits", _("Batas belanja harian / bulanan")


class Policy(models.Model):
    """A rule announced to the inmates. With a `switch`, Pandai itself changes the setting on
    the effective date (`services.policies_tick`), so what was announced is what happens."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("judul"), max_length=200)
    text = models.TextField(_("isi aturan"))
    effective_date = models.DateField(_("berlaku mulai"))
    decided_by = models.CharField(
        _("diputuskan oleh"), max_length=150, help_text=_("Mis. Kepala Rutan, SK nomor …")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PolicyStatus.choices, default=PolicyStatus.ANNOUNCED
    )
    switch = models.CharField(
        _("pengaturan yang diubah"),
        max_length=16,
        choices=PolicySwitch.choices,
        default=PolicySwitch.NONE,
        blank=True,
    )
    switch_card_only = models.BooleanField(_("hanya kartu"), null=True, blank=True)
    switch_daily_limit_rp = models.BigIntegerField(_("batas harian"), null=True, blank=True)
    switch_monthly_limit_rp = models.BigIntegerField(_("batas bulanan"), null=True, blank=True)
    applied_at = models.DateTimeField(_("pengaturan diterapkan"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.TextField(_("alasan pencabutan"), blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kebijakan")
        verbose_name_plural = _("kebijakan")
        ordering = ["-effective_date", "-id"]
        indexes = [models.Index(fields=["status", "effective_date"], name="townhall_policy_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(switch_daily_limit_rp__isnull=True) | Q(switch_daily_limit_rp__gt=0),
                name="townhall_policy_daily_positive",
            ),
            models.CheckConstraint(
                condition=Q(switch_monthly_limit_rp__isnull=True)
                | Q(switch_monthly_limit_rp__gt=0),
                name="townhall_policy_monthly_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")
    OPEN = "open", _("Berlangsung")
    CLOSED = "closed", _("Selesai")


class Audience(models.TextChoices):
    ALL = "all", _("Seluruh WBP")
    BLOCKS = "blocks", _("Blok tertentu")
    LIST = "list", _("Daftar WBP")


class Session(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("judul"), max_length=200)
    starts_at = models.DateTimeField(_("waktu"))
    place = models.CharField(_("tempat"), max_length=120)
    chair = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pimpinan"),
    )
    officials: models.ManyToManyField[User, Any] = models.ManyToManyField(
        USER, blank=True, related_name="+", verbose_name=_("pejabat yang hadir")
    )
    audience = models.CharField(
        _("peserta"), max_length=8, choices=Audience.choices, default=Audience.ALL
    )
    audience_blocks = models.ManyToManyField(Block, blank=True, related_name="+")
    audience_inmates = models.ManyToManyField(Inmate, blank=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=8, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    # Questions wait for a moderator before anyone sees them (on by default: Slido's lesson).
    moderated = models.BooleanField(_("pertanyaan dimoderasi"), default=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes = models.TextField(_("notulen"), blank=True)
    minutes_public = models.TextField(_("notulen untuk papan (disamarkan)"), blank=True)
    attendance_count = models.PositiveIntegerField(_("jumlah hadir"), null=True, blank=True)
    published_at = models.DateTimeField(_("diumumkan"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sosialisasi")
        verbose_name_plural = _("sosialisasi")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["site", "status", "starts_at"], name="townhall_sessions")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=SessionStatus.CLOSED)
                | (Q(closed_at__isnull=False) & ~Q(minutes="") & Q(attendance_count__isnull=False)),
                name="townhall_closed_has_minutes",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(_("acara"), max_length=200)
    notes = models.TextField(_("keterangan"), blank=True)
    policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items"
    )
    complaints = models.ManyToManyField(Complaint, blank=True, related_name="+")

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class AttendanceMethod(models.TextChoices):
    CARD = "card", _("Tap kartu")
    ROSTER = "roster", _("Daftar hadir")


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendance")
    inmate = models.ForeignKey(Inmate, on_delete=models.PROTECT, related_name="+")
    # The block at the time of the tap: counts per block stay right after a move.
    block = models.ForeignKey(Block, on_delete=models.PROTECT, null=True, blank=True)
    method = models.CharField(max_length=8, choices=AttendanceMethod.choices)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "inmate"], name="townhall_attend_once")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.inmate_id}"


class QuestionSource(models.TextChoices):
    COMPLAINT = "complaint", _("Kotak pengaduan")
    PRE_SESSION = "pre_session", _("Diajukan sebelum sosialisasi")
    FLOOR = "floor", _("Dari peserta di aula")


class QuestionStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu moderasi")
    PUBLISHED = "published", _("Ditampilkan")
    HIDDEN = "hidden", _("Disembunyikan")
    MERGED = "merged", _("Digabung")
    ANSWERED = "answered", _("Dijawab")


class Question(models.Model):
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="questions")
    source = models.CharField(max_length=12, choices=QuestionSource.choices)
    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Who asked before the session (kiosk). Never shown on the projector or the board.
    inmate = models.ForeignKey(
        Inmate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("pertanyaan"))
    status = models.CharField(
        max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.PENDING
    )
    hidden_reason = models.CharField(_("alasan disembunyikan"), max_length=300, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged"
    )
    pinned = models.BooleanField(default=False)
    order = models.IntegerField(default=0)
    answer_text = models.TextField(_("jawaban"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["order", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session"], condition=Q(pinned=True), name="townhall_one_pinned"
            ),
            models.UniqueConstraint(
                fields=["session", "complaint"],
                condition=Q(complaint__isnull=False),
                name="townhall_complaint_once_per_session",
            ),
            models.CheckConstraint(
                condition=~Q(status=QuestionStatus.MERGED) | Q(merged_into__isnull=False),
                name="townhall_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(status=QuestionStatus.ANSWERED) | ~Q(answer_text=""),
                name="townhall_answered_has_text",
            ),
            models.CheckConstraint(
                condition=~Q(status=QuestionStatus.HIDDEN) | ~Q(hidden_reason=""),
                name="townhall_hidden_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Vote(models.Model):
    """One upvote per inmate per question — the database says so, not the code."""

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="votes")
    inmate = models.ForeignKey(Inmate, on_delete=models.PROTECT, related_name="+")
    card = models.ForeignKey(Card, on_delete=models.PROTECT, null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "inmate"], name="townhall_vote_once")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}:{self.inmate_id}"


class PollKind(models.TextChoices):
    SINGLE = "single", _("Satu pilihan")
    MULTIPLE = "multiple", _("Boleh lebih dari satu")


class PollMethod(models.TextChoices):
    CARD = "card", _("Tap kartu")
    HANDS = "hands", _("Angkat tangan (dihitung sekretaris)")


class PollStatus(models.TextChoices):
    DRAFT = "draft", _("Disiapkan")
    OPEN = "open", _("Dibuka")
    CLOSED = "closed", _("Ditutup")


class Poll(models.Model):
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="polls")
    question = models.CharField(_("pertanyaan"), max_length=300)
    kind = models.CharField(max_length=8, choices=PollKind.choices, default=PollKind.SINGLE)
    method = models.CharField(max_length=8, choices=PollMethod.choices, default=PollMethod.CARD)
    status = models.CharField(max_length=8, choices=PollStatus.choices, default=PollStatus.DRAFT)
    published = models.BooleanField(_("hasil diumumkan"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.question


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=120)
    order = models.PositiveIntegerField(default=0)
    hands = models.PositiveIntegerField(_("jumlah tangan"), null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label


class PollBallot(models.Model):
    """One ballot per inmate per poll (database-unique); its options are the choices."""

    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="ballots")
    inmate = models.ForeignKey(Inmate, on_delete=models.PROTECT, related_name="+")
    options = models.ManyToManyField(PollOption, related_name="ballots")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "inmate"], name="townhall_ballot_once")
        ]

    def __str__(self) -> str:
        return f"{self.poll_id}:{self.inmate_id}"


class Promise(models.Model):
    """Something promised at a session: tracked like a task until done."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="promises")
    what = models.CharField(_("janji"), max_length=300)
    who = models.CharField(_("penanggung jawab"), max_length=150)
    due_date = models.DateField(_("batas waktu"))
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_note = models.TextField(_("keterangan selesai"), blank=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.what


class Announcement(models.Model):
    """A notice to the inmates (pengumuman) shown on the kiosks between its dates: the visiting
    schedule changed, the koperasi is closed for stock-taking… Withdrawn, it leaves the kiosks at
    once and stays here with the reason."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("judul"), max_length=200)
    text = models.TextField(_("isi pengumuman"))
    publish_from = models.DateField(_("tampil mulai"))
    publish_until = models.DateField(_("tampil sampai"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdraw_reason = models.TextField(_("alasan penarikan"), blank=True)

    class Meta:
        verbose_name = _("pengumuman")
        verbose_name_plural = _("pengumuman")
        ordering = ["-publish_from", "-id"]
        indexes = [models.Index(fields=["site", "publish_from"], name="townhall_announcement_from")]
        constraints = [
            models.CheckConstraint(
                condition=Q(publish_until__isnull=True)
                | Q(publish_until__gte=models.F("publish_from")),
                name="townhall_announcement_dates",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdraw_reason=""),
                name="townhall_announcement_withdraw_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title
