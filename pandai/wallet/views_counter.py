"""Counter screens: the officer's shift (open, close with a cash count, report), family
deposits (find the inmate, the deposit form, the 80/58 mm receipt), the list of counters,
and the queue of cash differences a second officer decides."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, can, in_acting_site, requires
from pandai.core.xlsx import list_xlsx, wants_xlsx
from pandai.inmates import selectors as inmate_selectors
from pandai.inmates import services as inmate_services
from pandai.inmates.cards import looks_like_uid
from pandai.inmates.models import Inmate, InmateStatus
from pandai.wallet import counter, counter_deposits, selectors, services
from pandai.wallet.errors import LedgerError
from pandai.wallet.forms import (
    CounterForm,
    DecisionForm,
    DepositForm,
    FindInmateForm,
    ShiftCloseForm,
    ShiftOpenForm,
    new_form_key,
)
from pandai.wallet.models import AdjustmentStatus
from pandai.wallet.models_counter import CashDifference, Counter, CounterShift, Deposit


def _shift(request: PandaiRequest, pk: int) -> CounterShift:
    return in_acting_site(
        request, CounterShift.objects.select_related("counter", "officer", "closed_by"), pk=pk
    )


# --- shifts -----------------------------------------------------------------------------------


@requires(Perm.DEPOSIT_CREATE)
def counter_home(request: PandaiRequest) -> HttpResponse:
    """The officer's start page: the open shift (or the form to open one) and recent shifts."""
    site = request.site
    shift = counter.open_shift_of(officer=request.user, site=site)
    context: dict[str, object] = {"shift": shift}
    if shift is not None:
        context["totals"] = counter.shift_totals(shift=shift)
        context["deposits"] = (
            Deposit.objects.filter(shift=shift).select_related("inmate").order_by("-pk")[:10]
        )
    else:
        context["form"] = ShiftOpenForm(site=site)
    context["recent"] = (
        CounterShift.objects.filter(site=site)
        .select_related("counter", "officer")
        .order_by("-opened_at")[:10]
    )
    return render(request, "wallet/counter/home.html", context)


@requires(Perm.DEPOSIT_CREATE)
def shift_open(request: PandaiRequest) -> HttpResponse:
    form = ShiftOpenForm(request.POST or None, site=request.site)
    if request.method == "POST" and form.is_valid():
        try:
            shift = counter.shift_open(
                counter=form.cleaned_data["counter"],
                officer=request.user,
                opening_cash_rp=form.cleaned_data["opening_cash"],
            )
        except LedgerError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Shift di %(counter)s dibuka.") % {"counter": shift.counter.name},
            )
            return redirect("wallet:counter")
    return render(request, "wallet/counter/shift_open.html", {"form": form})


@requires(Perm.DEPOSIT_CREATE)
def shift_close(request: PandaiRequest, shift_pk: int) -> HttpResponse:
    shift = _shift(request, shift_pk)
    if not shift.is_open:
        messages.info(request, _("Shift ini sudah ditutup."))
        return redirect("wallet:shift_report", shift_pk=shift.pk)
    if shift.officer_id != request.user.pk:
        messages.error(request, _("Shift hanya bisa ditutup oleh petugas yang membukanya."))
        return redirect("wallet:shift_report", shift_pk=shift.pk)
    form = ShiftCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closed = counter.shift_close(
                shift=shift,
                actor=request.user,
                counted_cash_rp=form.cleaned_data["counted_cash"],
                reason=form.cleaned_data["reason"],
            )
        except LedgerError as exc:
            form.add_error("reason" if exc.code == "reason_required" else None, exc.message)
        else:
            if closed.difference_rp:
                messages.warning(
                    request,
                    _(
                        "Shift ditutup dengan selisih; selisih dicatat dan diajukan sebagai "
                        "penyesuaian untuk disetujui petugas lain."
                    ),
                )
            else:
                messages.success(request, _("Shift ditutup. Kas sesuai."))
            return redirect("wallet:shift_report", shift_pk=shift.pk)
    return render(
        request,
        "wallet/counter/shift_close.html",
        {"shift": shift, "totals": counter.shift_totals(shift=shift), "form": form},
    )


