"""What every route is handed: the app's `Context`, and the signal that sends a visitor who
is not signed in to the sign-in page. Kept apart from `app.py`, which mounts the routes, so
that the route modules can use both without importing the module that imports them."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import sessionmaker

from openasc.config import Settings
from openasc.web import security
from openasc.web.jobs import Jobs
from openasc.web.warehouse_gate import WarehouseGate


@dataclass
class Context:
    """Everything a route needs, made once per app."""

    settings: Settings
    gate: WarehouseGate
    users: sessionmaker
    jobs: Jobs
    templates: Jinja2Templates
    login_csrf: security.LoginCsrf
    secure_cookies: bool
    trusted_proxies: frozenset[str] = frozenset()  # whose X-Forwarded-For is believed


class SignInNeeded(Exception):
    """Raised by a page when nobody is signed in: answered with a redirect to /login."""

    def __init__(self, path: str) -> None:
        self.path = path
