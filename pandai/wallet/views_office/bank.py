"""Bank money screens: the bank credits received, suspense money (assign to an inmate or
return), and the daily reconciliation of the bank's statement."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from pandai.core.calendar import site_today
from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, in_acting_site, requires
from pandai.core.xlsx import list_xlsx, wants_xlsx
from pandai.wallet import bank, reconciliation
from pandai.wallet.errors import LedgerError
from pandai.wallet.forms_office import (
    ReconcileUploadForm,
    SuspenseAssignForm,
    SuspenseReturnForm,
)
from pandai.wallet.models_bank import BankCredit, BankCreditStatus, Reconciliation
from pandai.wallet.statement_csv import OPTIONAL_COLUMNS, REQUIRED_COLUMNS

# The bank credits in their XLSX download.
CREDIT_COLUMNS = [
    (_l("Diterima"), lambda c: c.received_at),
    (_l("Saluran"), lambda c: c.get_channel_display()),
    (_l("Referensi"), lambda c: c.ref),
    (_l("VA"), lambda c: c.va_number),
    (_l("Pengirim"), lambda c: c.payer_name),
    (_l("Rekening pengirim"), lambda c: c.payer_account),
    (_l("No. registrasi"), lambda c: c.inmate.reg_no if c.inmate else ""),
    (_l("WBP"), lambda c: c.inmate.full_name if c.inmate else ""),
    (_l("Jumlah"), lambda c: c.amount_rp),
    (_l("Tertahan"), lambda c: c.held_rp),
    (_l("Status"), lambda c: c.get_status_display()),
]


@requires(Perm.RECONCILE)
def credit_list(request: PandaiRequest) -> HttpResponseBase:
    status = request.GET.get("status", "")
    credits = (
        BankCredit.objects.filter(site=request.site)
        .select_related("inmate", "resolved_by")
        .order_by("-received_at", "-pk")
    )
    if status in BankCreditStatus.values:
        credits = credits.filter(status=status)
    if wants_xlsx(request):
        return list_xlsx(request, name=_("transfer-bank"), columns=CREDIT_COLUMNS, objects=credits)
    page = Paginator(credits, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "wallet/office/bank_credits.html",
        {"page": page, "status": status, "statuses": BankCreditStatus.choices},
    )


@requires(Perm.RECONCILE)
def suspense_list(request: PandaiRequest) -> HttpResponse:
    credits = BankCredit.objects.filter(
        site=request.site, status=BankCreditStatus.SUSPENSE
    ).order_by("received_at", "pk")
    total = sum(c.amount_rp for c in credits)
    return render(
        request,
        "wallet/office/suspense.html",
        {
            "credits": credits,
            "total": total,
            "assign_form": SuspenseAssignForm(site=request.site),
            "return_form": SuspenseReturnForm(),
        },
    )


@requires(Perm.RECONCILE)
@require_POST
def suspense_assign(request: PandaiRequest, pk: int) -> HttpResponse:
    credit = in_acting_site(request, BankCredit.objects.select_related("site"), pk=pk)
    form = SuspenseAssignForm(request.POST, site=request.site)
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, _("Dana belum dialihkan: %(e)s") % {"e": errors})
        return redirect("office:suspense")
    inmate = form.cleaned_data["inmate"]
    try:
        bank.suspense_assign(
            credit=credit, inmate=inmate, actor=request.user, note=form.cleaned_data["note"]
        )
    except LedgerError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Dana %(ref)s dialihkan ke %(name)s (%(reg)s).")
            % {"ref": credit.ref, "name": inmate.full_name, "reg": inmate.reg_no},
        )
    return redirect("office:suspense")


@requires(Perm.RECONCILE)
@require_POST
def suspense_return(request: PandaiRequest, pk: int) -> HttpResponse:
    credit = in_acting_site(request, BankCredit.objects.select_related("site"), pk=pk)
    form = SuspenseReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Dana belum dikembalikan: alasan wajib diisi."))
        return redirect("office:suspense")
    try:
        bank.suspense_return(credit=credit, actor=request.user, reason=form.cleaned_data["reason"])
    except LedgerError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Pengembalian dana %(ref)s ke pengirim dicatat.") % {"ref": credit.ref}
        )
    return redirect("office:suspense")


@requires(Perm.RECONCILE)
def reconcile(request: PandaiRequest) -> HttpResponse:
    form = ReconcileUploadForm(
        request.POST or None, request.FILES or None, initial={"day": site_today(request.site)}
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > reconciliation.MAX_BYTES:
                raise reconciliation.ReconciliationError(
                    _("Berkas terlalu besar (maksimum %(kb)d KB).")
                    % {"kb": reconciliation.MAX_BYTES // 1024}
                )
            done = reconciliation.reconciliation_create(
                site=request.site,
                day=form.cleaned_data["day"],
                filename=upload.name,
                data=upload.read(),
                actor=request.user,
            )
        except reconciliation.ReconciliationError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("office:reconcile_detail", pk=done.pk)
    history = (
        Reconciliation.objects.filter(site=request.site)
        .select_related("uploaded_by")
        .defer("content", "result")
        .order_by("-day", "-pk")[:30]
    )
    return render(
        request,
        "wallet/office/reconcile.html",
        {
            "form": form,
            "history": history,
            "required_columns": REQUIRED_COLUMNS,
            "optional_columns": OPTIONAL_COLUMNS,
        },
    )


@requires(Perm.RECONCILE)
def reconcile_detail(request: PandaiRequest, pk: int) -> HttpResponse:
    done = in_acting_site(
        request, Reconciliation.objects.select_related("uploaded_by", "site"), pk=pk
    )
    now = reconciliation.current_credits(done)
    reasons = reconciliation.reasons()
    statement_only = [
        {
            **row,
            "reason_label": reasons.get(row["reason"], row["reason"]),
            "now": now.get(row["ref"]),
        }
        for row in done.result.get("statement_only", [])
    ]
    return render(
        request,
        "wallet/office/reconcile_detail.html",
        {
            "done": done,
            "summary": done.summary,
            "matched": done.result.get("matched", []),
            "statement_only": statement_only,
            "credit_only": [
                {**row, "now": now.get(row["ref"])} for row in done.result.get("credit_only", [])
            ],
            "no_callback": reconciliation.NO_CALLBACK,
        },
    )


@requires(Perm.RECONCILE)
@require_POST
def reconcile_book(request: PandaiRequest, pk: int) -> HttpResponse:
    done = in_acting_site(request, Reconciliation.objects.select_related("site"), pk=pk)
    line = int(request.POST["line"]) if request.POST.get("line", "").isdigit() else 0
    if not line:
        messages.error(request, _("Pilih baris rekening koran."))
        return redirect("office:reconcile_detail", pk=done.pk)
    try:
        outcome = reconciliation.reconciliation_book_line(
            reconciliation=done, line=line, actor=request.user
        )
    except LedgerError as exc:
        messages.error(request, exc.message)
    else:
        if outcome.replayed:
            messages.info(
                request, _("Referensi ini sudah dibukukan sebelumnya; tidak ada yang berubah.")
            )
        else:
            messages.success(
                request,
                _("Baris %(line)d dibukukan: %(result)s.")
                % {"line": line, "result": outcome.credit.get_status_display()},
            )
    return redirect("office:reconcile_detail", pk=done.pk)
