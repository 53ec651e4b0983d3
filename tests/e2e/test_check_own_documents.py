"""The documents openasc publishes pass its own figures check: every HTML and PDF the report
commands write for the hand-made council (the `built` fixture, test_reports.py) is checked
with `openasc check`, against the warehouse it was written from, and has no error.

Generic over whatever the report commands write: a new document or section is checked as
soon as it is written into the output folder.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from test_reports import LA


def test_every_published_document_passes_the_check(built: dict[str, Path]) -> None:
    documents = sorted([*built["out"].glob("*.html"), *built["out"].glob("*.pdf")])
    assert {p.stem for p in documents} >= {"local-account", "self-assessment"}
    problems = []
    for doc in documents:
        r = subprocess.run(
            [sys.executable, "-m", "openasc.cli", "--warehouse", str(built["wh"]), "check",
             str(doc), "--la", LA, "--year", "2024-25"],
            cwd=built["base"], capture_output=True, text=True, timeout=300)
        if r.returncode != 0 or " 0 errors" not in r.stdout:
            problems.append(f"{doc.name} (exit {r.returncode}):\n{r.stdout}{r.stderr}")
    assert not problems, "\n".join(problems)
