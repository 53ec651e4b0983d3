"""A4: the warehouse remembers which key made its pseudonyms and refuses any other.

Before, a lost key file was silently replaced by a new key and the next load exited 0 with
every person under a new pseudonym (people shared by two submissions stopped linking).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from cldfile import cld_row, write_cld_csv


def openasc(tmp: Path, *args: str, key: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if key is not None:
        env["OPENASC_KEY_FILE"] = str(key)
    return subprocess.run([sys.executable, "-m", "openasc.cli", "--warehouse",
                           str(tmp / "w.duckdb"), *args],
                          capture_output=True, text=True, cwd=tmp, env=env)


def _files(tmp: Path) -> tuple[Path, Path]:
    """Two submissions sharing person P1: one pseudonym for P1 across both when keys match."""
    a = write_cld_csv(tmp / "a.csv", [cld_row("P1"), cld_row("P2")])
    b = write_cld_csv(tmp / "b.csv", [cld_row("P1", Event_Start_Date="2024-07-01",
                                              Event_End_Date="2024-07-01"), cld_row("P3")])
    return a, b


def _pseudonyms(tmp: Path) -> set[str]:
    con = duckdb.connect(str(tmp / "w.duckdb"), read_only=True)
    try:
        return {r[0] for r in con.execute("SELECT DISTINCT person_id FROM cld_records").fetchall()}
    finally:
        con.close()


def test_lost_key_file_is_refused_not_replaced(tmp_path: Path, _private_key_file: Path) -> None:
    a, b = _files(tmp_path)
    assert openasc(tmp_path, "ingest", "cld", str(a)).returncode == 0
    before = _pseudonyms(tmp_path)
    _private_key_file.unlink()
    out = openasc(tmp_path, "ingest", "cld", str(b))
    assert out.returncode == 1, out.stderr
    assert "key file" in out.stderr and "missing" in out.stderr and "rekey" in out.stderr
    assert "Traceback" not in out.stderr
    assert not _private_key_file.exists()  # no new key made behind the user's back
    assert _pseudonyms(tmp_path) == before


def test_a_different_key_is_refused(tmp_path: Path, _private_key_file: Path) -> None:
    a, b = _files(tmp_path)
    assert openasc(tmp_path, "ingest", "cld", str(a)).returncode == 0
    other = Path(str(_private_key_file) + ".other")
    other.write_text("ab" * 32 + "\n")
    other.chmod(0o600)
    out = openasc(tmp_path, "ingest", "cld", str(b), key=other)
    assert out.returncode == 1
    assert "is not the key the warehouse" in out.stderr
    # validation writes nothing, but is checked against the warehouse too
    assert openasc(tmp_path, "validate", "cld", str(b), key=other).returncode == 1
    # with the original key the second file loads and P1 links across both files
    assert openasc(tmp_path, "ingest", "cld", str(b)).returncode == 0
    assert len(_pseudonyms(tmp_path)) == 3


def test_the_warehouse_keeps_a_fingerprint_never_the_key(tmp_path: Path,
                                                         _private_key_file: Path) -> None:
    a, _ = _files(tmp_path)
    assert openasc(tmp_path, "ingest", "cld", str(a)).returncode == 0
    key_hex = _private_key_file.read_text().strip()
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    (stored,) = con.execute("SELECT fingerprint FROM key_fingerprint").fetchone()
    con.close()
    assert stored != key_hex and len(stored) == 64
    assert key_hex.encode() not in (tmp_path / "w.duckdb").read_bytes()


def test_deliberate_rekeying(tmp_path: Path, _private_key_file: Path) -> None:
    a, b = _files(tmp_path)
    assert openasc(tmp_path, "ingest", "cld", str(a)).returncode == 0
    old = Path(str(_private_key_file) + ".old")
    _private_key_file.rename(old)
    new = Path(str(_private_key_file) + ".new")
    new.write_text("cd" * 32 + "\n")
    new.chmod(0o600)
    wrong = Path(str(_private_key_file) + ".wrong")
    wrong.write_text("ef" * 32 + "\n")
    wrong.chmod(0o600)
    refused = openasc(tmp_path, "key", "rekey", "--old-key", str(wrong), key=new)
    assert refused.returncode == 1 and "nothing changed" in refused.stderr
    assert openasc(tmp_path, "key", "rekey", key=new).returncode == 1  # must say which
    done = openasc(tmp_path, "key", "rekey", "--old-key", str(old), key=new)
    assert done.returncode == 0, done.stderr
    assert "will not be linked" in done.stdout
    assert openasc(tmp_path, "ingest", "cld", str(b), key=new).returncode == 0
    assert len(_pseudonyms(tmp_path)) == 4  # P1 under the new key is a new pseudonym
    # the old key is now the stranger
    assert openasc(tmp_path, "ingest", "cld", str(a), key=old).returncode == 1
    lost = openasc(tmp_path, "key", "rekey", "--old-key-lost", key=old)
    assert lost.returncode == 0, lost.stderr