# The shift's deposits and the site's cash differences in their XLSX downloads.
DEPOSIT_COLUMNS = [
    (_l("Waktu"), lambda d: d.created_at),
    (_l("No. tanda terima"), lambda d: d.receipt_no),
    (_l("No. registrasi"), lambda d: d.inmate.reg_no),
    (_l("WBP"), lambda d: d.inmate.full_name),
    (_l("Penyetor"), lambda d: d.depositor_name),
    (_l("Hubungan"), lambda d: d.get_relationship_display()),
    (_l("Jumlah"), lambda d: d.amount_rp),
    (_l("Ditahan"), lambda d: d.held_rp),
]
DIFFERENCE_COLUMNS = [
    (_l("Dicatat"), lambda d: d.recorded_at),
    (_l("Loket"), lambda d: d.shift.counter.code),
    (_l("Shift"), lambda d: d.shift_id),
    (_l("Petugas"), lambda d: d.shift.officer.display_name),
    (_l("Selisih"), lambda d: d.amount_rp),
    (_l("Alasan"), lambda d: d.reason),
    (_l("Penyesuaian"), lambda d: d.adjustment.get_status_display() if d.adjustment else ""),
]


@requires(Perm.BALANCE_VIEW)
def shift_report(request: PandaiRequest, shift_pk: int) -> HttpResponseBase:
    """Printable: every deposit and cash payout of the shift, the cash count and any
    difference with its reason and its adjustment's state (the deposits also as XLSX)."""
    shift = _shift(request, shift_pk)
    deposits = Deposit.objects.filter(shift=shift).select_related("inmate").order_by("pk")
    if wants_xlsx(request):
        name = _("titipan-shift-%(pk)d") % {"pk": shift.pk}
        return list_xlsx(request, name=name, columns=DEPOSIT_COLUMNS, objects=deposits)
    payouts = shift.payouts.select_related("inmate").order_by("pk")
    difference = CashDifference.objects.select_related("adjustment").filter(shift=shift).first()
    return render(
        request,
        "wallet/counter/shift_report.html",
        {
            "shift": shift,
            "totals": counter.shift_totals(shift=shift),
            "deposits": deposits,
            "payouts": payouts,
            "difference": difference,
            "can_file": difference is not None
            and difference.adjustment_id is None
            and difference.recorded_by_id == request.user.pk,
        },
    )


# --- counters ---------------------------------------------------------------------------------


@requires(Perm.LEDGER_SETTINGS)
def counter_list(request: PandaiRequest) -> HttpResponse:
    form = CounterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = counter.counter_create(
                site=request.site,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                actor=request.user,
            )
        except LedgerError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Loket %(code)s ditambahkan.") % {"code": created.code})
            return redirect("wallet:counter_list")
    counters = (
        Counter.objects.filter(site=request.site)
        .annotate(open_shifts=Count("shifts", filter=Q(shifts__closed_at__isnull=True)))
        .order_by("code")
    )
    return render(request, "wallet/counter/counters.html", {"form": form, "counters": counters})


@requires(Perm.LEDGER_SETTINGS)
@require_POST
def counter_toggle(request: PandaiRequest, counter_pk: int) -> HttpResponse:
    item = in_acting_site(request, Counter.objects.all(), pk=counter_pk)
    try:
        counter.counter_set_active(counter=item, active=not item.is_active, actor=request.user)
    except LedgerError as exc:
        messages.error(request, exc.message)
    return redirect("wallet:counter_list")


# --- deposits ---------------------------------------------------------------------------------


@requires(Perm.DEPOSIT_CREATE)
def deposit_find(request: PandaiRequest) -> HttpResponse:
    """Find the inmate: a card tap (the reader types the UID + Enter) or an exact
    registration number opens the deposit form; a name lists the active matches."""
    site = request.site
    form = FindInmateForm(request.GET or None)
    matches = None
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        inmate = None
        if looks_like_uid(q):
            card = inmate_services.card_find(site=site, raw=q)
            inmate = card.inmate if card is not None else None
        if inmate is None:
            inmate = Inmate.objects.filter(site=site, reg_no__iexact=q).first()
        if inmate is not None and inmate.status == InmateStatus.ACTIVE:
            return redirect("wallet:deposit", pk=inmate.pk)
        matches = inmate_selectors.inmate_search(site=site, q=q, status=InmateStatus.ACTIVE)[:30]
    return render(
        request,
        "wallet/counter/deposit_find.html",
        {
            "form": form,
            "matches": matches,
            "shift": counter.open_shift_of(officer=request.user, site=site),
        },
    )


