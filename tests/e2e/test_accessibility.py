"""axe-core in headless Debian Chromium, driven by Playwright, on every generated document:
no serious or critical violation. scripts/install-browser.sh installs Chromium, Playwright
and the pinned axe-core; the page is opened from a file with JavaScript off for the page
itself (axe is injected by the test), as a resident without scripts would read it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.mark.parametrize("name", ["local-account.html", "local-account-annex.html",
                                  "local-account-easy-read.html", "self-assessment.html"])
def test_no_serious_or_critical_violations(built, browser, name: str) -> None:
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((built["out"] / name).as_uri())
    page.add_script_tag(content=AXE.read_text("utf-8"))
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']}})""")
    page.close()
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], bad
    assert len(result["passes"]) > 10  # axe really ran over the page
    assert [u for u in requests if not u.startswith("file:")] == []
