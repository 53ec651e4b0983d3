"""The dashboard through its HTTP interface (FastAPI's test client, no browser).

The warehouse is `tests/web_fixtures.py`'s hand-made ASCOF 2A; its docstring works out
each published and unrounded figure the tests below expect.
"""

from __future__ import annotations

import re
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
def site(tmp_path: Path) -> tuple[TestClient, str]:
    wh = make_warehouse(tmp_path)
    url = f"sqlite:///{tmp_path / 'users.sqlite'}"
    make_users(url)
    settings = Settings(warehouse=wh, key_file=tmp_path / "nokey")
    app = create_app(settings, users_url=url, reports_dir=tmp_path / "reports")
    return TestClient(app, base_url="https://testserver", follow_redirects=False), url


def sign_in(client: TestClient, name: str, password: str | None = None) -> str:
    page = client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)
    r = client.post("/login", data={"login_token": token, "username": name,
                                    "password": password or PASSWORDS[name], "next": "/"})
    assert r.status_code == 303, r.text
    home = client.get("/")
    return re.search(r'name="csrf_token" value="([^"]+)"', home.text).group(1)


def test_unauthenticated_pages_redirect_and_api_refuses(site):
    client, _ = site
    for path in ("/", "/measures/ASCOF/2A", "/quality", "/reports", "/users"):
        r = client.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    for path in ("/api/metadata", "/api/measures", "/api/measures/ASCOF/2A", "/api/comparisons"):
        assert client.get(path).status_code == 401


def test_viewer_sees_only_published_figures(site):
    """2024-25 headline: 412/498 → published 410, 500 and 410/500 = 82.0% (the value from
    the published counts, never 82.7, whose decimals would pin 412 of 498); the 18-64 band
    has numerator 3 (1-4 suppressed) → [c], and so the whole age_band breakdown's
    numerators and values are [c] (65+ would otherwise be 410 - 3); 2023-24: 380/470 =
    80.851... → 80.9 (docs/disclosure.md)."""
    client, _ = site
    sign_in(client, "vic")
    page = client.get("/measures/ASCOF/2A").text
    assert "82.0" in page and "82.7" not in page
    assert "[c]" in page and "89.3" not in page and "409" not in page
    assert "412" not in page and "498" not in page
    api = client.get("/api/measures/ASCOF/2A").json()
    assert api["figures"] == "published"
    values = {(v["period_end"], v["breakdown"]): v for v in api["values"]}
    head = values[("2025-03-31", "")]
    assert (head["numerator"], head["denominator"], head["value"]) == ("410", "500", "82.0")
    young = values[("2025-03-31", "age_band=18 to 64")]
    assert (young["numerator"], young["denominator"], young["value"]) == ("[c]", "40", "[c]")
    old = values[("2025-03-31", "age_band=65 and above")]
    assert (old["numerator"], old["denominator"], old["value"]) == ("[c]", "460", "[c]")
    assert values[("2024-03-31", "")]["value"] == "80.9"


def test_analyst_sees_unrounded_figures(site):
    client, _ = site
    sign_in(client, "ann")
    api = client.get("/api/measures/ASCOF/2A").json()
    assert api["figures"] == "unrounded"
    head = next(v for v in api["values"]
                if v["breakdown"] == "" and v["period_end"] == "2025-03-31")
    assert (head["numerator"], head["denominator"]) == ("412", "498")
    assert head["value"].startswith("82.730923694")
    assert "82.730923694" in client.get("/measures/ASCOF/2A").text


def test_breakdown_page_lists_each_band(site):
    client, _ = site
    sign_in(client, "ann")
    page = client.get("/measures/ASCOF/2A", params={"by": "age_band"}).text
    table = page[page.index('id="breakdown-table"'):]
    assert "18 to 64" in table and "65 and above" in table and "7.5" in table
    assert "<svg" in page and 'role="img"' in page  # chart, with its text alternative
    assert client.get("/measures/ASCOF/2A", params={"by": "sex"}).status_code == 404


def test_roles_guard_pages(site):
    client, _ = site
    sign_in(client, "vic")
    assert client.get("/quality").status_code == 403
    assert client.get("/runs").status_code == 403
    assert client.get("/users").status_code == 403
    client.cookies.clear()
    sign_in(client, "ann")
    quality = client.get("/quality")
    assert quality.status_code == 200 and "cld_q1.csv" in quality.text and "Gender" in quality.text
    assert client.get("/users").status_code == 403
    client.cookies.clear()
    sign_in(client, "ada")
    assert client.get("/users").status_code == 200


def test_forms_without_the_csrf_token_are_refused(site):
    client, _ = site
    csrf = sign_in(client, "ada")
    form = {"username": "newbie", "role": "viewer", "password": "a-long-password-1"}
    assert client.post("/users", data=form).status_code == 403
    assert client.post("/users", data={**form, "csrf_token": "wrong"}).status_code == 403
    r = client.post("/users", data={**form, "csrf_token": csrf},
                    headers={"origin": "https://evil.example"})
    assert r.status_code == 403
    assert client.post("/users", data={**form, "csrf_token": csrf}).status_code == 303
    assert "newbie" in client.get("/users").text


def test_sign_in_form_needs_its_token(site):
    client, _ = site
    client.get("/login")
    r = client.post("/login", data={"username": "vic", "password": PASSWORDS["vic"]})
    assert r.status_code == 403


