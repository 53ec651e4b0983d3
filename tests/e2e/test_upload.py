"""C2 (issue 12): a file loaded from the browser, and the command line loading while the
dashboard runs.

Before: every upload answered 400 "Choose a file to load" (the form's file is Starlette's
UploadFile, checked against FastAPI's subclass), and `openasc ingest` was refused while
`openasc serve` held the warehouse open.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from test_dashboard import CHROMIUM_ARGS, shot, sign_in

from cldfile import cld_row, write_cld_csv
from openasc.web.warehouse_gate import LINGER
from web_fixtures import dashboard, make_warehouse, users_env


@pytest.fixture
def served(tmp_path: Path) -> Iterator[dict]:
    wh = make_warehouse(tmp_path)
    env = users_env(tmp_path)
    with dashboard(tmp_path, wh, env) as base:
        yield {"base": base, "warehouse": wh, "folder": tmp_path, "env": env}


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


def _runs(wh: Path) -> list[tuple[str, str]]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute("SELECT command, user_name FROM runs WHERE command = 'ingest cld' "
                           "ORDER BY started_at").fetchall()
    finally:
        con.close()


def test_upload_from_the_browser_and_load_from_the_command_line_meanwhile(served, browser):
    folder, base = served["folder"], served["base"]
    web_file = write_cld_csv(folder / "from-browser.csv", [cld_row("P1"), cld_row("P2")])
    cli_file = write_cld_csv(folder / "from-cli.csv", [cld_row("P3")])
    page = sign_in(browser, base, "ann")
    page.goto(base + "/runs")
    page.get_by_label("Kind of file").select_option("cld")
    page.get_by_label("File (CSV or XLSX)").set_input_files(str(web_file))
    page.get_by_role("button", name="Load").click()
    page.wait_for_url("**/jobs/*")
    page.locator("#stage", has_text="Finished.").wait_for(timeout=60000)
    page.reload()  # the command's output is on the finished page
    assert "2 rows in = 2 loaded + 0 quarantined" in page.locator("pre.log").inner_text()
    shot(page, "upload-done")
    page.goto(base + "/runs")  # the dashboard has the warehouse open for reading
    assert "from-browser.csv: 2 in, 2 loaded" in page.locator("main").inner_text()
    page.context.close()
    time.sleep(LINGER + 1)  # no request for a moment: the dashboard lets go of the file
    out = subprocess.run([sys.executable, "-m", "openasc.cli", "--warehouse",
                          str(served["warehouse"]), "ingest", "cld", str(cli_file)],
                         capture_output=True, text=True, cwd=folder, env=served["env"])
    assert out.returncode == 0, out.stderr
    # the dashboard sees the command line's load (its page cache is for the old file)
    page = sign_in(browser, base, "ann")
    page.goto(base + "/runs")
    text = page.locator("main").inner_text()
    assert "from-cli.csv: 1 in, 1 loaded" in text
    runs = _runs(served["warehouse"])
    assert runs[0] == ("ingest cld", "dashboard:ann")  # the dashboard user, not the OS user
    assert runs[1][1] != "dashboard:ann"
