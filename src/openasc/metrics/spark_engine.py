"""The catalogue on Apache Spark: `openasc compute --engine spark`.

For national teams whose data outgrow one machine, the answer is an existing distributed
engine, not one of ours. This runner gives the engine (engine.py) the same contract as DuckDB:
the warehouse's tables, and the run's helper tables (compute_councils, category_lists,
working_days, the CLD lookups), are exported as Parquet (parquet_export.py) and registered as
Spark views; each prepare step and measure is the catalogue's own SQL, bound with the period
as literals and translated by sqlglot plus the shims of dialects.py; a CTE the SQL reads
more than once is computed first, once, and read back from Parquet (shim 5,
`shared_ctes_first`: Spark would otherwise recompute it at every reference); a prepare
step's result is cached as a view of its name; a measure's rows come back as Arrow into a
DuckDB temp table.
The engine then writes metric_values, decides "not computable" and runs the data tests
exactly as for a DuckDB run, in the warehouse's transaction.

Where Spark runs: `OPENASC_SPARK_MASTER` (default `local[*]`: every core of this machine);
a cluster URL (`spark://host:7077`, `yarn`, Databricks Connect) needs the Parquet folder on
storage the cluster reads: `OPENASC_SPARK_EXPORT_DIR` (default: a temporary folder, removed
after the run). Spark's own settings (memory, executors) come from `spark-defaults.conf` or
`PYSPARK_SUBMIT_ARGS` as usual.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from openasc import warehouse
from openasc.errors import OpenascError
from openasc.metrics.dialects import bind, shared_ctes_first, translate
from openasc.metrics.parquet_export import export_tables

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

MASTER_ENV = "OPENASC_SPARK_MASTER"
EXPORT_DIR_ENV = "OPENASC_SPARK_EXPORT_DIR"
# Set (to anything) to print each prepare step's and measure's seconds on stderr.
TIMING_ENV = "OPENASC_SPARK_TIMING"
DEFAULT_MASTER = "local[*]"
LOG_CONFIG = Path(__file__).with_name("spark-log4j2.properties")

# Spark settings that make Spark SQL mean what DuckDB's does (each one's reason beside it).
SESSION_CONFIG = {
    # Dates and timestamps are read and compared as written, never shifted to a local zone.
    "spark.sql.session.timeZone": "UTC",
    # DuckDB gives NULL for a division by zero; Spark's ANSI mode would fail the query.
    # Measures guard their divisions, but the value of a row must not depend on the engine.
    "spark.sql.ansi.enabled": "false",
    # The catalogue's tables are small beside Spark's default of 200 shuffle partitions; a
    # cluster sets its own.
    "spark.sql.shuffle.partitions": "8",
    # Local mode runs everything in the driver; the SALT files' plans alone (many CTEs, each
    # inlined where it is read) need more than Spark's default heap of 1 GB.
    "spark.driver.memory": "4g",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    # Errors only on stderr (a log4j2 file shipped beside this module): Spark's start-up
    # warnings (loopback address, native Hadoop, its default log profile) would bury
    # openasc's own messages.
    "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={LOG_CONFIG.as_uri()}",
}

# A cluster (or Databricks) sets these itself.
LOCAL_ONLY = {"spark.sql.shuffle.partitions", "spark.driver.memory",
              "spark.driver.extraJavaOptions"}

_SESSION: dict[str, Any] = {}


def spark_session(master: str | None = None) -> SparkSession:
    """One SparkSession per process (starting Spark takes seconds; every run reuses it)."""
    master = master or os.environ.get(MASTER_ENV) or DEFAULT_MASTER
    if _SESSION.get("master") == master:
        return _SESSION["session"]
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise OpenascError("--engine spark needs pyspark and Java 17: pip install "
                           "'openasc[spark]' and a Java 17 runtime (Debian: "
                           "openjdk-17-jre-headless); docs/scale-out.md.") from exc
    builder = SparkSession.builder.master(master).appName("openasc")
    for key, value in SESSION_CONFIG.items():
        if key not in LOCAL_ONLY or master.startswith("local"):
            builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # Spark reports a missing Java or a bad master many ways
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise OpenascError(f"Spark did not start (master {master}): {first}. It needs a Java "
                           "17 runtime on PATH or JAVA_HOME (docs/scale-out.md).") from exc
    session.sparkContext.setLogLevel("ERROR")
    _SESSION.update(master=master, session=session)
    return session


def _timed(what: str, started: float) -> None:
    if os.environ.get(TIMING_ENV):
        print(f"[spark] {time.perf_counter() - started:8.2f} s  {what}", file=sys.stderr,
              flush=True)


def spark_sql(sql: str, params: dict[str, object]) -> str:
    """Catalogue SQL as Spark runs it: parameters as literals, translated with the shims; a
    construct that does not translate is an error, never a silently different query."""
    values = {k: v for k, v in params.items() if v is not None}
    translation = translate(bind(sql.strip().rstrip(";"), values), "spark",  # type: ignore[arg-type]
                            pretty=False)
    if translation.problems:
        raise OpenascError("sqlglot could not translate it to Spark SQL: "
                           + "; ".join(translation.problems))
    return translation.text


class SparkRunner:
    """Runs catalogue SQL on Spark over the warehouse exported as Parquet (engine.SqlRunner)."""

    name = "spark"

    def __init__(self, master: str | None = None, export_dir: Path | None = None) -> None:
        self.master = master
        given = export_dir or os.environ.get(EXPORT_DIR_ENV)
        self.export_dir = Path(given) if given else None
        self._own_dir: Path | None = None
        self._folder = Path(".")
        self._prepared = 0
        self._staged: list[tuple[str, Path]] = []

    def start(self, con: duckdb.DuckDBPyConnection) -> None:
        spark = spark_session(self.master)
        for table in spark.catalog.listTables():  # nothing of an earlier run is read
            if table.isTemporary:
                spark.catalog.dropTempView(table.name)
        folder = self.export_dir
        if folder is None:
            folder = self._own_dir = Path(tempfile.mkdtemp(prefix="openasc-spark-"))
        self._folder = folder
        started = time.perf_counter()
        for table in export_tables(con, folder, temporary=True):
            spark.read.parquet(str(folder / table.file)).createOrReplaceTempView(table.table)
        _timed("export to Parquet", started)

    def _frame(self, sql: str, params: dict[str, object], what: str) -> DataFrame:
        """The query as a DataFrame, after materialising the CTEs it reads more than once
        (dialects.shared_ctes_first): each is computed once, written to Parquet beside the
        export and read back as a view the query reads (a plain scan: neither its plan nor a
        cache of it is carried into the query's). `_release` lets them go once the caller
        has the query's rows."""
        spark = spark_session(self.master)
        try:
            staged = shared_ctes_first(spark_sql(sql, params), "spark")
            for view, select in staged.steps:
                started = time.perf_counter()
                self._staged.append(self._materialised(spark, view, select))
                _timed(f"  {view}", started)
            return spark.sql(staged.query)
        except OpenascError as exc:
            self._release()
            raise OpenascError(f"{what} cannot run on Spark: {exc} Nothing was written; the "
                               "warehouse is unchanged.") from exc
        except Exception as exc:  # pyspark's AnalysisException and friends
            self._release()
            raise _failed(what, exc) from exc

    def _materialised(self, spark: SparkSession, view: str, select: str) -> tuple[str, Path]:
        from pyspark.sql.types import NullType

        self._prepared += 1
        path = self._folder / f"_staged_{self._prepared}{view}"
        frame = spark.sql(select)
        if any(isinstance(f.dataType, NullType) for f in frame.schema.fields):
            # Parquet has no type for an untyped NULL column: kept in Spark's own storage
            frame.localCheckpoint(eager=True).createOrReplaceTempView(view)
        else:
            frame.write.mode("overwrite").parquet(str(path))
            spark.read.parquet(str(path)).createOrReplaceTempView(view)
        return view, path

    def _release(self) -> None:
        spark = spark_session(self.master)
        for view, path in self._staged:
            spark.catalog.dropTempView(view)
            shutil.rmtree(path, ignore_errors=True)
        self._staged.clear()

    def shared_table(self, con: duckdb.DuckDBPyConnection, table: str, sql: str,
                     params: dict[str, object], what: str, by_council: bool = False) -> None:
        """Written to Parquet beside the export and read back as a view of its name: the
        measures that read it start from its rows, not from its (long) plan again.
        (`by_council` is not needed here: Spark splits and spills its own work.)"""
        spark = spark_session(self.master)
        started = time.perf_counter()
        self._prepared += 1
        path = str(self._folder / f"_prepared_{self._prepared}_{table}")
        try:
            self._frame(sql, params, what).write.mode("overwrite").parquet(path)
        except OpenascError:
            raise
        except Exception as exc:
            raise _failed(what, exc) from exc
        finally:
            self._release()
        spark.read.parquet(path).createOrReplaceTempView(table)
        _timed(what, started)

    def drop_shared(self, con: duckdb.DuckDBPyConnection, table: str) -> None:
        spark_session(self.master).catalog.dropTempView(table)

    def rows_table(self, con: duckdb.DuckDBPyConnection, table: str, sql: str,
                   params: dict[str, object], what: str) -> None:
        started = time.perf_counter()
        try:
            rows = self._frame(sql, params, what).toArrow()
        except OpenascError:
            raise
        except Exception as exc:  # the query fails when it runs, not when it is planned
            raise _failed(what, exc) from exc
        finally:
            self._release()
        with warehouse.registered(con, "_spark_rows", rows):
            con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM _spark_rows")
        _timed(what, started)

    def close(self) -> None:
        if self._staged:
            self._release()
        if self._own_dir is not None:
            shutil.rmtree(self._own_dir, ignore_errors=True)
            self._own_dir = None


def _failed(what: str, exc: Exception) -> OpenascError:
    java = getattr(exc, "java_exception", None)  # py4j: the JVM's message, not the call's
    text = str(java.toString() if java is not None else exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    return OpenascError(f"{what} failed on Spark: {first}. Nothing was written; the warehouse "
                        "is unchanged.")
