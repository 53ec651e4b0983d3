"""Scale: 100,000 survey rows (80,000 Adult Social Care Survey, 20,000 carers' survey) for one
council, ingested and the survey measures computed.

Target: the measures (13: the eleven ASCOF survey codes, ASCS/SAT, SACE/SAT, each with age
band, sex and margin-of-error rows) computed in at most 5 seconds, median of 5 runs, in the
process (`run_compute`, as `openasc compute --select` runs it, without Python's start-up).
Ingest of the two returns is timed separately (median of 3, a fresh warehouse each time).
Baseline, same run: the same estimates in vectorised pandas from the rows already in memory,
its headline values checked against the warehouse's; beside it, the two measure SQL files
alone (what the engine adds on top: the run record, replacing rows, data tests). Synthesis
is not timed. Prints the figures and writes benchmarks/results/survey.json.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from _harness import write_result  # noqa: E402

USERS, CARERS, TARGET, RUNS = 80_000, 20_000, 5.0, 5
PERIOD = (date(2024, 4, 1), date(2025, 3, 31))
SELECT = ["ASCS", "SACE", "1A", "1B", "1C", "1D", "3A", "3B", "3C", "4A", "4B", "5A", "5B"]
QOL = ["q3a", "q4a", "q5a", "q6a", "q7a", "q8a", "q9a", "q11"]
WEIGHTS = {"q3a": [1, 0.919, 0.541, 0], "q4a": [0.911, 0.789, 0.265, 0.195],
           "q5a": [0.879, 0.775, 0.294, 0.184], "q6a": [0.863, 0.78, 0.374, 0.288],
           "q7a": [0.88, 0.452, 0.298, 0.114], "q8a": [0.873, 0.748, 0.497, 0.241],
           "q9a": [0.962, 0.927, 0.567, 0.17], "q11": [0.847, 0.637, 0.295, 0.263]}


def _lookup(col: pd.Series, table: list[float]) -> pd.Series:
    return pd.Series(np.asarray(table + [np.nan])[col.fillna(len(table) + 1).astype(int) - 1],
                     index=col.index).where(col.notna())


def pandas_ascs(r: pd.DataFrame) -> pd.DataFrame:
    """Person values of the users' survey, long: code, stratum, age_band, sex, x."""
    r = r[r.responded]
    qsum = r[QOL].sum(axis=1, min_count=len(QOL))
    q1 = r.q1.where(r.questionnaire.isin([3, 4]), _lookup(r.q1, [1, 1, 2, 3, 4, 5, 5]))
    current = 0.203 * sum(_lookup(r[q], w) for q, w in WEIGHTS.items()) - 0.466
    adl = r[["q15a", "q15b", "q15c", "q15d", "q16a", "q16b", "q16c"]].sum(axis=1, min_count=7)
    adjust = (_lookup(r.q13, [0, 0, -0.0148, -0.109, -0.109])
              + _lookup(r.q17, [0, -0.0308, -0.125, -0.125, -0.125])
              + _lookup(r.q18, [0, -0.0603, -0.11, -0.11])
              + np.where(r.age_band == "65 and above", 0.0473, 0) + 0.5798 - 0.0202 * (adl - 7))
    eligible = (~r.support_setting.isin(["Residential Care", "Nursing Care"])
                & (r.primary_support_reason != "Learning Disability Support")
                & r.age_band.notna())
    values = {
        "1A": 32 - qsum, "1B": (r.q3a <= 2).astype(float).where(r.q3a.notna()),
        "1C": (current - adjust).where(eligible),
        "3A": r.q12.isin([2, 3]).astype(float).where(r.q12.between(2, 5)),
        "4A": (r.q7a == 1).astype(float).where(r.q7a.notna()),
        "4B": (r.q7b == 1).astype(float).where(r.q7b.notna()),
        "5A": (r.q8a == 1).astype(float).where(r.q8a.notna()),
        "SAT": (q1 == 1).astype(float).where(q1.notna()),
    }
    keep = r[["stratum", "age_band", "sex"]]
    return pd.concat([keep.assign(code=c, x=v) for c, v in values.items()]).dropna(
        subset=["x"])


def pandas_estimates(person: pd.DataFrame, pop: dict[int, float],
                     scores: set[str]) -> pd.DataFrame:
    """The stratified estimate and margin (NHS England, ASC-User-Survey): headline, age band
    and sex rows."""
    n_s = person.groupby(["code", "stratum"]).size().rename("n_s")
    parts = [person.assign(breakdown=""),
             person.dropna(subset=["age_band"]).assign(
                 breakdown="age_band=" + person.age_band.dropna()),
             person[person.sex.isin(["Male", "Female"])].assign(
                 breakdown="sex=" + person.sex[person.sex.isin(["Male", "Female"])])]
    grouped = pd.concat(parts)
    cell = grouped.groupby(["code", "breakdown", "stratum"]).x.agg(
        n="size", mean="mean", var=lambda s: s.var(ddof=0)).reset_index()
    cell = cell.join(n_s, on=["code", "stratum"])
    cell["big_n"] = cell.stratum.map(pop) * cell.n / cell.n_s
    cell["num"] = cell.big_n * cell["mean"]
    cell["v"] = np.where(cell.n > 1, cell["var"] * cell.big_n ** 2
                         * np.maximum(1 - cell.n / cell.big_n, 0) / (cell.n - 1).clip(lower=1), 0)
    out = cell.groupby(["code", "breakdown"])[["num", "big_n", "v", "n"]].sum().reset_index()
    factor = np.where(out.code.isin(list(scores)), 1, 100)
    out["value"] = out.num / out.big_n * factor
    out["margin"] = 1.96 * np.sqrt(out.v) * factor / out.big_n
    return out


