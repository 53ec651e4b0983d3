"""The ASCOF, SALT, SAC and DoLS scenario sets on both engines: identical metric_values rows;
and the other CLD families (ACTIVITY, COSTS, WAITS, DHSC) on a synthetic council.

`openasc compute --engine spark` must write exactly what the DuckDB engine writes (issue #20
item 3). The hand-made datasets are the scenario modules' own, not copies: the ASCOF cases
are collected from the ASCOF modules the way their `ascof_batch` fixture collects them (each
case its own council), and the SALT, SAC and DoLS rows come from those modules' row
builders (the SALT-method tests' people collected at their `both` call, each test its own
council). Each dataset is loaded once through the command line, then computed on a copy of
the warehouse by each engine; every selected measure must have rows, and every
metric_values row the run wrote (all columns but the run id) must match (numbers to 9
decimal places: the engines may add a rate's parts in another order, which moves the last
binary digits of a double, as in test_all_councils.py). The oracle is the DuckDB engine,
whose figures the scenario modules check by hand.

Spark starts once per test session (the `spark` fixture). Outside CI the test is skipped
when Java or pyspark is missing; in CI (`CI=true`) that is a failure, as CI installs both.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from openasc.config import load_settings
from openasc.metrics.catalogue import default_catalogue
from openasc.metrics.engine import run_compute
from openasc.metrics.plan import select_measures

PERIOD = (date(2024, 4, 1), date(2025, 3, 31))
ASCOF_MODULES = ("test_ascof_2a", "test_ascof_2a_sequel", "test_ascof_2b_2c", "test_ascof_2d",
                 "test_ascof_2e", "test_ascof_3d")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One SparkSession for the whole test session (the engine reuses it)."""
    missing = [what for what, present in (
        ("Java", shutil.which("java") or os.environ.get("JAVA_HOME")),
        ("pyspark", importlib.util.find_spec("pyspark"))) if not present]
    if missing:
        message = (f"{' and '.join(missing)} missing: the Spark engine needs the [spark] "
                   "extra and Java 17 (scripts/install-spark.sh)")
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI must install them.")
        pytest.skip(message)
    from openasc.metrics.spark_engine import spark_session

    yield spark_session()


