"""Benchmark: validate + ingest 1,000,000 CLD rows; target ≤ 20 s and ≤ 4 GB peak memory.

The headline figure is `openasc ingest cld`: it validates every row field by field (the same
checks and reject reasons as `openasc validate cld`), quarantines what fails, pseudonymises,
loads, and runs the national method, all in one transaction. Also measured, for the analyst
who previews the data-quality report first: `openasc validate cld` on its own, and the two
commands one after the other (the file is then read and validated twice). Baseline, measured
in the same run on the same file: pandas reading the CSV (every column as text) - the first
thing an analyst's own script would do, before any validation. Ratios are openasc ÷ pandas.

    python benchmarks/ingest.py [--rows 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _harness import run_timed, write_result  # noqa: E402

ROWS_PER_PERSON = 2.6  # docs/decisions.md: about 2.6 CLD rows per synthetic person


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, help="folder to keep the files in")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="openasc-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    keydir = Path(tempfile.mkdtemp(prefix="openasc-bench-key-"))
    env = dict(os.environ, OPENASC_KEY_FILE=str(keydir / "key"))
    csv = work / "cld.csv"
    people = int(args.rows / ROWS_PER_PERSON)
    synth = run_timed(["openasc", "synth", "cld", "--out", str(csv), "--people", str(people),
                       "--defect-rate", "0.01"], env)
    rows = sum(1 for _ in csv.open("rb")) - 1
    wh = work / "bench.duckdb"
    if wh.exists():
        wh.unlink()
    validate = run_timed(["openasc", "--warehouse", str(wh), "validate", "cld", str(csv)], env)
    ingest = run_timed(["openasc", "--warehouse", str(wh), "ingest", "cld", str(csv),
                        "--submitted-on", "2025-05-01"], env)
    baseline = run_timed([sys.executable, "-c",
                          "import pandas, sys; pandas.read_csv(sys.argv[1], dtype=str)",
                          str(csv)], env)
    total = validate["seconds"] + ingest["seconds"]
    peak = max(validate["peak_mb"], ingest["peak_mb"])
    ingest_only = ingest["seconds"]
    write_result("ingest", {
        "command": f"python benchmarks/ingest.py --rows {args.rows}",
        "rows": rows,
        "synth_seconds": round(synth["seconds"], 2),
        "validate_seconds": round(validate["seconds"], 2),
        "ingest_seconds": round(ingest["seconds"], 2),
        "validate_plus_ingest_seconds": round(total, 2),
        "ingest_rows_per_second": round(rows / ingest_only),
        "validate_plus_ingest_rows_per_second": round(rows / total),
        "peak_memory_mb": round(peak),
        "baseline": "pandas.read_csv(dtype=str) of the same file",
        "baseline_seconds": round(baseline["seconds"], 2),
        "baseline_peak_memory_mb": round(baseline["peak_mb"]),
        "ratio_ingest_to_baseline": round(ingest_only / baseline["seconds"], 2),
        "ratio_validate_plus_ingest_to_baseline": round(total / baseline["seconds"], 2),
        "target": {"seconds": 20, "peak_memory_mb": 4096},
        "met_by_ingest": ingest_only <= 20 and ingest["peak_mb"] <= 4096,
        "met_by_validate_plus_ingest": total <= 20 and peak <= 4096,
    })


if __name__ == "__main__":
    main()