def test_security_headers_and_cookie_flags(site):
    client, _ = site
    page = client.get("/login")
    csp = page.headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)
    r = client.post("/login", data={"login_token": token, "username": "vic",
                                    "password": PASSWORDS["vic"], "next": "/"})
    cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie"
                  and v.startswith(security.SESSION_COOKIE))
    low = cookie.lower()
    assert "httponly" in low and "secure" in low and "samesite=strict" in low


def test_open_redirect_is_refused(site):
    client, _ = site
    page = client.get("/login", params={"next": "//evil.example/x"})
    token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)
    r = client.post("/login", data={"login_token": token, "username": "vic",
                                    "password": PASSWORDS["vic"], "next": "//evil.example/x"})
    assert r.headers["location"] == "/"


def test_throttling_after_five_failures_and_audit(site):
    """Five wrong passwords for vic in 15 minutes: the sixth try is refused (429) even with
    the right password; every failure and the refusal are in the audit log."""
    client, url = site
    for _ in range(security.MAX_FAILURES):
        page = client.get("/login")
        token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)
        r = client.post("/login", data={"login_token": token, "username": "vic",
                                        "password": "wrong-password", "next": "/"})
        assert r.status_code == 401
    page = client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)
    r = client.post("/login", data={"login_token": token, "username": "vic",
                                    "password": PASSWORDS["vic"], "next": "/"})
    assert r.status_code == 429
    with session_factory(make_engine(url))() as db:
        actions = [e.action for e in db.scalars(select(AuditEvent).where(
            AuditEvent.user_name == "vic"))]
    assert actions.count("sign-in failed") == 5 and "sign-in throttled" in actions


def test_sign_out_ends_the_session(site):
    client, _ = site
    csrf = sign_in(client, "vic")
    token = client.cookies.get(security.SESSION_COOKIE)
    assert client.post("/logout", data={"csrf_token": csrf}).status_code == 303
    client.cookies.set(security.SESSION_COOKIE, token, domain="testserver")
    assert client.get("/api/metadata").status_code == 401


def test_report_generated_and_downloaded_with_audit(site):
    client, url = site
    csrf = sign_in(client, "vic")
    r = client.post("/reports", data={"csrf_token": csrf, "kind": "local-account",
                                      "year": "2024-25"})
    assert r.status_code == 303
    job = r.headers["location"]
    import time

    for _ in range(300):
        status = client.get(job + "/status").json()
        if status["status"] != "running":
            break
        time.sleep(0.1)
    assert status["status"] == "done", status
    # the whole set, so the main document's links to its annex and Easy Read resolve
    assert status["files"] == ["local-account.html", "local-account-annex.html",
                               "local-account-easy-read.html"]
    got = client.get(f"{job}/files/local-account.html")
    assert got.status_code == 200 and "Local Account" in got.text
    assert 'href="local-account-annex.html"' in got.text
    assert client.get(f"{job}/files/local-account-annex.html").status_code == 200
    with session_factory(make_engine(url))() as db:
        assert db.scalar(select(AuditEvent).where(AuditEvent.action == "export")) is not None
    client.cookies.clear()
    sign_in(client, "ann")  # another user cannot fetch vic's job
    assert client.get(f"{job}/files/local-account.html").status_code == 404


def test_api_metadata_and_openapi(site):
    client, _ = site
    sign_in(client, "vic")
    meta = client.get("/api/metadata").json()
    assert meta["councils"][0]["la_code"] == "E10000034"
    assert meta["periods"][0] == ["2024-04-01", "2025-03-31"]
    spec = client.get("/api/openapi.json").json()
    assert "/api/measures/{family}/{code}" in spec["paths"]
    assert not any(p.startswith("/login") for p in spec["paths"])


def test_dhsc_dashboard_pages(site):
    """A page per page of DHSC's CLD dashboard (docs/dhsc-dashboard.md). The fixture holds
    ASCOF 2A and DQ-FIELDS: the ASCOF page shows its card (published 82.0), waiting times
    none yet; the data-quality page shows the field profile (40 records; Ethnicity, mandatory:
    30 valid = 75.0%, 10 invalid = 25.0%; a column only for the statuses some record has),
    and links to openasc's own report only for an analyst; an unknown page is 404."""
    client, _ = site
    sign_in(client, "vic")
    ascof = client.get("/dhsc/ascof")
    assert ascof.status_code == 200 and 'data-figure="ASCOF-2A">82.0' in ascof.text
    assert 'href="/dhsc/waiting-times' in ascof.text
    waits = client.get("/dhsc/waiting-times").text
    assert "No measures have been computed" in waits and "ASCOF-2A" not in waits
    dq = client.get("/dhsc/data-quality").text
    assert 'id="field-profile"' in dq and "40 records profiled" in dq
    line = re.search(r"<tr><th scope=\"row\">Ethnicity</th>.*?</tr>", dq).group(0)
    assert "<td>Mandatory</td>" in line
    assert '<td class="num">30 (75.0%)</td><td class="num">10 (25.0%)</td>' in line
    assert ">Failed: Invalid</th>" in dq and "Failed: Release 1" not in dq
    assert 'href="/quality"' not in dq
    assert client.get("/dhsc/nothing").status_code == 404
    sign_in(client, "ann")
    assert 'see <a href="/quality">Data quality</a>' in client.get("/dhsc/data-quality").text
