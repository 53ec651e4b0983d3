"""Scale: a 2022-based SNPP zip for all of England, every council projected.

The file is what ONS publishes: a zip of three CSVs (persons, males, females), each with 92
rows per district (0..89, `90 and over`, `All ages`) and a column per year 2022..2047, for
about 300 districts (synthetic, `openasc synth projections`, not timed). Timed:

- openasc: `openasc ingest projections ZIP --lookup ... --variant ...` in a fresh warehouse:
  read every cell, check it, quarantine nothing, sum the districts to every council through
  the lookup, check the totals, load one row per council, year, age and sex;
- baseline: DuckDB alone reading the three CSVs from the unzipped files, unpivoting the
  years and summing districts to councils through the same lookup - the same table without
  the checks, the accounting or the transaction (a fair floor for this work).

Target (issue 17): ≤ 10 s for openasc. Median of RUNS runs each; writes
benchmarks/results/projections.json.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _harness import run_timed, write_result  # noqa: E402

RUNS, TARGET = 5, 10.0

BASELINE = """
import sys, time, duckdb
t = time.perf_counter()
con = duckdb.connect()
folder, lookup = sys.argv[1], sys.argv[2]
years = [str(y) for y in range(2022, 2048)]
cols = ", ".join(f'"{y}"' for y in years)
con.execute(f'''
    CREATE TABLE lk AS SELECT LTLA22CD AS lad, UTLA22CD AS council FROM read_csv('{lookup}')''')
con.execute(f'''
    CREATE TABLE out AS
    SELECT lk.council, CAST(year AS INTEGER) AS year, AGE_GROUP AS age, SEX AS sex,
           sum(CAST(pop AS DOUBLE)) AS population
    FROM (UNPIVOT (SELECT AREA_CODE, AGE_GROUP, SEX, {cols}
                   FROM read_csv('{folder}/*.csv', all_varchar = true, header = true)
                   WHERE AGE_GROUP <> 'All ages')
          ON {cols} INTO NAME year VALUE pop) u
    JOIN lk ON lk.lad = u.AREA_CODE
    GROUP BY ALL''')
n = con.execute("SELECT count(DISTINCT council), count(*) FROM out").fetchone()
print(n, time.perf_counter() - t)
"""


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="openasc-bench-") as tmp:
        t = Path(tmp)
        env = {**os.environ, "OPENASC_KEY_FILE": str(t / "key")}
        zpath = t / "2022snpppopulationsyoa5yr.zip"
        subprocess.run(["openasc", "synth", "projections", "--out", str(zpath)], check=True,
                       env=env, stdout=subprocess.DEVNULL)
        lookup = t / "lookup.csv"
        unzipped = t / "csv"
        with zipfile.ZipFile(zpath) as z:
            z.extractall(unzipped)
            rows = sum(sum(1 for _ in z.open(n)) - 1 for n in z.namelist())
        openasc, baseline = [], []
        for i in range(RUNS):
            wh = t / f"w{i}.duckdb"
            openasc.append(run_timed(
                ["openasc", "--warehouse", str(wh), "ingest", "projections", str(zpath),
                 "--lookup", str(lookup), "--variant", "five-year migration"], env))
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", BASELINE, str(unzipped), str(lookup)],
                           check=True, stdout=subprocess.DEVNULL)
            baseline.append(time.perf_counter() - started)
        councils = subprocess.run(
            [sys.executable, "-c", "import duckdb,sys; print(duckdb.connect(sys.argv[1], "
             "read_only=True).execute('SELECT count(DISTINCT la_code) FROM "
             "population_projections').fetchone()[0])", str(t / "w0.duckdb")],
            capture_output=True, text=True, check=True).stdout.strip()
    ours = statistics.median(r["seconds"] for r in openasc)
    base = statistics.median(baseline)
    write_result("projections", {
        "file": "synthetic 2022-based SNPP zip (persons, males, females)",
        "districts_rows_per_sex": rows // 3, "rows": rows, "years": 26,
        "councils_projected": int(councils), "runs": RUNS,
        "openasc_seconds": [round(r["seconds"], 2) for r in openasc],
        "openasc_median_seconds": round(ours, 2),
        "openasc_peak_mb": round(max(r["peak_mb"] for r in openasc)),
        "baseline": "DuckDB raw read + unpivot + district-to-council sum, no checks",
        "baseline_seconds": [round(b, 2) for b in baseline],
        "baseline_median_seconds": round(base, 2),
        "ratio_openasc_to_baseline": round(ours / base, 2),
        "target_seconds": TARGET, "met": ours <= TARGET})


if __name__ == "__main__":
    main()
