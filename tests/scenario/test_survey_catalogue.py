"""`openasc metrics show` explains each survey measure: its definition, that it is computed
from the council's return, and the legacy code it continues (ascof.md §4.1)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from openasc.cli import app


@pytest.mark.parametrize(("code", "words"), [
    ("1A", ["32 minus the sum", "Adult Social Care Survey", "legacy 1A"]),
    ("1B", ["q3a", "Weighted by stratum", "legacy 1B"]),
    ("1C", ["0.203", "0.5798", "legacy 1J", "3 dp"]),
    ("1D", ["scored 2, 1 or 0", "biennial", "legacy 1D"]),
    ("3A", ["never tried", "legacy 3D(1)"]),
    ("3B", ["never tried", "legacy 3D(2)"]),
    ("3C", ["no discussions", "legacy 3C"]),
    ("4A", ["q7a", "legacy 4A"]), ("4B", ["q7b", "legacy 4B"]),
    ("5A", ["q8a", "legacy 1I(1)"]), ("5B", ["social contact", "legacy 1I(2)"]),
    ("ASCS/SAT", ["easy-read", "legacy measure 3A"]),
    ("SACE/SAT", ["no support or services", "legacy measure 3B"]),
])
def test_metrics_show_explains_the_survey_measure(code: str, words: list[str]) -> None:
    r = CliRunner().invoke(app, ["metrics", "show", code])
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "status: implemented" in text
    assert "measure_part" in text  # the margin-of-error rows are named among its breakdowns
    for w in words:
        assert w in text, (code, w)
