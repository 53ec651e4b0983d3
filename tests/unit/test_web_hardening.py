"""The dashboard after the attack of issue 12: sign-in throttling by account and address
with backoff (C3), the client address behind a configured proxy, and the audit log's
client address for a user added from the web (low)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from openasc.config import Settings
from openasc.web import security
from openasc.web.app import create_app
from openasc.web.db import AuditEvent, make_engine, session_factory
from web_fixtures import PASSWORDS, make_users, make_warehouse


@pytest.fixture
def site(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'users.sqlite'}"
    make_users(url)
    wh = make_warehouse(tmp_path)

    def make() -> tuple[TestClient, str]:
        """A fresh app (as after a restart) over the same users database."""
        app = create_app(Settings(warehouse=wh, key_file=tmp_path / "nokey"), users_url=url,
                         reports_dir=tmp_path / "reports")
        return TestClient(app, base_url="https://testserver", follow_redirects=False), url
    return make


def _try(client: TestClient, name: str, password: str, **headers: str) -> int:
    page = client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)
    return client.post("/login", data={"login_token": token, "username": name,
                                       "password": password, "next": "/"},
                       headers=headers).status_code


def test_many_failures_at_one_address_do_not_lock_out_its_other_users(site) -> None:
    """20 failures from one address (5 each for four made-up names) locked out every user
    there for 15 minutes; behind a proxy that is everyone. Ann, at the same address with
    no failure of her own, signs in."""
    client, _ = site()
    for i in range(4):
        for _ in range(security.MAX_FAILURES):
            assert _try(client, f"guess{i}", "wrong-password") == 401
    assert _try(client, "ann", PASSWORDS["ann"]) == 303


def test_the_wait_backs_off_instead_of_a_fixed_lockout(site, monkeypatch) -> None:
    """Five failures for vic: refused at once (429), but 31 s later she may try again, not
    15 minutes later; one more failure doubles the wait to a minute. (Failures are stamped
    with the real time; only the throttle's clock is moved.)"""
    client, _ = site()
    for _ in range(security.MAX_FAILURES):
        assert _try(client, "vic", "wrong-password") == 401
    assert _try(client, "vic", PASSWORDS["vic"]) == 429
    real_now = security.now
    monkeypatch.setattr(security, "now", lambda: real_now() + timedelta(seconds=31))
    assert _try(client, "vic", "wrong-password") == 401  # the sixth failure
    monkeypatch.setattr(security, "now", lambda: real_now() + timedelta(seconds=45))
    assert _try(client, "vic", PASSWORDS["vic"]) == 429  # 45 s < 1 minute
    monkeypatch.setattr(security, "now", lambda: real_now() + timedelta(seconds=61))
    assert _try(client, "vic", PASSWORDS["vic"]) == 303


def _clients(url: str, action: str, by: str | None = None) -> list[str]:
    with session_factory(make_engine(url))() as db:
        return [e.client for e in db.scalars(select(AuditEvent).where(
            AuditEvent.action == action, AuditEvent.user_name == by if by else True))]


def test_x_forwarded_for_is_believed_only_from_a_configured_proxy(site, monkeypatch) -> None:
    client, url = site()
    _try(client, "vic", "wrong-password", **{"X-Forwarded-For": "203.0.113.9"})
    assert _clients(url, "sign-in failed") == ["testclient"]  # anyone can send the header
    monkeypatch.setenv("OPENASC_TRUSTED_PROXIES", "testclient")
    client, url = site()
    _try(client, "vic", "wrong-password", **{"X-Forwarded-For": "198.51.100.1, 203.0.113.9"})
    assert _clients(url, "sign-in failed")[-1] == "203.0.113.9"  # nearest address not a proxy


def test_a_user_added_from_the_web_is_audited_with_the_client_address(site) -> None:
    client, url = site()
    assert _try(client, "ada", PASSWORDS["ada"]) == 303
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/users").text).group(1)
    r = client.post("/users", data={"csrf_token": csrf, "username": "new.person",
                                    "role": "viewer", "password": "a-long-password-1"})
    assert r.status_code == 303
    assert _clients(url, "user added", by="ada") == ["testclient"]
