"""Shared fixtures: every test gets its own key file outside any git tree and a clean cwd."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_key_file(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The pseudonymisation key must live outside the warehouse folder and any git tree."""
    with tempfile.TemporaryDirectory(prefix="openasc-key-") as keydir:
        key = Path(keydir) / "key"
        monkeypatch.setenv("OPENASC_KEY_FILE", str(key))
        yield key


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder outside the repository, made the current directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def key_env() -> dict[str, str]:
    return dict(os.environ)