def main() -> None:
    from openasc.config import load_settings
    from openasc.ingest.surveys import ingest_return
    from openasc.metrics.engine import register_councils, run_compute
    from openasc.synth.survey import write_survey
    from openasc.warehouse import connect

    with tempfile.TemporaryDirectory(prefix="openasc-bench-") as tmp, \
            tempfile.TemporaryDirectory(prefix="openasc-key-") as keydir:
        t = Path(tmp)
        os.environ["OPENASC_KEY_FILE"] = str(Path(keydir) / "key")
        _, ascs_pop = write_survey(t / "ascs.csv", USERS, year="2024-25")
        _, sace_pop = write_survey(t / "sace.csv", CARERS, year="2023-24", carers=True)
        ingest = []
        for i in range(3):
            settings = load_settings(t / f"w{i}.duckdb")
            clock = time.perf_counter()
            ingest_return("ascs", t / "ascs.csv", settings, population=ascs_pop)
            ingest_return("sace", t / "sace.csv", settings, population=sace_pop)
            ingest.append(time.perf_counter() - clock)
        compute = []
        for _ in range(RUNS):
            clock = time.perf_counter()
            result = run_compute(*PERIOD, "416", settings, select=SELECT)
            compute.append(time.perf_counter() - clock)
        con = connect(settings.warehouse)
        # the two measure files alone, as the engine runs them (like for like with pandas):
        # set-based, for the councils of the temp table compute_councils
        register_councils(con, ["E10000034"])
        folder = Path(__file__).parents[1] / "src/openasc/metrics/catalogue"
        params = {"period_start": PERIOD[0], "period_end": PERIOD[1]}
        sql_only = []
        for _ in range(RUNS):
            clock = time.perf_counter()
            for name in ("ascs_estimates.sql", "sace_estimates.sql"):
                sql = (folder / name).read_text("utf-8")
                con.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql}
                            ).fetchall()
            sql_only.append(time.perf_counter() - clock)
        users = con.execute("SELECT * FROM ascs_responses").df()
        carers = con.execute("SELECT * FROM sace_responses").df()
        ours = dict(con.execute("SELECT family || '/' || code, value FROM metric_values "
                                "WHERE breakdown = '' AND family IN ('ASCOF', 'ASCS', 'SACE') "
                                "AND code NOT LIKE '2%' AND code <> '3D'").fetchall())
        pops = dict(con.execute("SELECT stratum, eligible_population FROM ascs_population"
                                ).fetchall())
        carer_pop = con.execute("SELECT eligible_population FROM sace_population").fetchone()[0]
        con.close()
    baseline = []
    for _ in range(RUNS):
        clock = time.perf_counter()
        a = pandas_estimates(pandas_ascs(users), pops, {"1A", "1C"})
        c = pandas_carers(carers, carer_pop)
        baseline.append(time.perf_counter() - clock)
    theirs = {("ASCS/SAT" if k == "SAT" else f"ASCOF/{k}"): v for k, v in
              a[a.breakdown == ""].set_index("code").value.items()}
    theirs |= {("SACE/SAT" if k == "SAT" else f"ASCOF/{k}"): v for k, v in
               c[c.breakdown == ""].set_index("code").value.items()}
    agree = all(abs(ours[k] - theirs[k]) < 1e-9 * max(1, abs(theirs[k])) for k in theirs)
    median = statistics.median(compute)
    write_result("survey", {
        "rows": {"ascs": USERS, "sace": CARERS}, "measures": len(result.computed),
        "rows_written": result.rows_written,
        "ingest_seconds": {"runs": ingest, "median": statistics.median(ingest)},
        "compute_seconds": {"runs": compute, "median": median},
        "measure_sql_only_seconds": {"runs": sql_only, "median": statistics.median(sql_only)},
        "pandas_baseline_seconds": {"runs": baseline, "median": statistics.median(baseline)},
        "same_headline_values": agree, "target_seconds": TARGET, "met": median <= TARGET,
    })
    if not agree:
        raise SystemExit("the pandas baseline and the warehouse disagree")


def pandas_carers(r: pd.DataFrame, population: float) -> pd.DataFrame:
    """The carers' survey in pandas: one stratum per council."""
    r = r[r.responded]
    qol = ["qol_occupation", "qol_control", "qol_self_care", "qol_safety", "qol_social",
           "qol_encouragement"]
    values = {
        "1D": (3 * 6 - r[qol].sum(axis=1, min_count=6)),
        "3B": (r.information <= 2).astype(float).where(r.information.between(1, 4)),
        "3C": (r.involved <= 2).astype(float).where(r.involved.between(1, 4)),
        "5B": (r.qol_social == 1).astype(float).where(r.qol_social.notna()),
        "SAT": (r.satisfaction <= 2).astype(float).where(r.satisfaction.between(1, 7)),
    }
    keep = r[["age_band", "sex"]].assign(stratum=1)
    person = pd.concat([keep.assign(code=k, x=v) for k, v in values.items()]).dropna(
        subset=["x"])
    return pandas_estimates(person, {1: population}, {"1D"})


if __name__ == "__main__":
    main()
