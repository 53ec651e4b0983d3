"""The Local Account set on the demo council (issue 13, "Done when"), built once by
`openasc demo` (5,000 synthetic people): the main body is at most 40 A4 pages, the annex
and the Easy Read summary are their own files, every declared section is in the main body
or listed in the annex as left out with its reason, the year at a glance has six to ten
headline figures, the self-assessment covers all nine quality statements with evidence or
"No data held", the build log holds the readability of every section with prose, and
axe-core finds no serious or critical violation in any of the three documents."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
import yaml
from rich.console import Console
from test_accessibility import AXE
from test_reports import STATEMENTS, parse, statement_bodies

pytestmark = pytest.mark.slow
SET = ["local-account", "local-account-annex", "local-account-easy-read"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from openasc.demo import run_demo

    out = tmp_path_factory.mktemp("demo")
    console = Console(file=io.StringIO(), width=200)
    run_demo(out, 5000, console, warehouse=out / "wh.duckdb")
    (out / "said.txt").write_text(console.file.getvalue(), "utf-8")  # type: ignore[attr-defined]
    return out


def spec() -> dict:
    import openasc.reports

    return yaml.safe_load((Path(openasc.reports.__file__).parent / "data" /
                           "local_account.yaml").read_text("utf-8"))


def test_main_body_is_at_most_40_pages_and_the_set_is_written(demo: Path) -> None:
    from pypdf import PdfReader

    for stem in SET:
        assert (demo / f"{stem}.html").stat().st_size > 0 and (demo / f"{stem}.pdf").exists()
        assert f"{stem}.pdf" in (demo / "said.txt").read_text()  # the demo lists them
    assert len(PdfReader(demo / "local-account.pdf").pages) <= 40
    assert len(PdfReader(demo / "local-account-easy-read.pdf").pages) <= 6
    main = (demo / "local-account.html").read_text()
    assert 'href="local-account-annex.html"' in main
    assert 'href="local-account-easy-read.html"' in main


def test_every_section_is_present_or_left_out_with_its_reason(demo: Path) -> None:
    main = (demo / "local-account.html").read_text()
    annex = html.unescape((demo / "local-account-annex.html").read_text())
    ids = set(re.findall(r'<section id="([^"]+)"', main))
    for item in spec()["sections"]:
        if item["id"] not in ids:
            assert (f"<th scope=\"row\">{item.get('title', '')}</th><td>{item['omitted']}</td>"
                    in annex) or item["builder"] == "text", item["id"]
    # the demo holds population, SALT, SAC, DoLS and ASCOF: these sections are there
    assert {"glance", "population", "journey", "short-term", "long-term", "carers",
            "safeguarding", "dols", "compare", "glossary", "contacts"} <= ids


def test_year_at_a_glance_has_six_to_ten_figures(demo: Path) -> None:
    raw = (demo / "local-account.html").read_text()
    glance = raw[raw.index('<ul class="glance">'):]
    glance = glance[:glance.index("</ul>")]
    assert 6 <= len(re.findall(r"<li>", glance)) <= 10


def test_self_assessment_covers_all_nine_statements(demo: Path) -> None:
    bodies = statement_bodies((demo / "self-assessment.html").read_text())
    assert set(bodies) == set(STATEMENTS)
    for slug, body in bodies.items():
        assert ("<table" in body) != ("No data held" in body), slug
    assert "<table" in bodies["safeguarding"] and "<table" in bodies["assessing-needs"]


def test_readability_of_every_section_with_prose_is_in_the_build_log(demo: Path) -> None:
    log = (demo / "local-account-build.log").read_text()
    page = parse(demo / "local-account.html")
    titles = [t for lv, t in page.headings if lv == 2 and t not in ("Contents", "Words we use")]
    rows = [line for line in log.splitlines() if line.startswith("  local-account ")]
    assert len(rows) >= len(titles) - 2  # sections under ten words are not scored
    for line in rows:
        assert 0 < float(line.split()[-1]) < 16, line  # a reading age, not a grade
    assert any(line.startswith("  easy-read ") for line in log.splitlines())


def test_no_serious_or_critical_axe_violations_in_the_set(demo: Path, browser) -> None:
    for stem in SET:
        page = browser.new_page()
        page.goto((demo / f"{stem}.html").as_uri())
        page.add_script_tag(content=AXE.read_text("utf-8"))
        result = page.evaluate("""async () => await axe.run(document, {runOnly: {
            type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']}})""")
        page.close()
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert bad == [], (stem, bad)


def test_money_workforce_complaints_survey_and_waits_come_from_data(demo: Path) -> None:
    """The demo loads ASC-FR, Skills for Care, a complaints log, both surveys and CLD, so
    these sections are built from measures (not the content folder's placeholders), and the
    market position statement reads the same FIN and WF measures for providers."""
    main = (demo / "local-account.html").read_text()
    ids = set(re.findall(r'<section id="([^"]+)"', main))
    assert {"money", "workforce", "complaints", "survey", "waits"} <= ids
    for measure in ("FIN|FIN-1", "WF|WF-1", "CMP|CMP-1", "ASCOF|1A", "WAITS|W1"):
        assert f'data-mv="{measure}|' in main, measure
    mps = html.unescape((demo / "market-position.html").read_text())
    assert '<section id="costs-workforce"' in mps
    assert "Cost of a week of residential care, 65 and over" in mps and " a week" in mps
    # the council's own housing and fee files, and CQC's closures, the demo makes and loads
    assert '<section id="housing"' in mps and 'data-mv="MPS|MPS-H1|' in mps
    assert '<section id="fees"' in mps and 'data-mv="MPS|MPS-F3|' in mps
    assert 'data-mv="MPS|MPS-C1|' in mps


def test_the_demo_documents_pass_the_figures_check(demo: Path) -> None:
    """Every HTML document the demo writes passes `openasc check` against the demo's
    warehouse with no error. The demo's CQC directory has services that are neither care
    homes nor home care, which once made the statement's rating table fail its own sums."""
    import subprocess
    import sys

    for doc in sorted(demo.glob("*.html")):
        r = subprocess.run([sys.executable, "-m", "openasc.cli", "--warehouse",
                            str(demo / "wh.duckdb"), "check", str(doc), "--la", "E10000034",
                            "--year", "2024-25"], capture_output=True, text=True, timeout=600)
        assert r.returncode == 0 and " 0 errors" in r.stdout, doc.name + r.stdout + r.stderr
