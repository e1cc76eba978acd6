"""One mapping from csto's errors to HTTP: the same message the CLI prints, as an ErrorReport.

status_of(exc)          the 4xx (or 503) for each kind of error in csto.domain.errors
refused(errors, top)    pydantic's validation errors as a DataError naming each field (the
                        JSON API's bodies and the pages' forms alike)
ERROR_RESPONSES         the error responses every route documents in the OpenAPI description
install(app, html)      the handler for CstoError, and for the framework's request validation
                        (turned into a DataError naming each bad field: file "request") and
                        its other refusals (an unknown path, a wrong method), in the same shape;
                        outside /api/, to a browser (htmx, or Accept: text/html),
                        `html(request, report, status)` answers instead: the same report as a
                        page or, for htmx, as a fragment
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response

from csto.domain.errors import (
    MISSING,
    AccessDenied,
    Conflict,
    CstoError,
    DataError,
    DateOutOfRange,
    ErrorReport,
    Forbidden,
    NotFound,
    Problem,
    error_report,
)
from csto.store import StoreError

STATUS: tuple[tuple[type[CstoError], int], ...] = (
    (AccessDenied, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (DataError, 422),
    (DateOutOfRange, 422),
    (StoreError, 503),
)

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorReport, "description": text}
    for code, text in (
        (400, "the request cannot work"),
        (401, "no valid seat: unknown, used or revoked token or session"),
        (403, "the seat may not do this (as another state, without the CSRF token)"),
        (404, "no such exercise, motion, request, offer, report or inject"),
        (409, "the exercise's state refuses it (a closed motion, an ended exercise)"),
        (413, "the body is larger than allowed"),
        (422, "a field is wrong: the problems name each field and what is allowed"),
        (503, "the store cannot be used"),
    )
}


def status_of(exc: CstoError) -> int:
    return next((code for kind, code in STATUS if isinstance(exc, kind)), 400)


def _field(loc: tuple[Any, ...], top: str) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:] if parts[0] == "body" else parts
    return ".".join(parts) or top


def refused(errors: Iterable[Mapping[str, Any]], top: str = "body") -> DataError:
    """Pydantic's validation errors (of a request body, or of a form's command) as a DataError
    naming each field, the value found and what is allowed; `top`: the name of the whole."""
    problems = []
    for err in errors:
        allowed = str(err.get("msg", "invalid"))
        ctx = err.get("ctx") or {}
        if "expected" in ctx:
            allowed = f"allowed: {ctx['expected']}"
        elif not allowed.startswith("allowed"):
            allowed = f"allowed: {allowed[0].lower()}{allowed[1:]}" if allowed else "invalid"
        value = MISSING if err.get("type") == "missing" else err.get("input")
        problems.append(Problem(_field(tuple(err.get("loc", ())), top), value, allowed))
    return DataError("request", problems)


HtmlErrors = Callable[[Request, ErrorReport, int], Response]


def _wants_html(request: Request) -> bool:
    """A page's request (outside /api/) from a browser (htmx, or one that asks for HTML)."""
    if request.url.path.startswith("/api/"):
        return False
    return bool(request.headers.get("HX-Request")) or "text/html" in request.headers.get(
        "accept", ""
    )


def install(app: FastAPI, html: HtmlErrors | None = None) -> None:
    def answer(
        request: Request, report: ErrorReport, status: int, headers: Mapping[str, str] | None = None
    ) -> Response:
        if html is not None and _wants_html(request):
            return html(request, report, status)
        return JSONResponse(report.dump(), status_code=status, headers=headers)

    async def on_csto(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, CstoError)
        return answer(request, error_report(exc), status_of(exc))

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        failed = refused(exc.errors())
        return answer(request, error_report(failed), status_of(failed))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        report = ErrorReport(error="http_error", message=str(exc.detail))
        return answer(request, report, exc.status_code, exc.headers)

    app.add_exception_handler(CstoError, on_csto)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(HTTPException, on_http)
