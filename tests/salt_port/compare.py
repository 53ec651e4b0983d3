"""Every SALT cell openasc computes under `salt_method = "nhse"` against the port of NHS
England's published code (port.py), on one warehouse.

`python tests/salt_port/compare.py WAREHOUSE --la E10000034 --from 2024-04-01 --to 2025-03-31`
prints the cells compared, those that differ, and exits 1 if any differ. The warehouse is
copied first; the copy is computed, never the original.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).parent))
from port import PORTED, port_cells  # noqa: E402 - run as a script: its folder first on the path

from openasc.metrics import engine  # noqa: E402 - after the path, like the line above


def openasc_cells(con: duckdb.DuckDBPyConnection, la: str, start: date,
                  end: date) -> dict[tuple[str, str], float]:
    engine.compute(con, start, end, [la], "salt-port-compare", select=["SALT"],
                   salt_method="nhse")
    rows = con.execute("SELECT code, breakdown, numerator FROM metric_values "
                       "WHERE family = 'SALT' AND la_code = ? AND period_start = ? "
                       "AND period_end = ?", [la, start, end]).fetchall()
    return {(code, breakdown): n for code, breakdown, n in rows
            if code in PORTED and _ported_keys(code, breakdown)}


def _ported_keys(code: str, breakdown: str) -> bool:
    """LTS001a/c tables 1a/1b; LTS001b tables 1a/1b, 2 (carer) and 3 (sex, ethnicity);
    LTS003 by support (the code's product); every cell of the STS tables and LTS004."""
    keys = {part.split("=", 1)[0] for part in breakdown.split(";") if part}
    table_1 = {"age_band", "psr", "setting", "mechanism"}
    if code == "LTS003":
        return keys <= {"support"}
    if code == "LTS001b":
        return keys <= table_1 | {"carer", "sex", "ethnicity"}
    return code == "LTS004" or not code.startswith("LTS") or keys <= table_1


def compare(warehouse: Path, la: str, start: date, end: date
            ) -> tuple[int, list[tuple[str, str, float | None, float | None]]]:
    """(cells compared, [(code, breakdown, openasc, port) for each cell that differs])."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.duckdb"
        shutil.copy(warehouse, copy)
        con = duckdb.connect(str(copy))
        try:
            mine = openasc_cells(con, la, start, end)
            theirs = port_cells(con, la, start, end)
        finally:
            con.close()
    keys = sorted(set(mine) | set(theirs))
    diffs = [(c, b, mine.get((c, b)), theirs.get((c, b))) for c, b in keys
             if mine.get((c, b)) != theirs.get((c, b))]
    return len(keys), diffs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--la", required=True)
    parser.add_argument("--from", dest="start", required=True, type=date.fromisoformat)
    parser.add_argument("--to", dest="end", required=True, type=date.fromisoformat)
    args = parser.parse_args()
    n, diffs = compare(args.warehouse, args.la, args.start, args.end)
    for code, breakdown, mine, theirs in diffs:
        print(f"DIFF {code} [{breakdown}] openasc={mine} port={theirs}")
    print(f"{args.warehouse}: {n} cells compared, {n - len(diffs)} equal, {len(diffs)} differ")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
