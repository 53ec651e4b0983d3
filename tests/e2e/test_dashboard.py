"""The dashboard in a real browser: Debian's headless Chromium driven by Playwright.

`openasc serve` runs in a subprocess on a free loopback port over the hand-made warehouse
of `tests/web_fixtures.py` (its docstring works out every figure checked here). Screenshots
go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from web_fixtures import PASSWORDS, dashboard, make_warehouse, users_env

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("dash")
    with dashboard(folder, make_warehouse(folder), users_env(folder)) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"), full_page=True)


def sign_in(browser: Browser, base: str, name: str, **context) -> Page:
    page = browser.new_context(accept_downloads=True, **context).new_page()
    page.goto(base + "/")
    assert "/login" in page.url
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORDS[name])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/")
    return page


def test_analyst_signs_in_and_browses_a_measure_by_breakdown(server, browser):
    page = sign_in(browser, server, "ann")
    assert page.get_by_role("heading", name="Overview").is_visible()
    page.get_by_role("link", name="ASCOF 2A").first.click()
    page.get_by_label("Breakdown").select_option("age_band")
    page.get_by_role("button", name="Show").click()
    table = page.locator("#breakdown-table")
    assert "18 to 64" in table.inner_text() and "65 and above" in table.inner_text()
    assert "89.30131" in table.inner_text()  # 409/458 × 100, unrounded for an analyst
    assert page.locator("figure.chart svg[role=img]").count() >= 1
    shot(page, "measure-analyst")


def test_viewer_cannot_see_unrounded_figures(server, browser):
    page = sign_in(browser, server, "vic")
    page.goto(server + "/measures/ASCOF/2A?by=age_band")
    text = page.locator("main").inner_text()
    # published (web_fixtures): 410 / 500 = 82.0%; the age bands are [c] (18-64 has 3)
    assert "82.0" in text and "[c]" in text
    assert "82.7" not in text and "89.3" not in text and "412" not in text
    api = page.request.get(server + "/api/measures/ASCOF/2A").json()
    assert api["figures"] == "published"
    assert all(len(v["value"].partition(".")[2]) <= 1 for v in api["values"])
    assert page.request.get(server + "/quality").status == 403
    shot(page, "measure-viewer")


def test_generate_and_download_a_report_with_progress(server, browser, tmp_path):
    page = sign_in(browser, server, "vic")
    page.get_by_role("link", name="Reports").click()
    page.get_by_label("Local Account").check()
    page.get_by_role("button", name="Generate").click()
    page.wait_for_url("**/jobs/*")
    assert page.get_by_label("Progress").is_visible()
    link = page.get_by_role("link", name="Download local-account.html")
    link.wait_for(timeout=30000)
    shot(page, "report-done")
    with page.expect_download() as got:
        link.click()
    saved = tmp_path / "la.html"
    got.value.save_as(saved)
    assert "Local Account" in saved.read_text("utf-8")


def test_tablet_layout_has_the_same_content(server, browser):
    page = sign_in(browser, server, "vic", viewport={"width": 768, "height": 1024},
                   has_touch=True)
    page.goto(server + "/measures/ASCOF/2A")
    assert page.get_by_role("table").first.is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 768  # nothing forces sideways scrolling of the page
    shot(page, "tablet")


def test_unauthenticated_and_cross_site_requests_are_rejected(server, browser):
    assert httpx.get(server + "/api/measures").status_code == 401
    r = httpx.get(server + "/measures/ASCOF/2A", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    page = sign_in(browser, server, "ada")
    # A form posted without the session's CSRF token is refused, though the cookie is sent.
    res = page.request.post(server + "/users", form={"username": "mallory", "role": "admin",
                                                     "password": "a-long-password-1"})
    assert res.status == 403
    page.goto(server + "/users")
    assert "mallory" not in page.locator("main").inner_text()
    # The CSP forbids framing and inline script: the browser reports the header as set.
    head = page.request.get(server + "/").headers
    assert "frame-ancestors 'none'" in head["content-security-policy"]
    shot(page, "users-admin")


AXE = Path(__file__).resolve().parents[2] / ".tools" / "axe" / "node_modules" / "axe-core" / \
    "axe.min.js"
PAGES = ["/", "/measures", "/measures/ASCOF/2A?by=age_band", "/safeguarding", "/dols",
         "/dhsc/waiting-times", "/dhsc/data-quality",
         "/quality", "/reports", "/runs"]


def test_dashboard_pages_have_no_serious_accessibility_violations(server, browser):
    """axe-core (installed by scripts/install-browser.sh) over every page an analyst sees:
    no serious or critical WCAG 2.1 AA violation, as for the published documents. The test's
    browser context bypasses the CSP so that axe can be injected; the CSP itself stays
    strict for real visitors (test_web.py)."""
    page = sign_in(browser, server, "ann", bypass_csp=True)
    found = {}
    for path in PAGES:
        page.goto(server + path)
        page.add_script_tag(content=AXE.read_text("utf-8"))
        result = page.evaluate("""async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})""")
        assert len(result["passes"]) > 5, path  # axe really ran over the page
        bad = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
        if bad:
            found[path] = bad
    assert found == {}
