"""Fixtures shared by the end-to-end tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_reports import build_documents


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Local Account and self-assessment of the hand-made council, rendered once a module."""
    return build_documents(tmp_path_factory)
