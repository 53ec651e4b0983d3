"""A small hand-made warehouse and users database for the dashboard's tests.

ASCOF 2A for Worcestershire (E10000034), figures chosen so that published and unrounded
differ visibly (docs/disclosure.md: counts to the nearest 5, 1-4 suppressed with the rest of
their breakdown, value 1 dp worked out from the published counts):

| period  | breakdown              | num | den | value (unrounded)  | published       |
|---------|------------------------|-----|-----|--------------------|-----------------|
| 2024-25 | (headline)             | 412 | 498 | 82.730923694779... | 410, 500, 82.0  |
| 2024-25 | age_band=18 to 64      |   3 |  40 | 7.5                | [c], 40, [c]    |
| 2024-25 | age_band=65 and above  | 409 | 458 | 89.301310043668... | [c], 460, [c]   |
| 2023-24 | (headline)             | 380 | 470 | 80.851063829787... | 380, 470, 80.9  |

and DQ DQ-FIELDS for 2024-25 (the DHSC data-quality page): 40 records, Ethnicity mandatory
on all, 30 valid (75.0%) and 10 invalid (25.0%); multiples of 5, so published as they are.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx

from openasc.warehouse import connect
from openasc.web.db import make_engine, session_factory
from openasc.web.users import add_user

LA = "E10000034"
PASSWORDS = {"ada": "admin-password-1", "ann": "analyst-password-1", "vic": "viewer-password-1"}
ROLES = {"ada": "admin", "ann": "analyst", "vic": "viewer"}
ROWS = [
    ("ASCOF", "2A", LA, date(2024, 4, 1), date(2025, 3, 31), "", 412, 498, 412 / 498 * 100),
    ("ASCOF", "2A", LA, date(2024, 4, 1), date(2025, 3, 31), "age_band=18 to 64", 3, 40, 7.5),
    ("ASCOF", "2A", LA, date(2024, 4, 1), date(2025, 3, 31), "age_band=65 and above", 409, 458,
     409 / 458 * 100),
    ("ASCOF", "2A", LA, date(2023, 4, 1), date(2024, 3, 31), "", 380, 470, 380 / 470 * 100),
    ("DQ", "DQ-FIELDS", LA, date(2024, 4, 1), date(2025, 3, 31), "", 40, 40, 100.0),
    ("DQ", "DQ-FIELDS", LA, date(2024, 4, 1), date(2025, 3, 31),
     "field=Ethnicity;applicability=Mandatory;status=Passed: Valid", 30, 40, 75.0),
    ("DQ", "DQ-FIELDS", LA, date(2024, 4, 1), date(2025, 3, 31),
     "field=Ethnicity;applicability=Mandatory;status=Failed: Invalid", 10, 40, 25.0),
]


def make_warehouse(folder: Path) -> Path:
    path = folder / "openasc.duckdb"
    con = connect(path)
    con.executemany("INSERT INTO metric_values VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'percent', "
                    "'20250101T000000-test')", ROWS)
    con.execute("INSERT INTO runs VALUES ('20250101T000000-test', 'compute', "
                "TIMESTAMP '2025-01-01 00:00:00', TIMESTAMP '2025-01-01 00:00:05', 'ok', '[]', "
                "NULL, NULL, NULL, 'tester', '{}')")
    con.execute("INSERT INTO quarantine VALUES ('20250101T000000-test', 'cld', 'abc', "
                "'cld_q1.csv', 7, 'Gender', 'Gender \"X\" is not in the value list; expected "
                "one of Male, Female, ...', NULL)")
    con.close()
    return path


def make_users(url: str) -> None:
    factory = session_factory(make_engine(url))
    for name, role in ROLES.items():
        add_user(factory, name, role, PASSWORDS[name])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def dashboard(folder: Path, wh: Path, env: dict[str, str]) -> Iterator[str]:
    """`openasc serve` on a free loopback port over `wh`, as a real process: its base URL,
    once the sign-in page answers; stopped on leaving."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "openasc.cli", "--warehouse", str(wh),
                             "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=folder, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                httpx.get(base + "/login", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise AssertionError("the dashboard did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def users_env(folder: Path) -> dict[str, str]:
    """A users database with the test users in `folder`, and the environment naming it
    (with this test's key file)."""
    url = f"sqlite:///{folder / 'users.sqlite'}"
    make_users(url)
    return {**os.environ, "OPENASC_USERS_DB": url}
