"""Sign-in, sessions, CSRF and the browser's security headers.

Sessions are server-side rows keyed by the hash of a random token held in an HTTP-only,
Secure, SameSite=Strict cookie: signing out or disabling a user ends every session at once,
and a stolen users database does not hold usable tokens. Every form carries the session's
CSRF token (the sign-in form, before any session exists, a signed token bound to a cookie);
a POST without it is refused. Failed sign-ins are audited, and the audit log is what
throttles, in every server process and across restarts (see `throttled`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import sessionmaker

from openasc.web.db import AuditEvent, User, WebSession, now
from openasc.web.users import check_password

SESSION_COOKIE = "openasc_session"
LOGIN_COOKIE = "openasc_login"
SESSION_LIFETIME = timedelta(hours=8)
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES = 5
BACKOFF_FIRST = timedelta(seconds=30)
RANK = {"viewer": 0, "analyst": 1, "admin": 2}

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",  # no-referrer would make form POSTs send Origin: null
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


@dataclass(frozen=True)
class Principal:
    """The signed-in user as a request sees them."""

    user_id: int
    name: str
    role: str
    csrf_token: str

    def can(self, role: str) -> bool:
        """Roles are nested: an admin can do what an analyst can, an analyst what a viewer can."""
        return RANK[self.role] >= RANK[role]

    @property
    def unrounded(self) -> bool:
        return self.can("analyst")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def audit(factory: sessionmaker, user_name: str, action: str, detail: str = "",
          client: str = "") -> None:
    with factory() as db, db.begin():
        db.add(AuditEvent(user_name=user_name[:100], action=action, detail=detail,
                          client=client[:64]))


def throttled(factory: sessionmaker, name: str, client: str) -> bool:
    """Whether a sign-in for `name` from `client` must wait: backoff, not a lockout.

    Failures in `THROTTLE_WINDOW` are counted three ways, each with its own threshold, and
    past a threshold each further failure doubles the wait after the latest one (30 s, 1
    min, 2 min, ... at most the window):
    - the account from this address (`MAX_FAILURES`): a guesser at one account;
    - the account from anywhere (4 x): a guesser spread over many addresses;
    - the address over all accounts (10 x): one machine trying many names.
    Before, 20 failures from one address locked every user at it out for 15 minutes, and
    behind a reverse proxy every user has the proxy's address; the client address is now the
    one the configured proxy reports (`access.client_of`)."""
    since = now() - THROTTLE_WINDOW
    failed = (AuditEvent.action == "sign-in failed", AuditEvent.at >= since)
    rules = [(MAX_FAILURES, (AuditEvent.user_name == name[:100], AuditEvent.client == client[:64])),
             (MAX_FAILURES * 4, (AuditEvent.user_name == name[:100],)),
             (MAX_FAILURES * 10, (AuditEvent.client == client[:64],))]
    with factory() as db:
        for limit, where in rules:
            n, latest = db.execute(select(func.count(), func.max(AuditEvent.at)).where(
                *failed, *where)).one()
            if n >= limit and latest is not None and now() - latest < backoff(n - limit):
                return True
    return False


def backoff(over: int) -> timedelta:
    """The wait after the `over`-th failure beyond a threshold (0 = the threshold itself)."""
    return min(BACKOFF_FIRST * 2 ** min(over, 20), THROTTLE_WINDOW)


def sign_in(factory: sessionmaker, name: str, password: str, client: str) -> str | None:
    """Check the password; on success make a session and return its cookie token."""
    with factory() as db:
        user = db.scalar(select(User).where(User.name == name))
    ok = check_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        audit(factory, name or "(blank)", "sign-in failed", "", client)
        return None
    token = secrets.token_urlsafe(32)
    with factory() as db, db.begin():
        db.execute(delete(WebSession).where(WebSession.expires_at < now()))
        db.add(WebSession(token_hash=_digest(token), user_id=user.id,
                          csrf_token=secrets.token_urlsafe(32),
                          expires_at=now() + SESSION_LIFETIME))
        db.add(AuditEvent(user_name=user.name, action="signed in", detail=user.role,
                          client=client[:64]))
    return token


_recent: dict[str, tuple[float, Principal]] = {}
RECHECK_SECONDS = 5.0


def forget_sessions() -> None:
    """Drop the in-process cache of checked sessions (after a sign-out or a disabled user)."""
    _recent.clear()


def principal_for(factory: sessionmaker, token: str | None) -> Principal | None:
    """The session's user. A session checked in the last few seconds is not looked up again
    (this process drops the cache whenever it ends a session), which keeps pages fast under
    load; a session ended by another process lasts at most RECHECK_SECONDS longer here."""
    if not token:
        return None
    hit = _recent.get(token)
    if hit is not None and time.monotonic() - hit[0] < RECHECK_SECONDS:
        return hit[1]
    who = _lookup(factory, token)
    if who is not None:
        if len(_recent) > 10000:
            _recent.clear()
        _recent[token] = (time.monotonic(), who)
    return who


def _lookup(factory: sessionmaker, token: str) -> Principal | None:
    with factory() as db:
        row = db.execute(
            select(WebSession.csrf_token, User.id, User.name, User.role)
            .join(User, User.id == WebSession.user_id)
            .where(WebSession.token_hash == _digest(token), WebSession.expires_at > now(),
                   User.active.is_(True))).first()
    if row is None:
        return None
    return Principal(user_id=row.id, name=row.name, role=row.role, csrf_token=row.csrf_token)


def sign_out(factory: sessionmaker, token: str | None, user_name: str) -> None:
    if not token:
        return
    forget_sessions()
    with factory() as db, db.begin():
        db.execute(delete(WebSession).where(WebSession.token_hash == _digest(token)))
        db.add(AuditEvent(user_name=user_name, action="signed out"))


def end_sessions_of(factory: sessionmaker, user_id: int) -> None:
    forget_sessions()
    with factory() as db, db.begin():
        db.execute(delete(WebSession).where(WebSession.user_id == user_id))


def tokens_match(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(expected, given)


class LoginCsrf:
    """The sign-in form's CSRF token: a random nonce in a cookie, signed into the form."""

    def __init__(self, secret: str) -> None:
        self._s = URLSafeTimedSerializer(secret, salt="openasc-login")

    def issue(self, nonce: str) -> str:
        return self._s.dumps(nonce)

    def check(self, form_token: str | None, cookie_nonce: str | None) -> bool:
        if not form_token or not cookie_nonce:
            return False
        try:
            nonce = self._s.loads(form_token, max_age=3600)
        except (BadSignature, SignatureExpired):
            return False
        return hmac.compare_digest(str(nonce), cookie_nonce)


def recent_audit(factory: sessionmaker, limit: int = 200,
                 actions: tuple[str, ...] | None = None) -> list[AuditEvent]:
    with factory() as db:
        q = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
        if actions:
            q = q.where(or_(*[AuditEvent.action == a for a in actions]))
        return list(db.scalars(q))
