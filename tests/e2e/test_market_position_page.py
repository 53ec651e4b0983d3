"""The market position statement passes axe-core like the other documents (no serious or
critical violation), and fetches nothing: built from synthetic projections and a synthetic
CQC directory for one council through the command line."""

from __future__ import annotations

import os
import subprocess
from importlib import resources
from pathlib import Path

import pytest
from test_accessibility import AXE


def _cli(tmp: Path, *args: str) -> None:
    env = {**os.environ, "OPENASC_KEY_FILE": str(tmp / "key")}
    r = subprocess.run(["openasc", "--warehouse", str(tmp / "w.duckdb"), *args],
                       capture_output=True, text=True, env=env, cwd=tmp)
    assert r.returncode == 0, r.stderr


@pytest.fixture(scope="module")
def statement(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("mps-page")
    _cli(tmp, "synth", "projections", "--out", str(tmp / "snpp.zip"), "--la-code", "416")
    _cli(tmp, "ingest", "projections", str(tmp / "snpp.zip"), "--lookup",
         str(tmp / "lookup.csv"), "--variant", "five-year migration")
    _cli(tmp, "synth", "care-directory", "--out", str(tmp / "01_March_2025_cqc.ods"),
         "--la-code", "416")
    _cli(tmp, "ingest", "care-directory", str(tmp / "01_March_2025_cqc.ods"))
    rates = resources.files("openasc.reference").joinpath("prevalence_rates.csv")
    _cli(tmp, "ingest", "prevalence-rates", str(rates))
    _cli(tmp, "compute", "--from", "2025-04-01", "--to", "2026-03-31", "--la", "416",
         "--select", "MPS")
    _cli(tmp, "report", "market-position", "--year", "2025-26", "--out", str(tmp / "out"),
         "--la", "416")
    return tmp / "out" / "market-position.html"


def test_statement_has_no_serious_or_critical_violations(statement: Path, browser) -> None:
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(statement.as_uri())
    page.add_script_tag(content=AXE.read_text("utf-8"))
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']}})""")
    page.close()
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], bad
    assert len(result["passes"]) > 10
    assert [u for u in requests if not u.startswith("file:")] == []
    assert (statement.parent / "market-position.pdf").stat().st_size > 10_000