@requires(Perm.DEPOSIT_CREATE)
def deposit_create(request: PandaiRequest, pk: int) -> HttpResponse:
    inmate = in_acting_site(request, Inmate.objects.select_related("site", "cell__block"), pk=pk)
    if inmate.status != InmateStatus.ACTIVE:
        messages.error(request, _("WBP ini sudah tidak aktif; titipan tidak bisa diterima."))
        return redirect("wallet:inmate", pk=inmate.pk)
    shift = counter.open_shift_of(officer=request.user, site=request.site)
    if shift is None:
        messages.error(request, _("Buka shift loket dulu sebelum menerima titipan."))
        return redirect("wallet:counter")
    form = DepositForm(request.POST or None, initial={"key": new_form_key()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = counter_deposits.counter_deposit(
                shift=shift,
                inmate=inmate,
                amount_rp=data["amount"],
                depositor=counter_deposits.Depositor(
                    name=data["depositor_name"],
                    nik=data["depositor_nik"],
                    relationship=data["relationship"],
                    phone=data["depositor_phone"],
                ),
                form_key=str(data["key"]),
                actor=request.user,
            )
        except LedgerError as exc:
            form.add_error(None, exc.message)
        else:
            if outcome.replayed:
                messages.info(
                    request,
                    _("Titipan ini sudah tercatat (%(no)s); tidak dicatat dua kali.")
                    % {"no": outcome.deposit.receipt_no},
                )
            else:
                messages.success(
                    request, _("Titipan dicatat: %(no)s.") % {"no": outcome.deposit.receipt_no}
                )
            return redirect("wallet:receipt", deposit_pk=outcome.deposit.pk)
    if form.is_bound:
        # Every render carries its own key: after a refusal nothing was written, and the
        # corrected form is a new request.
        data = request.POST.copy()
        data["key"] = new_form_key()
        form.data = data
    return render(
        request,
        "wallet/counter/deposit_form.html",
        {
            "inmate": inmate,
            "form": form,
            "shift": shift,
            "balances": selectors.balances(inmate=inmate),
            "rules": selectors.site_rules(site=request.site),
        },
    )


@requires(Perm.BALANCE_VIEW)
def deposit_receipt(request: PandaiRequest, deposit_pk: int) -> HttpResponse:
    deposit = in_acting_site(
        request,
        Deposit.objects.select_related("inmate", "officer", "site", "shift__counter"),
        pk=deposit_pk,
    )
    width = "58" if request.GET.get("w") == "58" else "80"
    return render(
        request,
        "wallet/counter/receipt.html",
        {"deposit": deposit, "width": width, "can_deposit": can(request, Perm.DEPOSIT_CREATE)},
    )


# --- cash differences: the second officer's decision -----------------------------------------


@requires(Perm.ADJUST_APPROVE)
def difference_list(request: PandaiRequest) -> HttpResponseBase:
    every = (
        CashDifference.objects.filter(site=request.site)
        .select_related("shift__counter", "shift__officer", "recorded_by", "adjustment__decided_by")
        .order_by("-recorded_at")
    )
    if wants_xlsx(request):
        return list_xlsx(request, name=_("selisih-kas"), columns=DIFFERENCE_COLUMNS, objects=every)
    rows = every[:100]
    waiting = [
        d for d in rows if d.adjustment and d.adjustment.status == AdjustmentStatus.REQUESTED
    ]
    totals = CashDifference.objects.filter(site=request.site).aggregate(
        short=Sum("amount_rp", filter=Q(amount_rp__lt=0)),
        over=Sum("amount_rp", filter=Q(amount_rp__gt=0)),
    )
    return render(
        request,
        "wallet/counter/differences.html",
        {"rows": rows, "waiting": waiting, "totals": totals, "form": DecisionForm()},
    )


@requires(Perm.ADJUST_APPROVE)
@require_POST
def difference_decide(request: PandaiRequest, difference_pk: int) -> HttpResponse:
    difference = in_acting_site(
        request, CashDifference.objects.select_related("adjustment"), pk=difference_pk
    )
    form = DecisionForm(request.POST)
    decision = request.POST.get("decision")
    adjustment = difference.adjustment
    back = redirect("wallet:differences")
    if adjustment is None or decision not in ("approve", "reject") or not form.is_valid():
        messages.error(request, _("Pilih setujui atau tolak untuk penyesuaian yang diajukan."))
        return back
    try:
        if decision == "approve":
            services.adjustment_approve(request=adjustment, actor=request.user)
            messages.success(request, _("Penyesuaian disetujui dan dibukukan."))
        else:
            services.adjustment_reject(
                request=adjustment, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Penyesuaian ditolak."))
    except LedgerError as exc:
        messages.error(request, exc.message)
    return back


@requires(Perm.ADJUST_MAKE)
@require_POST
def difference_file(request: PandaiRequest, difference_pk: int) -> HttpResponse:
    """File the adjustment request again when closing could not (see counter.shift_close)."""
    difference = in_acting_site(
        request, CashDifference.objects.select_related("shift__counter"), pk=difference_pk
    )
    try:
        counter.difference_request_adjustment(difference=difference, actor=request.user)
    except LedgerError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Penyesuaian diajukan."))
    return redirect(reverse("wallet:shift_report", kwargs={"shift_pk": difference.shift_id}))
