"""Under `salt_method = "nhse"`, every SALT cell openasc computes equals what NHS England's
published code gives, run as an independent port (port.py, the oracle), on three synthetic
councils of 3,000 people (2024-25): one year-end submission; four quarterly rolling
submissions; one submission with 2% defects. Built with the real command line (`openasc
synth cld`, `openasc ingest cld`), as docs/decisions.md "SALT: NHS England's published code"
describes. The tables with a port are those in port.PORTED (LTS001a/c: tables 1a and 1b;
LTS001b: tables 1a, 1b, 2, 3a, 3b and 3c; LTS004: tables 1, 2a, 2b and their NULL/Invalid
counts).
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from compare import compare

LA = "E10000034"
START, END = date(2024, 4, 1), date(2025, 3, 31)


def _openasc(*args: str, cwd: Path, env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-m", "openasc.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr + done.stdout


@pytest.fixture(scope="module")
def councils(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("salt_port")
    key = tmp_path_factory.mktemp("salt_port_key") / "key"
    env = {**os.environ, "OPENASC_KEY_FILE": str(key)}
    made = {}
    for name, extra, files in (
            ("one submission", [], [("one.csv", "2025-04-20")]),
            ("four quarterly submissions", ["--submissions", "4"],
             [("four_q1.csv", "2024-07-20"), ("four_q2.csv", "2024-10-20"),
              ("four_q3.csv", "2025-01-20"), ("four_q4.csv", "2025-04-20")]),
            ("2% defects", ["--defect-rate", "0.02"], [("bad.csv", "2025-04-20")])):
        out = files[0][0].replace("_q1", "")
        _openasc("synth", "cld", "--out", out, "--people", "3000", "--seed", "7", *extra,
                 cwd=root, env=env)
        wh = root / out.replace(".csv", ".duckdb")
        for csv, submitted in files:
            _openasc("--warehouse", str(wh), "ingest", "cld", csv, "--submitted-on", submitted,
                     cwd=root, env=env)
        made[name] = wh
    return made


@pytest.mark.slow
@pytest.mark.parametrize("name", ["one submission", "four quarterly submissions",
                                  "2% defects"])
def test_every_nhse_cell_equals_the_published_code(councils: dict[str, Path],
                                                   name: str) -> None:
    n, diffs = compare(councils[name], LA, START, END)
    assert n > 100, f"{name}: only {n} cells compared"
    assert diffs == [], f"{name}: {len(diffs)} of {n} cells differ: {diffs[:10]}"
