"""Benchmark: `openasc ingest cld` at the speed of the disk (issue 20, item 2).

Target for one 1,000,000-row file: ≤ 8 s and ≤ 4 GB peak memory (median of `--runs`, every
run printed), aiming at 3× DuckDB's own read-and-materialise of the same file. Measured in the
same run, on the same file:

- **openasc, cold**: `openasc ingest cld FILE` into a fresh warehouse, `--runs` times. The
  command validates every row field by field, quarantines what fails with its reason,
  pseudonymises, loads and runs DHSC's national method, all in one transaction.
- **openasc, warm**: a second file of the same size (another seed) loaded into a copy of a
  warehouse that already holds the first, `--warm-runs` times.
- **DuckDB alone**: `CREATE TABLE t AS SELECT * FROM read_csv(FILE)` in memory (types
  detected, parallel reader): reading and materialising, no checks.
- **pandas, vectorised**: `pandas.read_csv(dtype=str)` and then the same kinds of checks as
  whole-column operations (see `pandas_baseline`): trimming, list values, dates, NHS check
  digits, postcodes, numbers, exact duplicates, the first failing field per row, and the
  keyed hash of each distinct identifier (Python's hmac over the distinct values; there is
  no vectorised HMAC in pandas). Nothing is written to disk.
- **many files**: `--files` files of `--rows / --files` rows, one per council, ingested in ONE
  command (`--add-council`), with the files read and validated two at a time (the default)
  and one at a time (`OPENASC_INGEST_WORKERS=1`), in rows per second.

Peak memory is the largest resident set of the command's process (`ru_maxrss` of the
children: openasc runs as one process). Results go to `benchmarks/results/ingest.json`.

    python benchmarks/ingest.py [--rows 1000000] [--runs 5] [--warm-runs 3]
                                [--baseline-runs 5] [--files 8] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _harness import run_timed, write_result  # noqa: E402

ROWS_PER_PERSON = 2.6  # docs/decisions.md: about 2.6 CLD rows per synthetic person
TARGET_SECONDS = 8
TARGET_MB = 4096

DUCKDB_READ = """
import duckdb, sys
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, ignore_errors=true)", [sys.argv[1]])
print(con.execute("SELECT count(*) FROM t").fetchone()[0], file=sys.stderr)
"""


def pandas_baseline(path: Path) -> None:
    """The checks `ingest cld` makes, as an analyst would write them in pandas: every column
    at once, no loop over rows (the keyed hash loops over distinct identifiers only)."""
    import hashlib
    import hmac

    import numpy as np
    import pandas as pd

    from openasc.ingest.reader import header_key
    from openasc.spec import load_spec

    spec = load_spec("cld")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, on_bad_lines="skip")
    by_key = {header_key(a): f for f in spec.fields for a in (f.name, f.label, *f.aliases)}
    df.columns = [by_key[header_key(c)].column for c in df.columns]
    fields = {f.column: f for f in spec.fields if f.column in df.columns}
    bad: dict[str, pd.Series] = {}
    for col, f in fields.items():
        v = df[col].str.strip()
        v = v.mask((v == "") | (v.str.upper() == "NULL"))
        df[col] = v
        present = v.notna()
        if f.type == "list" and f.list:
            vl = spec.lists[f.list]
            ok = v.isin(set(vl.values) | set(vl.r1) | set(vl.corrections))
        elif f.type == "date":
            ok = pd.to_datetime(v, format="%d/%m/%Y", errors="coerce").notna()
        elif f.type == "nhs_number":
            d = v.str.replace(" ", "", regex=False)
            digits = d.where(d.str.fullmatch(r"\d{10}", na=False), "0000000001")
            m = np.frombuffer("".join(digits).encode(), dtype=np.uint8).reshape(-1, 10) - 48
            check = (11 - (m[:, :9] * np.arange(10, 1, -1)).sum(axis=1) % 11) % 11
            ok = pd.Series((check != 10) & (check == m[:, 9]), index=v.index) & \
                d.str.fullmatch(r"\d{10}", na=False)
        elif f.type == "postcode":
            ok = v.str.replace(" ", "", regex=False).str.upper().str.fullmatch(
                r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}", na=False)
        elif f.type in ("decimal", "integer"):
            ok = pd.to_numeric(v, errors="coerce").notna()
        else:
            continue
        bad[f.name] = present & ~ok
    bad["(duplicate)"] = df.duplicated(keep="first")
    names = list(bad)
    first = np.select([bad[n].to_numpy() for n in names], names, default="")
    quarantined = int((first != "").sum())
    key = b"k" * 32
    ids = pd.concat([df["nhs_number"], df["la_person_unique_identifier"]]).dropna().unique()
    pseudo = {i: hmac.new(key, i.encode(), hashlib.sha256).hexdigest() for i in ids}
    for col in ("nhs_number", "la_person_unique_identifier"):
        df[col] = df[col].map(pseudo)
    print(len(df), quarantined, file=sys.stderr)


def median(runs: list[dict[str, float]], key: str = "seconds") -> float:
    return statistics.median(r[key] for r in runs)


def _ingest(wh: Path, files: list[Path], env: dict[str, str], *extra: str) -> dict[str, float]:
    return run_timed(["openasc", "--warehouse", str(wh), "ingest", "cld", *map(str, files),
                      "--submitted-on", "2025-05-01", *extra], env)


def _fresh(wh: Path) -> Path:
    for p in wh.parent.glob(wh.name + "*"):
        p.unlink()
    return wh


def _synth(out: Path, rows: int, env: dict[str, str], *extra: str) -> Path:
    run_timed(["openasc", "synth", "cld", "--out", str(out), "--people",
               str(int(rows / ROWS_PER_PERSON)), "--defect-rate", "0.01", *extra], env)
    return out


def _rounded(runs: list[dict[str, float]]) -> list[dict[str, float]]:
    return [{"seconds": round(r["seconds"], 2), "cpu_seconds": round(r["cpu_seconds"], 2),
             "peak_mb": round(r["peak_mb"])} for r in runs]


def _load() -> float:
    """The machine's 1-minute load average: above its core count, other work is running."""
    return round(os.getloadavg()[0], 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warm-runs", type=int, default=3)
    ap.add_argument("--baseline-runs", type=int, default=5, help="runs of each baseline")
    ap.add_argument("--files", type=int, default=8, help="files in the many-files run")
    ap.add_argument("--keep", type=Path, help="folder to keep the files in")
    ap.add_argument("--pandas-baseline", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.pandas_baseline:
        pandas_baseline(args.pandas_baseline)
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="openasc-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    keydir = Path(tempfile.mkdtemp(prefix="openasc-bench-key-"))
    env = dict(os.environ, OPENASC_KEY_FILE=str(keydir / "key"))
    first = _synth(work / "cld.csv", args.rows, env)
    second = _synth(work / "cld-2.csv", args.rows, env, "--seed", "2")
    rows = sum(1 for _ in first.open("rb")) - 1
    wh = work / "bench.duckdb"
    load_before = _load()

    # cold: a fresh warehouse each run; the baselines in between, so drift hits all alike
    cold, duck, pandas = [], [], []
    for run in range(args.runs):
        cold.append(_ingest(_fresh(wh), [first], env))
        if run < args.baseline_runs:
            duck.append(run_timed([sys.executable, "-c", DUCKDB_READ, str(first)], env))
            pandas.append(run_timed([sys.executable, __file__, "--pandas-baseline",
                                     str(first)], env))
    # warm: the second file into a copy of a warehouse that holds the first
    base = work / "base.duckdb"
    _ingest(_fresh(base), [first], env)
    warm = []
    for _ in range(args.warm_runs):
        shutil.copy(base, _fresh(wh))
        warm.append(_ingest(wh, [second], env))

    # many files: one per council, in one command; two at a time, then one at a time
    from openasc.councils import all_councils

    per_file = args.rows // args.files
    codes = [c.la_code for c in all_councils()][:args.files]
    many = [_synth(work / f"many-{code}.csv", per_file, env, "--la-code", code,
                   "--seed", str(i + 3)) for i, code in enumerate(codes)]
    many_rows = sum(sum(1 for _ in f.open("rb")) - 1 for f in many)
    parallel = _ingest(_fresh(wh), many, env, "--add-council")
    serial = _ingest(_fresh(wh), many, dict(env, OPENASC_INGEST_WORKERS="1"), "--add-council")

    ingest_s, duck_s, pandas_s = median(cold), median(duck), median(pandas)
    peak = max(r["peak_mb"] for r in cold + warm)
    write_result("ingest", {
        "command": f"python benchmarks/ingest.py --rows {args.rows} --runs {args.runs} "
                   f"--warm-runs {args.warm_runs} --baseline-runs {args.baseline_runs} "
                   f"--files {args.files}",
        "rows": rows,
        "cold_runs": _rounded(cold),
        "cold_median_seconds": round(ingest_s, 2),
        "cold_median_cpu_seconds": round(median(cold, "cpu_seconds"), 2),
        "cold_rows_per_second": round(rows / ingest_s),
        "warm_runs": _rounded(warm),
        "warm_median_seconds": round(median(warm), 2),
        "peak_memory_mb": round(peak),
        "duckdb_read_csv_runs": [round(r["seconds"], 2) for r in duck],
        "duckdb_read_csv_median_seconds": round(duck_s, 2),
        "duckdb_read_csv_median_cpu_seconds": round(median(duck, "cpu_seconds"), 2),
        "pandas_vectorised_runs": [round(r["seconds"], 2) for r in pandas],
        "pandas_vectorised_median_seconds": round(pandas_s, 2),
        "pandas_vectorised_median_cpu_seconds": round(median(pandas, "cpu_seconds"), 2),
        "pandas_peak_memory_mb": round(max(r["peak_mb"] for r in pandas)),
        "ratio_ingest_to_duckdb_read": round(ingest_s / duck_s, 2),
        "ratio_ingest_to_pandas": round(ingest_s / pandas_s, 2),
        "load_average_before_and_after": [load_before, _load()],
        "many_files": {
            "files": len(many), "rows": many_rows,
            "two_at_a_time": {"seconds": round(parallel["seconds"], 2),
                              "cpu_seconds": round(parallel["cpu_seconds"], 2),
                              "rows_per_second": round(many_rows / parallel["seconds"]),
                              "peak_mb": round(parallel["peak_mb"])},
            "one_at_a_time": {"seconds": round(serial["seconds"], 2),
                              "cpu_seconds": round(serial["cpu_seconds"], 2),
                              "rows_per_second": round(many_rows / serial["seconds"]),
                              "peak_mb": round(serial["peak_mb"])},
        },
        "target": {"seconds": TARGET_SECONDS, "peak_memory_mb": TARGET_MB,
                   "aim_ratio_to_duckdb_read": 3},
        "met": ingest_s <= TARGET_SECONDS and peak <= TARGET_MB,
    })


if __name__ == "__main__":
    main()
