"""Fixtures shared by the end-to-end tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_accessibility import AXE, CHROMIUM_ARGS
from test_reports import build_documents


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Local Account and self-assessment of the hand-made council, rendered once a module."""
    return build_documents(tmp_path_factory)


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium for the axe-core tests, one per module."""
    if not AXE.is_file() or not Path("/usr/bin/chromium").is_file():
        pytest.fail("run scripts/install-browser.sh first (Chromium, Playwright, axe-core)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()
