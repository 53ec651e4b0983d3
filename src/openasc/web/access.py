"""Who is asking, and may they: the checks every page and API route starts with."""

from __future__ import annotations

from fastapi import HTTPException, Request

from openasc.councils import find
from openasc.web import figures, security
from openasc.web.context import Context, SignInNeeded


def ctx_of(request: Request) -> Context:
    return request.app.state.ctx


def client_of(request: Request) -> str:
    """The client's address: the peer's, or, when the peer is a configured reverse proxy
    (`OPENASC_TRUSTED_PROXIES`), the nearest address in X-Forwarded-For that is not one of
    the proxies. A header from anyone else is ignored: it can say anything."""
    peer = request.client.host if request.client else ""
    proxies = ctx_of(request).trusted_proxies
    if peer in proxies:
        forwarded = [a.strip() for a in request.headers.get("x-forwarded-for", "").split(",")]
        for address in reversed([a for a in forwarded if a]):
            if address not in proxies:
                return address[:64]
    return peer


def principal(request: Request) -> security.Principal | None:
    ctx = ctx_of(request)
    return security.principal_for(ctx.users, request.cookies.get(security.SESSION_COOKIE))


def page_user(request: Request, role: str = "viewer") -> security.Principal:
    """The signed-in user of a page, or a redirect to sign in, or 403 for too low a role."""
    who = principal(request)
    if who is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInNeeded(path)
    if not who.can(role):
        raise HTTPException(403, f"This page needs the {role} role; you are a {who.role}.")
    return who


def api_user(request: Request, role: str = "viewer") -> security.Principal:
    who = principal(request)
    if who is None:
        raise HTTPException(401, "Sign in first (POST /login); the session cookie authorises "
                                 "API calls.")
    if not who.can(role):
        raise HTTPException(403, f"This needs the {role} role.")
    return who


async def checked_form(request: Request, who: security.Principal) -> dict[str, str]:
    """The form of a POST, after checking its CSRF token and that it came from this site."""
    origin = request.headers.get("origin")
    if origin and origin != f"{request.url.scheme}://{request.url.netloc}":
        raise HTTPException(403, "The form was sent from another site; refused (CSRF).")
    form = await request.form()
    if not security.tokens_match(who.csrf_token, str(form.get("csrf_token") or "")):
        raise HTTPException(403, "The form's security token is missing or wrong (CSRF); reload "
                                 "the page and try again.")
    return {k: v for k, v in form.items() if isinstance(v, str)}


def council_of(request: Request, la: str | None) -> tuple[str, list[tuple[str, str]]]:
    """The council to show (asked for, else configured, else the first with measures)."""
    ctx = ctx_of(request)

    def load() -> list[tuple[str, str]]:
        with ctx.gate.read() as cur:
            return figures.councils(cur)

    known = ctx.gate.cached("councils", load)
    codes = [c for c, _ in known]
    for want in (la, ctx.settings.council):
        if want:
            c = find(want)
            if c is not None and c.ons_code in codes:
                return c.ons_code, known
            if want in codes:
                return want, known
    if la:
        raise HTTPException(404, f"No measures for council {la!r} in the warehouse.")
    return (codes[0] if codes else ""), known
