"""The device API (django-ninja, OpenAPI at /api/docs): one NinjaAPI, one router per area.

Errors are JSON `{"code": "<stable_code>", "message": "<Bahasa Indonesia>"}` so terminals can
branch on `code` and show `message`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from pandai.core.models import Device
from pandai.core.services import device_authenticate


class ErrorOut(Schema):
    code: str
    message: str


class ApiError(Exception):
    """Raise from an endpoint to answer `status` with a stable code and a user message."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class MalformedBody(ValueError):
    """The request's body is not JSON (ninja answers it with its own English 400 otherwise)."""


class _Parser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        try:
            return super().parse_body(request)
        except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
            raise MalformedBody(str(exc)) from exc


class DeviceAuth(HttpBearer):
    """`Authorization: Bearer <device token>`; the device must be registered and active."""

    def __init__(self, *kinds: str) -> None:
        super().__init__()
        self.kinds = kinds or None

    def authenticate(self, request: HttpRequest, token: str) -> Device | None:
        device = device_authenticate(token=token, kinds=self.kinds)
        if device is not None:
            request.device = device  # type: ignore[attr-defined]
        return device


api = NinjaAPI(
    title="Pandai API",
    version="1",
    description=_("API untuk terminal kasir, kios, pembaca kartu dan callback bank."),
    urls_namespace="api",
    docs_url="/docs",
    parser=_Parser(),
)


def _error(request: HttpRequest, code: str, message: str, status: int) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message}, status=status)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return _error(request, exc.code, exc.message, exc.status)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, "unauthorized", _("Perangkat tidak terdaftar atau token salah."), 401)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = sorted({".".join(str(p) for p in e.get("loc", [])[1:]) for e in exc.errors})
    message = _("Data permintaan tidak valid: %(fields)s.") % {"fields": ", ".join(fields) or "-"}
    return _error(request, "invalid_request", message, 422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, MalformedBody):
        # A body that is not JSON is an invalid request like any other (422, as the schema
        # says for every body), told in Indonesian (found by the API fuzzing test).
        return _error(request, "invalid_request", _("Isi permintaan bukan JSON yang sah."), 422)
    return _error(request, "http_error", str(exc), exc.status_code)


class PingOut(Schema):
    ok: bool


@api.get("/ping", response=PingOut, auth=None, tags=["sistem"])
def ping(request: HttpRequest) -> dict[str, Any]:
    """A trivial endpoint: health checks and the HTTP benchmark's baseline."""
    return {"ok": True}


def register_routers() -> None:
    """Attach each area's router. Called once from ApiConfig.ready(): the router modules import
    ApiError, DeviceAuth and ErrorOut from this module, so importing them above would be a cycle."""
    from pandai.api import bank, shop, terminal

    api.add_router("/bank", bank.router)
    api.add_router("/shop", shop.router)
    api.add_router("/terminal", terminal.router)
