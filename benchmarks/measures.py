"""Measure speed at scale: `compute` for every family on a synthetic CLD of N rows.

    python benchmarks/measures.py --rows 1000000      # the issue's size (takes minutes)
    python benchmarks/measures.py --rows 50000        # a quick run

Steps: synthesise a council with about N CLD rows (`openasc synth cld`), ingest it and a
matching population, then time `compute` family by family (target ≤ 15 s each), each on a
fresh connection so that its timing includes every prepare step it needs (cold), and again
on that connection (warm); the median of `--repeat` runs. Beside it, a baseline: ASCOF 2A
in pandas and Python over the same `cld_events` (filters vectorised, the method's
per-cluster decisions in a loop over records made once), timed against the catalogue's SQL
for 2A; both must give the same numerators and denominators, and the speed ratio is printed.
Results go to benchmarks/results/measures.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from openasc.errors import OpenascError
from openasc.metrics import engine
from openasc.metrics.catalogue import catalogue_folder, default_catalogue
from openasc.synth.population import write_population

LA_CASSR, LA_ONS = "416", "E10000034"
START, END = date(2024, 4, 1), date(2025, 3, 31)
OPEN = date(9999, 1, 1)
LTS = {"long term support: nursing care", "long term support: residential care",
       "long term support: community", "long term support: prison"}
NON_CONCLUDING = {"continuation of support or services", "progress to support planning or services",
                  "progress to assessment, review or reassessment", "progress to reablement/st-max",
                  "release 1 specification only: not mapped", "invalid and not mapped"}
HIERARCHY = [
    "progress to reablement/st-max", "progress to assessment, review or reassessment",
    "release 1 specification only: not mapped", "progress to support planning or services",
    "continuation of support or services", "admitted to hospital",
    "nfa: responsibility moved to another local authority",
    "nfa: referral to nhs services or nhs funded social care",
    "nfa: self-funded client or under 12wk disregard",
    "nfa: information and advice or signposting",
    "nfa: referral to other service within the local authority", "nfa: support declined",
    "nfa: deceased", "nfa: support ended as planned", "nfa: support ended for other reason",
    "nfa: no services offered for other reason", "nfa: other"]
SERVICE_RANK = {t: i + 1 for i, t in enumerate(
    ["long term support: nursing care", "long term support: residential care",
     "long term support: community", "long term support: prison", "short term support: st-max",
     "short term support: ongoing low level", "short term support: other short term"])}
NUMERATOR = {"short term support: ongoing low level", "short term support: other short term",
             "nfa: information and advice or signposting", "nfa: support ended as planned",
             "nfa: responsibility moved to another local authority", "nfa: other",
             "nfa: no services offered for other reason", "nfa: support ended for other reason",
             "nfa: referral to other service within the local authority"}
DENOMINATOR = NUMERATOR | {t for t in SERVICE_RANK if t.startswith("long term")} | {
    "short term support: residential or nursing care"}


def _rank(outcome: str | None) -> int:
    base = HIERARCHY.index(outcome) + 1 if outcome in HIERARCHY else 999
    return base + (100 if outcome in NON_CONCLUDING else 0)


def baseline_2a(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    """ASCOF 2A (ascof.md §2.1) in pandas and Python, written fairly: the filters and
    ranks over every event are vectorised, the events of people with ST-Max become Python
    records once (not a `DataFrame.to_dict` per person, which was three quarters of the
    baseline's time and flattered the SQL), and the method's per-cluster decisions, which
    are sequential by nature, loop over those records."""
    ev = con.execute(
        "SELECT person_id, record_id, lower(trim(event_type)) AS et, lower(trim(service_type)) "
        "AS st, lower(trim(service_component)) AS sc, lower(trim(event_outcome)) AS eo, "
        "event_start_date AS s, der_event_end_date AS e FROM cld_events WHERE la_code = ? AND "
        "lower(trim(client_type)) = 'service user' AND person_id IS NOT NULL AND "
        "event_start_date IS NOT NULL", [LA_ONS]).df()
    people = con.execute("SELECT person_id, birth_year, birth_month, date_of_death FROM "
                         "cld_people WHERE la_code = ?", [LA_ONS]).df().set_index("person_id")
    st_people = ev.loc[(ev.et == "service") & (ev.st == "short term support: st-max"),
                       "person_id"].unique()
    ev = ev[ev.person_id.isin(st_people)].copy()
    ev["s"] = pd.to_datetime(ev["s"]).dt.date
    ev["e"] = pd.to_datetime(ev["e"]).dt.date.where(ev["e"].notna(), OPEN)
    ev = ev[ev["e"] >= ev["s"]]
    ranks = {o: _rank(o) for o in HIERARCHY} | {o: _rank(o) for o in NON_CONCLUDING}
    ev["rank"] = ev["eo"].map(ranks).fillna(999).astype(int)
    ev["eo"] = ev["eo"].where(ev["eo"].notna(), None)
    counts = {"": [0, 0], "18 to 64": [0, 0], "65 and above": [0, 0]}
    by_person: dict[str, list[dict]] = {}
    for r in ev.sort_values("person_id", kind="stable").to_dict("records"):
        by_person.setdefault(r["person_id"], []).append(r)
    for pid, recs in by_person.items():
        st = sorted([r for r in recs if r["et"] == "service"
                     and r["st"] == "short term support: st-max"],
                    key=lambda r: (r["s"], r["e"], r["rank"], -r["record_id"]))
        clusters, latest = [], None
        for r in st:
            if latest is None or (r["s"] - latest).days > 7:
                clusters.append([r])
                latest = r["e"]
            else:
                clusters[-1].append(r)
                latest = max(latest, r["e"])
        person = people.loc[pid] if pid in people.index else None
        dod = None if person is None or pd.isna(person["date_of_death"]) else \
            pd.Timestamp(person["date_of_death"]).date()
        birth = None if person is None or pd.isna(person["birth_year"]) else \
            date(int(person["birth_year"]), int(person["birth_month"]), 1)
        for c in clusters:
            cs, ce = min(r["s"] for r in c), max(r["e"] for r in c)
            if not START <= ce <= END:
                continue
            pick = sorted(c, key=lambda r: (-(r["e"] - date.min).days, r["rank"],
                                            -r["record_id"]))[0]
            c_out, c_rank = pick["eo"], pick["rank"]
            age = None if birth is None else int((ce - birth).days // 365.25)
            if age is not None and age < 18 or dod is not None and dod < cs:
                continue
            if any(r["et"] == "service" and r["st"] in LTS and r["s"] < cs
                   and (cs - r["e"]).days < 91 for r in recs):
                continue
            cands = [r for r in recs if r["s"] >= cs and r["e"] > ce
                     and (r["s"] - ce).days <= 7]
            services = [r for r in cands if r["et"] == "service" and r["st"] in SERVICE_RANK]
            nested = [r for r in recs if r["s"] >= cs and r["e"] > cs and r["e"] <= ce]
            if dod is not None and (dod - ce).days <= 7:
                final = "nfa: deceased"
            elif c_out == "admitted to hospital":
                final = c_out
            elif services:
                best = min(SERVICE_RANK[r["st"]] for r in services)
                top = [r for r in services if SERVICE_RANK[r["st"]] == best]
                final = top[0]["st"]
                if final == "short term support: other short term" and any(
                        r["sc"] in ("short term residential care", "short term nursing care")
                        for r in top):
                    final = "short term support: residential or nursing care"
            else:
                qual = [r for r in cands if r["et"] != "service" and isinstance(r["eo"], str)
                        and r["eo"] != "nfa: support ended as planned"
                        and (c_rank < 100 or r["rank"] < 100)]
                options = []
                if (not cands and c_rank < 100) or qual:
                    options.append((c_rank, 1, c_out))
                options += [(r["rank"], 2, r["eo"]) for r in qual if r["rank"] < 100]
                nest = sorted([r for r in nested if r["et"] in ("assessment", "review")
                               and (ce - r["e"]).days < 14 and r["rank"] < 100],
                              key=lambda r: (-(r["e"] - date.min).days, r["rank"],
                                             -r["record_id"]))
                if nest:
                    options.append((nest[0]["rank"], 3, nest[0]["eo"]))
                if options:
                    final = min(options, key=lambda o: (o[0], o[1]))[2]
                elif any(r["et"] == "service" and r["sc"] == "equipment" for r in nested):
                    final = "short term support: ongoing low level"
                else:
                    final = c_out
            band = None if age is None else ("18 to 64" if age < 65 else "65 and above")
            for key in ("", band):
                if key is not None:
                    counts[key][0] += final in NUMERATOR
                    counts[key][1] += final in DENOMINATOR
    return {("" if k == "" else f"age_band={k}"): (n, d) for k, (n, d) in counts.items()}


def sql_2a(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    sql = (catalogue_folder() / "ascof_2a.sql").read_text().strip().rstrip(";")
    engine.register_councils(con, [LA_ONS])  # set-based SQL reads the run's councils
    rows = con.execute(f"SELECT code, breakdown, numerator, denominator FROM ({sql})",
                       {"period_start": START, "period_end": END}).fetchall()
    # the file also returns DHSC's 2A-EPISODES disaggregation; 2A's own rows are compared
    return {r[1]: (int(r[2]), int(r[3])) for r in rows if r[0] == "2A"}


def _timed(fn: object) -> float:
    t0 = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - t0


def time_compute(wh: Path, select: list[str] | None, repeat: int) -> dict:
    """Median seconds of `compute` for a selection, cold and warm, over `repeat` runs.

    Cold: a fresh connection, so every prepare step the selection needs is built in the
    timing (on one connection the temp tables another family's run left would be reused,
    and a family reading them would look faster than it is). Warm: the same selection again
    on that connection. Each run is rolled back, so the warehouse is unchanged."""
    cold, warm, out = [], [], {}
    for _ in range(repeat):
        con = duckdb.connect(str(wh))
        try:
            for times in (cold, warm):
                con.execute("BEGIN TRANSACTION")
                t0 = time.perf_counter()
                try:
                    result = engine.compute(con, START, END, [LA_ONS], "benchmark", select=select)
                    out = {"measures": len(result.computed),
                           "not_computable": len(result.not_computable)}
                except OpenascError as exc:
                    out = {"error": exc.message}
                times.append(time.perf_counter() - t0)
                con.execute("ROLLBACK")
        finally:
            con.close()
    return {"cold_seconds": round(statistics.median(cold), 3),
            "warm_seconds": round(statistics.median(warm), 3), "runs": repeat, **out}


def _openasc(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(["openasc", *args], check=True, env=env, stdout=subprocess.DEVNULL)


def _synth_rows(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 22), b"")) - 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="target CLD rows")
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).parent / "results" / "measures.json")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each timing; the median is reported (default 3)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="openasc-bench-"))
    env = dict(os.environ, OPENASC_KEY_FILE=str(work / "key" / "key"))
    wh = work / "wh" / "openasc.duckdb"
    pilot = work / "pilot.csv"
    _openasc(["synth", "cld", "--out", str(pilot), "--people", "500", "--seed", "3"], env)
    per_person = max(_synth_rows(pilot) / 500, 1.0)
    people = max(int(args.rows / per_person), 100)
    cld = work / "cld.csv"
    _openasc(["synth", "cld", "--out", str(cld), "--people", str(people), "--seed", "3"], env)
    rows = _synth_rows(cld)
    t0 = time.perf_counter()
    _openasc(["--warehouse", str(wh), "ingest", "cld", str(cld), "--submitted-on",
              "2025-04-20"], env)
    ingest_s = time.perf_counter() - t0
    pop = work / "population.csv"
    write_population(pop, people, LA_CASSR, [2023, 2024])
    _openasc(["--warehouse", str(wh), "ingest", "population", str(pop)], env)

    families = {family.name: time_compute(wh, [family.name], args.repeat)
                for family in default_catalogue()}
    every = time_compute(wh, None, args.repeat)
    all_s, all_error = every["cold_seconds"], every.get("error")
    con = duckdb.connect(str(wh))
    sql_s = statistics.median(_timed(lambda: sql_2a(con)) for _ in range(args.repeat))
    base_s = statistics.median(_timed(lambda: baseline_2a(con)) for _ in range(args.repeat))
    fast, slow = sql_2a(con), baseline_2a(con)
    con.close()
    same = fast == slow
    ratio = base_s / sql_s if sql_s > 0 else float("inf")
    result = {
        "rows": rows, "people": people, "ingest_seconds": round(ingest_s, 3),
        "compute_seconds_by_family": families,
        "compute_seconds_all_families": round(all_s, 3),
        "compute_all_families_error": all_error,
        "all_families_within_15s": all(f["cold_seconds"] <= 15 and "error" not in f
                                       for f in families.values()),
        "ascof_2a": {"sql_seconds": round(sql_s, 3), "pandas_baseline_seconds": round(base_s, 3),
                     "speedup": round(ratio, 1), "same_answer": same,
                     "sql": {k: list(v) for k, v in fast.items()},
                     "baseline": {k: list(v) for k, v in slow.items()}},
        "run_on": date.today().isoformat(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    for name, f in families.items():
        detail = f.get("error") or f"{f['measures']} measures"
        print(f"compute {name:10s} cold {f['cold_seconds']:7.2f} s, warm "
              f"{f['warm_seconds']:7.2f} s  ({detail})")
    print(f"compute, every family: cold {all_s:.2f} s, warm {every['warm_seconds']:.2f} s")
    print(f"ASCOF 2A: SQL {sql_s:.3f} s, pandas baseline {base_s:.3f} s, {ratio:.1f}x faster; "
          f"same answer: {same}")
    print(f"{rows:,} rows; results in {args.out}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())