def _parameter_sets(test: Callable[..., Any]) -> list[dict[str, Any]]:
    """Every combination of a test function's `pytest.mark.parametrize` values."""
    axes = []
    for mark in getattr(test, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        names, values = mark.args[0], mark.args[1]
        names = [n.strip() for n in names.split(",")] if isinstance(names, str) else names
        axes.append([dict(zip(names, v if len(names) > 1 else (v,), strict=True))
                     for v in values])
    return [{k: v for part in combo for k, v in part.items()}
            for combo in itertools.product(*axes)] or [{}]


def _ascof(folder: Path) -> Path:
    """Every ASCOF scenario case of the ASCOF modules, each its own council, loaded as the
    harness loads a batch (ingest, population, discharges)."""
    import ascof_harness as harness

    saved = harness._STATE["cases"]
    harness._STATE["cases"] = {}
    try:
        for name in ASCOF_MODULES:
            module = importlib.import_module(name)
            for test_name, test in vars(module).items():
                if not test_name.startswith("test_") or not inspect.isfunction(test):
                    continue
                for i, params in enumerate(_parameter_sets(test)):
                    harness._STATE["recording"] = f"{name}::{test_name}[{i}]"
                    if "tmp_path" in inspect.signature(test).parameters:
                        params = {**params, "tmp_path": folder / "unused"}
                    try:
                        test(**params)
                    except harness._Recorded:
                        pass
                    finally:
                        harness._STATE["recording"] = False
        cases = harness._STATE["cases"]
    finally:
        harness._STATE["cases"] = saved
    assert len(cases) > 20, "the ASCOF modules' cases were not collected"
    harness.run_councils(folder, cases)
    return folder / "wh" / "openasc.duckdb"


def _salt(rows: str) -> Callable[[Path], Path]:
    """test_salt.py's requests or long-term rows, loaded as that module loads them."""
    def load(folder: Path) -> Path:
        import test_salt
        from test_salt_events import ingest

        return ingest(folder, getattr(test_salt, rows)(), test_salt.SUBMITTED,
                      test_salt.FILE_PERIOD)
    return load


class _Collected(Exception):
    """Stops a SALT-method test at its `both(...)` call once its rows are recorded."""


def _salt_methods(folder: Path) -> Path:
    """Every person of test_salt_methods.py and test_salt_methods_lts.py that goes through
    their `both` helper (one file, computed under both methods), each test its own council,
    loaded as `both` loads one: the year's bookends, submitted 1 May 2025."""
    import ascof_harness as harness
    import test_salt_methods
    from test_salt_events import PERIOD as YEAR
    from test_salt_events import bookends

    from cldfile import nhs_number, write_cld_csv

    cases: list[list[dict[str, str]]] = []

    def record(_folder: Path, rows: list[dict[str, str]]) -> None:
        cases.append(rows)
        raise _Collected

    for name in ("test_salt_methods", "test_salt_methods_lts"):
        module = importlib.import_module(name)
        saved = module.both
        module.both = record
        try:
            for test_name, test in vars(module).items():
                if test_name.startswith("test_") and inspect.isfunction(test) \
                        and "both(" in inspect.getsource(test):
                    with pytest.raises(_Collected):
                        test(tmp_path=folder / "unused")
        finally:
            module.both = saved
    assert len(cases) > 10, "the SALT-method tests were not collected"
    files = []
    for i, ((cassr, _), rows) in enumerate(zip(harness._councils(len(cases)), cases,
                                                strict=True)):
        own = [{**r, "NHS_Number": nhs_number(f"{i}|{r['NHS_Number']}")}
               for r in [*bookends(*test_salt_methods.YEAR_BOOKENDS), *rows]]
        files.append(str(write_cld_csv(folder / f"cld_{i}.csv", own, la_code=cassr,
                                       period_start=YEAR[0], period_end=YEAR[1])))
    wh = folder / "wh.duckdb"
    harness._invoke(["--warehouse", str(wh), "ingest", "cld", *files, "--submitted-on",
                     "2025-05-01", "--add-council"])
    return wh


def _case_file(module_name: str, kind: str) -> Callable[[Path], Path]:
    """A SAC or DoLS module's rows, ingested with a population as its fixture does."""
    def load(folder: Path) -> Path:
        from sac_casefiles import DOLS_HEADER, SG_HEADER, add_population, openasc, write_rows

        module = importlib.import_module(module_name)
        header = SG_HEADER if kind == "safeguarding" else DOLS_HEADER
        path = write_rows(folder / f"{kind}.csv", header, module._rows())
        done = openasc(folder, "ingest", kind, str(path))
        assert done.returncode == 0, done.stderr
        add_population(folder, 2024, {age: 1000 for age in range(18, 91)})
        return folder / "w.duckdb"
    return load


ASCOF = ["2A", "2A-EPISODES", "2B", "2C", "2D", "2D-OUTCOMES", "2E", "2E-LD", "2E-UNKNOWN",
         "3D", "3D-UNKNOWN"]
SALT_REQUESTS = ["STS001", "STS002a", "STS002b"]
SALT_LONG_TERM = ["LTS001a", "LTS001b", "LTS001c", "LTS002a", "LTS002b", "LTS003", "LTS004"]

# dataset -> (loader, measures computed, SALT method)
DATASETS: dict[str, tuple[Callable[[Path], Path], list[str], str]] = {
    "ascof": (_ascof, ASCOF, "nhse"),
    # test_salt.py pins `corrected`; its requests also run under `nhse` (the default), whose
    # long-term tables read only a submission of the whole year, which its file is not.
    "salt_requests_corrected": (_salt("requests_rows"), SALT_REQUESTS, "corrected"),
    "salt_requests_nhse": (_salt("requests_rows"), SALT_REQUESTS, "nhse"),
    "salt_long_term_corrected": (_salt("long_term_rows"), SALT_LONG_TERM, "corrected"),
    # No person of the SALT-method tests has a review (LTS002b), and none is in long-term
    # support for more than a year under `nhse`'s strict test (LTS001c).
    "salt_methods_corrected": (_salt_methods, [*SALT_REQUESTS, "LTS001a", "LTS001b", "LTS001c",
                                               "LTS002a", "LTS003", "LTS004"], "corrected"),
    "salt_methods_nhse": (_salt_methods, [*SALT_REQUESTS, "LTS001a", "LTS001b", "LTS002a",
                                          "LTS003", "LTS004"], "nhse"),
    "sac": (_case_file("test_sac", "safeguarding"), ["SAC"], "nhse"),
    "sac_concerns": (_case_file("test_sac_concerns", "safeguarding"), ["SAC"], "nhse"),
    "dols": (_case_file("test_dols", "dols"), ["DOLS"], "nhse"),
}


def _run_engine(warehouse: Path, folder: Path, engine: str, select: list[str],
                salt_method: str) -> tuple[list[tuple], str]:
    """The metric_values rows this engine's compute run wrote (rows an earlier run left,
    such as the ASCOF harness's own, are not its) and the run's detail."""
    copy = folder / f"{engine}.duckdb"
    shutil.copy(warehouse, copy)
    (folder / "openasc.toml").write_text(f'salt_method = "{salt_method}"\n', "utf-8")
    settings = load_settings(copy, cwd=folder)
    run_compute(*PERIOD, None, settings, select=select, engine=engine)
    con = duckdb.connect(str(copy), read_only=True)
    try:
        run_id, detail = con.execute("SELECT run_id, detail FROM runs WHERE command = "
                                     "'compute' ORDER BY started_at DESC LIMIT 1").fetchone()
        rows = con.execute(
            "SELECT family, code, la_code, period_start, period_end, breakdown, "
            "round(numerator, 9), round(denominator, 9), round(value, 9), unit "
            "FROM metric_values WHERE run_id = ? ORDER BY ALL", [run_id]).fetchall()
    finally:
        con.close()
    return rows, detail


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_duckdb_and_spark_write_identical_metric_values(dataset: str, spark: Any,
                                                        tmp_path: Path) -> None:
    load, select, salt_method = DATASETS[dataset]
    (tmp_path / "data").mkdir()
    warehouse = load(tmp_path / "data")
    duck, duck_run = _run_engine(warehouse, tmp_path, "duckdb", select, salt_method)
    on_spark, spark_run = _run_engine(warehouse, tmp_path, "spark", select, salt_method)
    measures = {(m.family, m.code) for m in select_measures(default_catalogue(), select)}
    computed = {(r[0], r[1]) for r in duck}
    assert sorted(measures - computed) == [], "the dataset computed no rows of these measures"
    only_duckdb = sorted(set(duck) - set(on_spark), key=str)
    only_spark = sorted(set(on_spark) - set(duck), key=str)
    assert (only_duckdb, only_spark) == ([], []), "rows differ between the engines"
    assert duck == on_spark
    assert '"engine": "spark"' in spark_run and '"engine": "duckdb"' in duck_run


def test_the_other_families_agree_on_a_synthetic_council(spark: Any, tmp_path: Path) -> None:
    """The families the scenario sets above leave out - ACTIVITY (its medians and 90th
    percentiles, written out with row_number() and count() windows), COSTS (fractions
    such as 12/52 and products of decimals, which Spark rounds to 6 places unless written in
    DOUBLE), WAITS and DHSC - on a synthetic council (`openasc synth cld`, 300 people, seed
    7, 2024-25): both engines write the same rows. Keys and counts are equal; numbers equal
    to 1 part in 10^12, since a sum of exact decimals turned into a double may differ in
    its last binary digit between the engines (a cost total of millions of pounds, in the
    ninth decimal place). Every waiting-time and cost measure must have rows, so the
    percentiles and the cost arithmetic are reached. The oracle is the DuckDB engine."""
    from sac_casefiles import openasc

    cld = tmp_path / "cld.csv"
    for args in (["synth", "cld", "--out", str(cld), "--people", "300", "--seed", "7",
                  "--year", "2024-25"],
                 ["ingest", "cld", str(cld), "--submitted-on", "2025-05-01"]):
        done = openasc(tmp_path, *args)
        assert done.returncode == 0, done.stderr
    select = ["ACTIVITY", "COSTS", "WAITS", "DHSC"]
    duck, _ = _run_engine(tmp_path / "w.duckdb", tmp_path, "duckdb", select, "nhse")
    on_spark, _ = _run_engine(tmp_path / "w.duckdb", tmp_path, "spark", select, "nhse")
    codes = {r[1] for r in duck}
    assert {f"ACT-WAIT-00{i}" for i in range(1, 7)} | {f"COST-{i}" for i in range(1, 5)} \
        <= codes
    assert [r[:6] for r in duck] == [r[:6] for r in on_spark]
    for d, s in zip(duck, on_spark, strict=True):
        for a, b in zip(d[6:], s[6:], strict=True):
            assert (a is None and b is None) or a == pytest.approx(b, rel=1e-12), (d, s)


def test_a_spark_compute_prints_openasc_messages_not_sparks_warnings(spark: Any,
                                                                    tmp_path: Path) -> None:
    """`openasc compute --engine spark` in its own process (a new JVM, as a user starts it):
    stderr holds none of Spark's start-up warnings (the loopback address, native Hadoop,
    "Setting default log level"), only what the JVM itself prints before any log setting
    applies (its incubator-module notice), and stdout says what was computed."""
    from sac_casefiles import openasc

    _case_file("test_dols", "dols")(tmp_path)
    done = openasc(tmp_path, "compute", "--from", PERIOD[0].isoformat(), "--to",
                   PERIOD[1].isoformat(), "--engine", "spark", "--select", "DOLS")
    assert done.returncode == 0, done.stderr
    assert "measure(s) on spark" in done.stdout
    noise = [line for line in done.stderr.splitlines()
             if line.strip() and not line.startswith("WARNING: Using incubator modules")]
    assert noise == [], "Spark printed its own log lines"
