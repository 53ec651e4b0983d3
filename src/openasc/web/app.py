"""The dashboard: a FastAPI app of server-rendered pages over the warehouse, and a JSON API.

Pages are plain HTML forms and links that work with JavaScript off; the one script (vendored
in static/, no CDN) only polls a report's progress. Who may see what is decided in
`figures.py` (published or unrounded) and by the role checks here; the security headers,
sessions and CSRF tokens come from `security.py`.
"""

from __future__ import annotations

import os
import secrets
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from rich.console import Console
from starlette.exceptions import HTTPException as StarletteHTTPException

from openasc.config import Settings
from openasc.web import security
from openasc.web.context import Context, SignInNeeded
from openasc.web.db import make_engine, session_factory, users_db_url
from openasc.web.jobs import Jobs
from openasc.web.warehouse_gate import WarehouseBusy, WarehouseGate

PACKAGE = resources.files("openasc.web")


def trusted_proxies() -> frozenset[str]:
    """`OPENASC_TRUSTED_PROXIES`: the reverse proxies' addresses, comma-separated."""
    return frozenset(a.strip() for a in os.environ.get("OPENASC_TRUSTED_PROXIES", "").split(",")
                     if a.strip())


class SecurityHeaders:
    """Pure ASGI middleware: add the security headers to every response, no-store to pages."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope.get("path", "").startswith("/static/")

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                for k, v in security.SECURITY_HEADERS.items():
                    if k.lower().encode() not in names:
                        headers.append((k.lower().encode(), v.encode()))
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(settings: Settings, users_url: str | None = None,
               reports_dir: Path | None = None, secure_cookies: bool = True) -> FastAPI:
    """Build the app for one warehouse and one users database."""
    from openasc.web import api, pages

    engine = make_engine(users_url or users_db_url(settings))
    folder = reports_dir or Path(f"{settings.warehouse.resolve()}.reports")
    templates = Jinja2Templates(directory=str(PACKAGE / "templates"))
    ctx = Context(settings=settings, gate=WarehouseGate(settings.warehouse),
                  users=session_factory(engine), jobs=Jobs(folder), templates=templates,
                  login_csrf=security.LoginCsrf(secrets.token_urlsafe(32)),
                  secure_cookies=secure_cookies, trusted_proxies=trusted_proxies())
    app = FastAPI(title="openasc dashboard API",
                  description="Adult social care measures, comparisons and metadata from the "
                  "openasc warehouse. Sign in through the dashboard (/login); the session "
                  "cookie authorises these calls. Viewers get published figures (rounded and "
                  "suppressed); analysts and admins get unrounded figures.",
                  version="1", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.ctx = ctx
    app.mount("/static", StaticFiles(directory=str(PACKAGE / "static")), name="static")
    app.include_router(pages.router)
    app.include_router(api.router)

    @app.exception_handler(SignInNeeded)
    async def _to_login(request: Request, exc: SignInNeeded) -> RedirectResponse:
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(exc.path, safe='/')}", status_code=303)

    @app.exception_handler(WarehouseBusy)
    async def _busy(request: Request, exc: WarehouseBusy) -> Any:
        return await _http_error(request, StarletteHTTPException(503, exc.message))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Any:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                headers=exc.headers)  # keeps Allow on a 405
        return templates.TemplateResponse(
            request, "error.html", {"status": exc.status_code, "detail": exc.detail,
                                    "user": None, "page": "error"},
            status_code=exc.status_code, headers=exc.headers)

    app.add_middleware(SecurityHeaders)
    return app


def serve_command(host: str, port: int, settings: Settings, console: Console) -> None:
    """`openasc serve`: check the warehouse and users database, then run uvicorn."""
    import uvicorn

    from openasc.errors import OpenascError

    if not settings.warehouse.exists():
        raise OpenascError(
            f"There is no warehouse at {settings.warehouse}. Create one with `openasc demo` or "
            "`openasc ingest cld FILE`, or point --warehouse at an existing one.")
    app = create_app(settings)
    console.print(f"openasc dashboard for {settings.warehouse} on http://{host}:{port}/ "
                  "(Ctrl+C to stop). Add the first admin with `openasc users add --role admin "
                  "NAME` if you have not.")
    if host not in ("127.0.0.1", "localhost", "::1"):
        console.print("Session cookies are Secure: serve it behind HTTPS (a reverse proxy) "
                      "when it listens beyond this machine.")
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False,
                server_header=False)
