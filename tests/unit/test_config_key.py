"""The pseudonymisation key: found as the contract says, created safely, refused where unsafe."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import pytest

from openasc.config import Settings, load_key, load_settings
from openasc.errors import OpenascError
from openasc.pseudonymise import pseudo


def test_key_created_on_first_use_owner_only(tmp_path: Path, _private_key_file: Path) -> None:
    settings = load_settings(tmp_path / "w.duckdb")
    assert settings.key_file == _private_key_file
    key = load_key(settings)
    assert len(key) == 32
    assert stat.S_IMODE(_private_key_file.stat().st_mode) == 0o600
    assert load_key(settings) == key  # same key next time: same pseudonyms across runs


def test_key_from_toml_when_no_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENASC_KEY_FILE")
    (tmp_path / "openasc.toml").write_text('warehouse = "data/wh.duckdb"\nkey_file = "../k/key"\n')
    s = load_settings(cwd=tmp_path)
    assert s.warehouse == tmp_path / "data" / "wh.duckdb"
    assert s.key_file == tmp_path / "../k/key"


def test_key_refused_inside_warehouse_directory(tmp_path: Path) -> None:
    s = Settings(warehouse=tmp_path / "w.duckdb", key_file=tmp_path / "key")
    with pytest.raises(OpenascError, match="inside the warehouse directory"):
        load_key(s)


def test_key_refused_inside_git_work_tree(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    s = Settings(warehouse=tmp_path / "wh" / "w.duckdb", key_file=repo / "secret" / "key")
    with pytest.raises(OpenascError, match="git work tree"):
        load_key(s)


def test_key_readable_by_others_is_refused(tmp_path: Path, _private_key_file: Path) -> None:
    s = load_settings(tmp_path / "w.duckdb")
    load_key(s)
    _private_key_file.chmod(0o644)
    with pytest.raises(OpenascError, match="chmod 600"):
        load_key(s)


def test_sql_pseudonym_equals_python_hmac() -> None:
    import duckdb

    from openasc import pseudonymise

    con = duckdb.connect()
    key = bytes(range(32))
    pseudonymise.register(con, key)
    got = con.execute("SELECT pseudo('4010232137'), pseudo(NULL), pseudo('  ')").fetchone()
    assert got == (pseudo(key, "4010232137"), None, None)
