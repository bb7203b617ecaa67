"""A shop manager's approval typed on the cashier's screen (for a void or a return): their
user name and password, checked like a login (django-axes counts the wrong tries and locks the
user out), never the cashier themself."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _

from pandai.core.models import Site, User
from pandai.core.permissions import Perm, perms_for
from pandai.shop.errors import ShopError

__all__ = ["approver_check", "check_approval"]


def _may_approve(user: User, site: Site) -> bool:
    roles = user.memberships.filter(site=site).values_list("role", flat=True)
    return Perm.SHOP_APPROVE in perms_for(roles)


def _shadow_request(request: HttpRequest | None) -> HttpRequest:
    """A request for django-axes carrying the till's address and browser, so the approver's
    failed tries are counted (and locked out) exactly like failed logins — but a lockout
    flag lands on this copy, not on the cashier's page, which axes' middleware would
    otherwise replace with its lockout page."""
    shadow = HttpRequest()
    shadow.method = "POST"
    if request is not None:
        for key in ("REMOTE_ADDR", "HTTP_USER_AGENT", "HTTP_X_FORWARDED_FOR", "HTTP_ACCEPT"):
            if key in request.META:
                shadow.META[key] = request.META[key]
        shadow.path = shadow.path_info = request.path
    shadow.META.setdefault("REMOTE_ADDR", "127.0.0.1")
    return shadow


def approver_check(
    *,
    site: Site,
    username: str,
    secret: str,
    cashier: User | None,
    request: HttpRequest | None = None,
) -> User:
    """The shop manager who types their user name and password on the cashier's screen.
    Wrong tries count toward that user's login lockout (django-axes); a locked-out manager is
    refused even with the right password. The cashier cannot approve their own correction."""
    username = (username or "").strip()
    if not username or not secret:
        raise ShopError(
            "approval_invalid", _("Isi nama pengguna dan kata sandi pengelola koperasi.")
        )
    shadow = _shadow_request(request)
    user = authenticate(shadow, username=username, password=secret)
    if getattr(shadow, "axes_locked_out", False):
        raise ShopError(
            "approval_locked",
            _(
                "Terlalu banyak percobaan salah untuk pengguna ini. Akun dikunci sementara; "
                "coba lagi nanti atau minta pengelola lain."
            ),
        )
    if not isinstance(user, User):
        raise ShopError(
            "approval_invalid", _("Nama pengguna atau kata sandi pengelola koperasi salah.")
        )
    if cashier is not None and user.pk == cashier.pk:
        raise ShopError(
            "approval_self",
            _("Kasir tidak boleh menyetujui koreksinya sendiri. Minta pengelola koperasi."),
        )
    if not _may_approve(user, site):
        raise ShopError(
            "approval_not_allowed",
            _("%(name)s bukan pengelola koperasi di UPT ini.") % {"name": user.display_name},
        )
    return user


def check_approval(*, site: Site, actor: User, approver: User) -> None:
    # Checked again here: a view that forgot approver_check must not get a correction through.
    if approver.pk == actor.pk:
        raise ShopError(
            "approval_self",
            _("Kasir tidak boleh menyetujui koreksinya sendiri. Minta pengelola koperasi."),
        )
    if not approver.is_active or not _may_approve(approver, site):
        raise ShopError(
            "approval_not_allowed",
            _("%(name)s bukan pengelola koperasi di UPT ini.") % {"name": approver.display_name},
        )
