"""One error shape for the whole API: ``{"error": {"code", "message", "detail"?}}``.

Pages get the same errors as a small HTML page; a page that needs a sign-in
redirects to the login form instead.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from whyno.errors import InputError, MissingExtraError, NotFoundError, WhynoError
from whyno.ingest.crm import ImportRejected

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "too_many_requests",
    500: "server_error",
    501: "not_available",
}


class ApiError(Exception):
    """An error meant for the client, with its HTTP status."""

    def __init__(
        self,
        status: int,
        message: str,
        detail: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.detail, self.headers = status, message, detail, headers


class AuthRequired(ApiError):
    def __init__(self, message: str = "sign in first (or send an API token)") -> None:
        super().__init__(401, message, headers={"WWW-Authenticate": "Bearer"})


def is_api(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/openapi.json"


def error_body(status: int, message: str, detail: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": CODES.get(status, "error"), "message": message}
    if detail is not None:
        body["detail"] = detail
    return {"error": body}


def respond(request: Request, error: ApiError) -> Response:
    if is_api(request):
        return JSONResponse(
            error_body(error.status, error.message, error.detail),
            status_code=error.status,
            headers=error.headers,
        )
    if isinstance(error, AuthRequired):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    templates = request.app.state.whyno.templates
    page: Response = templates.TemplateResponse(
        request,
        "error.html",
        {"status": error.status, "message": error.message, "user": None, "csrf": ""},
        status_code=error.status,
        headers=error.headers,
    )
    return page


def _from_whyno(exc: WhynoError) -> ApiError:
    if isinstance(exc, ImportRejected):
        problems = [p.__dict__ for p in exc.result.problems]
        return ApiError(422, str(exc), {"rejected": exc.result.rejected, "problems": problems})
    if isinstance(exc, NotFoundError):
        return ApiError(404, str(exc))
    if isinstance(exc, MissingExtraError):
        return ApiError(501, str(exc))
    if isinstance(exc, InputError):
        return ApiError(400, str(exc))
    return ApiError(400, str(exc))


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into the one shape."""

    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return respond(request, exc)

    async def whyno_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, WhynoError)
        return respond(request, _from_whyno(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        message = exc.detail if isinstance(exc.detail, str) else CODES.get(exc.status_code, "")
        headers = dict(exc.headers) if exc.headers else None
        return respond(request, ApiError(exc.status_code, message.replace("_", " "), None, headers))

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        detail = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
            for e in exc.errors()
        ]
        return respond(request, ApiError(422, "the request is not valid", detail))

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(WhynoError, whyno_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)
