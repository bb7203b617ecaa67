"""Polls of a session: create, open, close, answers by card tap or counted hands, publish."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, requires
from pandai.townhall import selectors, services
from pandai.townhall.errors import TownhallError
from pandai.townhall.forms import PollForm
from pandai.townhall.views.common import get_poll, get_session


@requires(Perm.SESSION_RUN)
def poll_list(request: PandaiRequest, pk: int) -> HttpResponse:
    session = get_session(request, pk)
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.poll_create(
                session=session,
                actor=request.user,
                question=d["question"],
                kind=d["kind"],
                method=d["method"],
                options=d["options"].splitlines(),
            )
        except TownhallError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Jajak pendapat disiapkan."))
            return redirect("townhall:poll_list", pk=pk)
    return render(
        request,
        "townhall/polls.html",
        {"session": session, "form": form, "results": selectors.poll_results(session=session)},
    )


@require_POST
@requires(Perm.SESSION_RUN)
def poll_action(request: PandaiRequest, pk: int) -> HttpResponse:
    poll = get_poll(request, pk)
    action = request.POST.get("action", "")
    try:
        if action in ("open", "closed"):
            services.poll_set_status(poll=poll, actor=request.user, status=action)
        elif action in ("publish", "unpublish"):
            services.poll_publish(poll=poll, actor=request.user, published=action == "publish")
        elif action == "hands":
            counts = {}
            for o in poll.options.all():
                raw = request.POST.get(f"hands-{o.pk}", "").strip() or "0"
                if not raw.isdigit():
                    raise TownhallError("counts", _("Jumlah tangan harus angka."))
                counts[o.pk] = int(raw)
            services.poll_hands_set(poll=poll, actor=request.user, counts=counts)
        elif action == "tap":
            ids = [int(x) for x in request.POST.getlist("option") if x.isdigit()]
            services.poll_answer_card(
                poll=poll, raw=request.POST.get("card", "")[:64], option_ids=ids
            )
            messages.success(request, _("Jawaban tercatat."))
        else:
            raise TownhallError("action", _("Tindakan tidak dikenal."))
    except TownhallError as exc:
        messages.error(request, exc.message)
    return redirect("townhall:poll_list", pk=poll.session_id)
