"""National scale: every council's CLD in one warehouse, ingested and computed in one pass.

    python benchmarks/national.py                       # the issue's size: ~20M rows, 150 councils
    python benchmarks/national.py --rows 2000000        # a quick run
    python benchmarks/national.py --spark-rows 2000000  # also DuckDB vs Spark local on a subset
    python benchmarks/national.py --engines-only --spark-rows 2000000 --work DIR  # only that

Steps (issue #20, item 5):
1. Synthesise 150 councils' CLD extracts (`openasc synth cld`, one file per council, one
   year's submission), with sizes that vary as English councils' adult populations do (see
   `council_sizes`), about `--rows` rows in all; and each council's population file. This is
   set-up and is not timed.
2. Time `openasc ingest cld F1 ... F150 --add-council` (one command, every file) and
   `openasc ingest population` as child processes: wall seconds and peak resident memory.
3. Time `openasc compute --all-councils` over the whole year (every family), cold (first
   run) and warm (second run, same warehouse).
4. With `--spark-rows`, compute a subset of councils totalling about that many rows with
   `--engine duckdb` and `--engine spark` (when openasc has the Spark engine installed).

Targets (issue #20): ingest + compute of ~20M rows in at most 10 minutes and 16 GB peak on
a 2-core, 24 GB machine. The baseline for ingest is DuckDB's own read of the same files into
one table, measured in the same run. Results go to benchmarks/results/national.json.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb
import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _harness import failed, run_timed, write_result  # noqa: E402 - benchmarks run as scripts

from openasc.councils import all_councils, find  # noqa: E402
from openasc.synth.cld import ROWS_PER_PERSON, write_cld  # noqa: E402
from openasc.synth.population import write_population  # noqa: E402

YEAR, START, END = "2024-25", "2024-04-01", "2025-03-31"
# Typical adults (18+) by council type, from the shape of ONS mid-year estimates: counties
# are the largest, London boroughs and metropolitan districts middling, unitaries spread
# widely. The median and the spread (a lognormal's sigma) give sizes from about 25,000
# to about 1,000,000 adults, which is England's range apart from the two tiny councils
# (City of London, Isles of Scilly), left out here.
TYPE_SIZE = {"county": (600_000, 0.35), "metropolitan district": (230_000, 0.45),
             "London borough": (220_000, 0.25), "unitary": (170_000, 0.55)}


def _submits_cld(ons: str) -> bool:
    """A current council with an NHS council code (a CLD file names its council by that
    code; the reference has none yet for North and West Northamptonshire), leaving out the
    two tiny ones."""
    c = find(ons)
    return (c is not None and c.valid_to is None and bool(c.la_code)
            and ons not in ("E09000001", "E06000053"))


def council_sizes(councils: int, seed: int = 20) -> list[tuple[str, float]]:
    """(ONS code, adult population) for the first `councils` current English councils."""
    rng = np.random.default_rng(seed)
    places = [c for c in all_councils() if _submits_cld(c.ons_code)]
    out = []
    for c in places[:councils]:
        median, sigma = TYPE_SIZE.get(c.council_type, TYPE_SIZE["unitary"])
        out.append((c.ons_code, float(median * math.exp(rng.normal(0.0, sigma)))))
    return out


def _synth(job: tuple[str, int, str]) -> tuple[str, str, int]:
    ons, people, folder = job
    path = Path(folder) / f"cld-{ons}.csv"
    [(written, rows)] = write_cld(out=path, people=people, la_code=ons, year=YEAR, seed=7,
                                  release=2, defect_rate=0.01, submissions=1)
    write_population(Path(folder) / f"population-{ons}.csv", people=people, la_code=ons,
                     years=[2023, 2024])
    return ons, str(written), rows


def synthesise(folder: Path, rows: int, councils: int) -> list[tuple[str, Path, int]]:
    """Each council's CLD file and population file, people in proportion to its size.
    Files made earlier for the same size in the same folder are reused (listed in
    `made.csv`): synthesis is set-up, and 20M rows take minutes to write."""
    made = folder / f"made-{rows}-{councils}.csv"
    if made.exists():
        with made.open(newline="") as fh:
            return [(ons, Path(path), int(n)) for ons, path, n in csv.reader(fh)
                    if _submits_cld(ons)]
    sizes = council_sizes(councils)
    total = sum(s for _, s in sizes)
    jobs = [(ons, max(int(rows / ROWS_PER_PERSON * s / total), 50), str(folder))
            for ons, s in sizes]
    with ProcessPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(_synth, jobs))
    with made.open("w", newline="") as fh:
        csv.writer(fh).writerows(done)
    return [(ons, Path(path), n) for ons, path, n in done]


def _population_file(folder: Path, councils: list[str], name: str = "all") -> Path:
    """The councils' population files as one (`population-<name>.csv`)."""
    out = folder / f"population-{name}.csv"
    with out.open("w", newline="") as fh:
        writer = None
        for ons in councils:
            with (folder / f"population-{ons}.csv").open(newline="") as part:
                reader = csv.reader(part)
                header = next(reader)
                if writer is None:
                    writer = csv.writer(fh)
                    writer.writerow(header)
                writer.writerows(reader)
    return out


