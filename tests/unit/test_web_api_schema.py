"""schemathesis against the dashboard's OpenAPI document: no server errors, responses as
documented, for a signed-in viewer and analyst (the hand-made warehouse of web_fixtures)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from openasc.config import Settings
from openasc.web import security
from openasc.web.app import create_app
from openasc.web.db import make_engine, session_factory
from web_fixtures import PASSWORDS, make_users, make_warehouse

_folder = Path(tempfile.mkdtemp(prefix="openasc-schema-"))
atexit.register(shutil.rmtree, _folder, ignore_errors=True)  # made at import
_url = f"sqlite:///{_folder / 'users.sqlite'}"
make_users(_url)
_app = create_app(Settings(warehouse=make_warehouse(_folder), key_file=_folder / "nokey"),
                  users_url=_url, reports_dir=_folder / "reports")
_factory = session_factory(make_engine(_url))
TOKENS = {name: security.sign_in(_factory, name, PASSWORDS[name], "schemathesis")
          for name in ("vic", "ann")}

schema = schemathesis.openapi.from_asgi("/api/openapi.json", _app)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_as_viewer(case):
    case.call_and_validate(headers={"Cookie": f"{security.SESSION_COOKIE}={TOKENS['vic']}"})


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_as_analyst(case):
    case.call_and_validate(headers={"Cookie": f"{security.SESSION_COOKIE}={TOKENS['ann']}"})


@schema.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_signed_out_is_401(case):
    """Every documented call needs a session; schemathesis also tries undeclared methods
    (TRACE, PUT...), which must be 405, and parameters FastAPI rejects (422) before any
    data is read. Nothing is ever answered with figures."""
    response = case.call()
    allowed = {401, 422} if case.method.upper() == "GET" else {405}
    assert response.status_code in allowed


def teardown_module() -> None:
    """Close the warehouse before the interpreter exits (DuckDB complains otherwise)."""
    _app.state.ctx.gate.close()
