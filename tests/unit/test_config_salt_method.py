"""`salt_method` in openasc.toml: NHS England's published code (`nhse`) unless the council
chooses openasc's `corrected` method; any other value is refused with a message naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from openasc.config import load_settings
from openasc.errors import OpenascError


def test_salt_method_defaults_to_nhse(tmp_path: Path) -> None:
    assert load_settings(cwd=tmp_path).salt_method == "nhse"


def test_salt_method_is_read_from_openasc_toml(tmp_path: Path) -> None:
    (tmp_path / "openasc.toml").write_text('salt_method = "corrected"\n', encoding="utf-8")
    assert load_settings(cwd=tmp_path).salt_method == "corrected"


def test_an_unknown_salt_method_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "openasc.toml").write_text('salt_method = "dhsc"\n', encoding="utf-8")
    with pytest.raises(OpenascError, match="salt_method must be one of nhse, corrected.*'dhsc'"):
        load_settings(cwd=tmp_path)