def duckdb_read(files: list[Path], folder: Path) -> float:
    """The honest floor: DuckDB's own read of every file into one table, no checks."""
    db = folder / "raw.duckdb"
    db.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    started = time.perf_counter()
    con.execute("CREATE TABLE raw AS SELECT * FROM read_csv(?, all_varchar = true)",
                [[str(f) for f in files]])
    seconds = time.perf_counter() - started
    con.close()
    db.unlink()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000_000, help="CLD rows in all")
    parser.add_argument("--councils", type=int, default=150)
    parser.add_argument("--spark-rows", type=int, default=0,
                        help="also compare DuckDB and Spark on councils totalling this many "
                        "rows (0: skip)")
    parser.add_argument("--work", type=Path, default=None,
                        help="folder for the files and warehouse (default: a temp folder); "
                        "synthetic files already there for the same size are reused")
    parser.add_argument("--synth-only", action="store_true",
                        help="only write the synthetic files (set-up for a later run)")
    parser.add_argument("--engines-only", action="store_true",
                        help="only the DuckDB vs Spark comparison of --spark-rows: synthesise "
                        "(or reuse) just the subset's councils' files, no national ingest")
    parser.add_argument("--engine-runs", type=int, default=3,
                        help="compute runs with each engine (the first cold, the rest warm)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="openasc-national-"))
    inputs = work / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    # The key must live outside the warehouse's folder (openasc refuses otherwise).
    env = dict(os.environ, OPENASC_KEY_FILE=str(Path(tempfile.mkdtemp()) / "key"))
    if args.engines_only:
        if not args.spark_rows:
            parser.error("--engines-only compares the engines on --spark-rows rows")
        made = subset_inputs(inputs, args.rows, args.councils, args.spark_rows)
        write_result("national-engines",
                     {"engines": compare_engines(made, args.spark_rows, work, env,
                                                 args.engine_runs)})
        return 0
    wh = work / "warehouse" / "openasc.duckdb"
    wh.parent.mkdir(exist_ok=True)
    wh.unlink(missing_ok=True)
    openasc = [sys.executable, "-m", "openasc.cli", "--warehouse", str(wh)]

    started = time.perf_counter()
    made = synthesise(inputs, args.rows, args.councils)
    synth_s = time.perf_counter() - started
    rows = sum(n for _, _, n in made)
    files = [p for _, p, _ in made]
    print(f"synthesised {rows:,} rows for {len(made)} councils in {synth_s:.0f} s (not timed)")
    if args.synth_only:
        return 0

    raw_s = duckdb_read(files, work)
    print(f"DuckDB's own read of the {len(files)} files into one table: {raw_s:.1f} s")
    ingest = run_timed([*openasc, "ingest", "cld", *map(str, files), "--submitted-on",
                        "2025-04-30", "--add-council"], env)
    print(f"ingest cld, {len(files)} files in one command: {ingest['seconds']:.1f} s, "
          f"peak {ingest['peak_mb']:,.0f} MB")
    population = run_timed([*openasc, "ingest", "population",
                            str(_population_file(inputs, [c for c, _, _ in made]))], env)
    compute = [run_timed([*openasc, "compute", "--from", START, "--to", END,
                          "--all-councils"], env) for _ in range(2)]
    for label, r in zip(("cold", "warm"), compute, strict=True):
        print(f"compute --all-councils ({label}): {r['seconds']:.1f} s, peak "
              f"{r['peak_mb']:,.0f} MB")
    con = duckdb.connect(str(wh), read_only=True)
    written = con.execute("SELECT count(*), count(DISTINCT la_code) FROM metric_values"
                          ).fetchone()
    loaded = con.execute("SELECT count(*) FROM cld_records").fetchone()[0]
    con.close()
    total_s = ingest["seconds"] + population["seconds"] + compute[0]["seconds"]
    peak = max(ingest["peak_mb"], population["peak_mb"], *(r["peak_mb"] for r in compute))
    print(f"ingest + compute: {total_s:.0f} s (target 600 s), peak {peak:,.0f} MB "
          f"(target 16,384 MB); {written[0]:,} metric rows for {written[1]} councils; "
          f"{loaded:,} CLD rows held")
    result = {
        "rows": rows, "councils": len(made), "cld_rows_held": loaded,
        "duckdb_raw_read_seconds": round(raw_s, 2),
        "ingest": ingest, "ingest_ratio_to_raw_read": round(ingest["seconds"] / raw_s, 2),
        "population_ingest": population,
        "compute_cold": compute[0], "compute_warm": compute[1],
        "metric_rows": written[0], "councils_computed": written[1],
        "total_seconds": round(total_s, 1), "peak_mb": round(peak),
        "within_targets": total_s <= 600 and peak <= 16_384,
    }
    if args.spark_rows:
        result["engines"] = compare_engines(made, args.spark_rows, work, env, args.engine_runs)
    write_result("national", result)
    return 0 if result["within_targets"] else 1


def subset_inputs(folder: Path, rows: int, councils: int, subset_rows: int
                  ) -> list[tuple[str, Path, int]]:
    """The first councils of the national set up to about `subset_rows` rows, with the same
    files the full synthesis writes (same sizes, same seed): read from `made-*.csv` when the
    full set is there, otherwise only these councils are synthesised (a file already in the
    folder is reused)."""
    if (folder / f"made-{rows}-{councils}.csv").exists():
        return synthesise(folder, rows, councils)
    sizes = council_sizes(councils)
    total = sum(s for _, s in sizes)
    made, expected = [], 0
    for ons, size in sizes:
        if expected >= subset_rows:
            break
        people = max(int(rows / ROWS_PER_PERSON * size / total), 50)
        path = folder / f"cld-{ons}.csv"
        if path.exists() and (folder / f"population-{ons}.csv").exists():
            with path.open("rb") as fh:
                made.append((ons, path, sum(1 for _ in fh) - 1))
        else:
            ons, written, n = _synth((ons, people, str(folder)))
            made.append((ons, Path(written), n))
        expected += made[-1][2]
    return made


def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants now (Linux /proc): Spark's JVM
    is a grandchild of the timed command, which getrusage does not always see."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, ppid in parents.items() if ppid in tree} - tree
        tree |= more
        grew = bool(more)
    pages = 0
    for pid in tree:
        try:
            pages += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except OSError:
            continue
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def run_sampled(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall seconds and the peak of the whole process tree's resident memory, sampled
    every half second."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_mb(proc.pid))
        time.sleep(0.5)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        failed(cmd, proc.returncode, proc.stderr.read() if proc.stderr else "")
    return {"seconds": seconds, "peak_mb": peak}


_KEYS = "family, code, la_code, period_start, period_end, breakdown"


def _metric_rows(wh: Path) -> dict[tuple, tuple]:
    """The metric_values rows the last compute wrote: key -> (numerator, denominator, value,
    unit). Rows an earlier run wrote and the last did not are left out, so a row one engine
    fails to write shows as missing, not as the other engine's."""
    con = duckdb.connect(str(wh), read_only=True)
    rows = con.execute(f"SELECT {_KEYS}, numerator, denominator, value, unit "
                       "FROM metric_values WHERE run_id = (SELECT run_id FROM runs WHERE "
                       "command = 'compute' ORDER BY started_at DESC LIMIT 1)").fetchall()
    con.close()
    return {r[:6]: r[6:] for r in rows}


def _same(x: object, y: object) -> bool:
    if isinstance(x, float) and isinstance(y, float):
        return x == y or math.isclose(x, y, rel_tol=1e-9)
    return x == y


def compare_rows(a: dict[tuple, tuple], b: dict[tuple, tuple]) -> dict[str, int]:
    """Rows of two runs' metric_values: same keys, numbers equal to 1e-9 relative."""
    both = a.keys() & b.keys()
    differ = sum(1 for k in both if not all(map(_same, a[k], b[k])))
    return {"duckdb_rows": len(a), "spark_rows": len(b), "only_duckdb": len(a.keys() - both),
            "only_spark": len(b.keys() - both), "values_differ": differ}


def compare_engines(made: list[tuple[str, Path, int]], rows: int, work: Path,
                    env: dict[str, str], runs: int = 3) -> dict[str, object]:
    """DuckDB vs Spark local on councils totalling about `rows` rows, same warehouse:
    `compute --all-councils` (every family) `runs` times with each engine. The first run is
    cold (Spark starts its JVM in every run, and the first reads the files from disk); the
    warm figure is the median of the others. Peak memory is the whole process tree's."""
    chosen, total = [], 0
    for ons, path, n in made:
        if total >= rows:
            break
        chosen.append((ons, path))
        total += n
    wh = work / "warehouse" / "subset.duckdb"
    wh.parent.mkdir(parents=True, exist_ok=True)
    wh.unlink(missing_ok=True)
    openasc = [sys.executable, "-m", "openasc.cli", "--warehouse", str(wh)]
    ingest = run_timed([*openasc, "ingest", "cld", *(str(p) for _, p in chosen),
                        "--submitted-on", "2025-04-30", "--add-council"], env)
    run_timed([*openasc, "ingest", "population",
               str(_population_file(work / "inputs", [c for c, _ in chosen], "subset"))],
              env)
    out: dict[str, object] = {"rows": total, "councils": len(chosen),
                              "ingest_seconds": round(ingest["seconds"], 1)}
    print(f"subset: {total:,} rows, {len(chosen)} councils, ingested in "
          f"{ingest['seconds']:.0f} s")
    written: dict[str, dict[tuple, tuple]] = {}
    for engine in ("duckdb", "spark"):
        timed = [run_sampled([*openasc, "compute", "--from", START, "--to", END,
                              "--all-councils", "--engine", engine], env)
                 for _ in range(runs)]
        cold = timed[0]["seconds"]
        warm = statistics.median(r["seconds"] for r in timed[1:]) if runs > 1 else cold
        peak = round(max(r["peak_mb"] for r in timed))
        out[engine] = {"cold_seconds": round(cold, 1), "warm_median_seconds": round(warm, 1),
                       "runs": [round(r["seconds"], 1) for r in timed], "peak_mb": peak}
        print(f"{engine} on {total:,} rows ({len(chosen)} councils): cold {cold:.1f} s, "
              f"warm median {warm:.1f} s, peak {peak:,} MB")
        written[engine] = _metric_rows(wh)
    out["metric_values"] = same = compare_rows(written["duckdb"], written["spark"])
    print(f"metric_values, DuckDB against Spark: {same['duckdb_rows']:,} and "
          f"{same['spark_rows']:,} rows, {same['only_duckdb']} only in DuckDB's, "
          f"{same['only_spark']} only in Spark's, {same['values_differ']} with other values "
          "(numbers to 1e-9 relative)")
    return out


if __name__ == "__main__":
    sys.exit(main())
