"""Money, workforce and complaints inputs: the hooks their specifications name, and the one
function the `openasc ingest finance|budget|workforce|complaints|ombudsman|deflator`
commands call.

Everything else - validation, quarantine, accounting, "already loaded", the one transaction
- is the pipeline's (ingest/pipeline.py). The hooks do only what a specification cannot say
as data: stamp the council or year a file does not carry (a council's own budget and
complaints log; the Skills for Care download, which has no year column), match council
areas given by name, and write a wide published row (one column per measure) as one tidy
row per measure.
"""

from __future__ import annotations

import csv
import re
from importlib import resources
from pathlib import Path

from openasc import councils
from openasc.config import Settings
from openasc.errors import OpenascError
from openasc.ingest import pipeline
from openasc.ingest.pipeline import IngestResult, Stage
from openasc.ingest.reader import header_key

# The command's input -> (spec of the published layout, spec of the tidy layout, a header
# cell that only the published layout has).
LAYOUTS: dict[str, tuple[str, str | None, str | None]] = {
    "finance": ("ascfr", "ascfr_tidy", "ITEMVALUE"),
    "workforce": ("workforce", "workforce_tidy", "CSSR (LA area)"),
    "budget": ("budget", None, None),
    "complaints": ("complaints", None, None),
    "ombudsman": ("ombudsman", None, None),
    "deflator": ("deflator", None, None),
}


def _first_row(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            return next(csv.reader(fh), [])
    except OSError:
        return []  # the reader says why the file cannot be read


def spec_for(kind: str, path: Path) -> str:
    """The specification a file of this input is read with: the published layout when its
    header has the published file's own column (an .xlsx is always the published one)."""
    published, tidy, marker = LAYOUTS[kind]
    if tidy is None or marker is None or path.suffix.lower() in {".xlsx", ".xlsm"}:
        return published
    header = {header_key(h) for h in _first_row(path)}
    return published if header_key(marker) in header else tidy


def year_start(text: str, option: str = "--year") -> int:
    """2024 from '2024-25' or '2024/25' (a financial year)."""
    m = re.fullmatch(r"(\d{4})[-/](\d{2})", text.strip())
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise OpenascError(f"{option} {text!r} is not a financial year; expected e.g. 2024-25.")
    return int(m.group(1))


def ingest_money(kind: str, paths: list[Path], settings: Settings, la: str | None = None,
                 year: str | None = None) -> IngestResult:
    """Load files of one money, workforce or complaints input (each file by its layout)."""
    options: dict[str, object] = {}
    la = la or settings.council
    if la:
        options["la_code"] = councils.resolve(la, "--la").ons_code
    if year:
        options["year_start"] = year_start(year)
    out = IngestResult(warehouse=settings.warehouse)
    for path in paths:
        got = pipeline.ingest_file(spec_for(kind, Path(path)), Path(path), settings, **options)
        out.files += got.files
        out.run_id = got.run_id or out.run_id
    return out


# ----------------------------------------------------------------------------- hooks

_OPTION_WORDS = {"la_code": "--la (or `council` in openasc.toml)",
                 "year_start": "--year (the financial year the file covers, e.g. 2024-25)"}


def stamp(stage: Stage) -> None:
    """Map as usual, then set the columns the file does not carry from the command's options
    (`ingest.stamp`: column -> option)."""
    pipeline.map_rows(stage)
    for column, option in (stage.spec.raw["ingest"].get("stamp") or {}).items():
        value = stage.options.get(option)
        if value is None:
            raise OpenascError(f"{stage.path}: this file has no {column} column; give "
                               f"{_OPTION_WORDS.get(option, option)}. Nothing was loaded.")
        stage.con.execute(f"UPDATE mapped SET {column} = ?", [value])


def _aliases() -> list[tuple[str, str]]:
    text = resources.files("openasc.reference").joinpath("sfc_la_aliases.csv").read_text("utf-8")
    return [(r["name"], r["ons_code"]) for r in csv.DictReader(
        line for line in text.splitlines() if not line.startswith("#"))]


_NAME = "regexp_replace(replace(lower({c}), '&', 'and'), '[^a-z0-9]', '', 'g')"


def read_named_areas(stage: Stage) -> None:
    """Read as usual, then find each row's area by name in `_area`: a council, a region or
    England, ignoring case, punctuation and `&`/`and`, with Skills for Care's own spellings
    from reference/sfc_la_aliases.csv."""
    pipeline.read(stage)
    con, wh = stage.con, stage.wh
    con.execute("CREATE OR REPLACE TEMP TABLE _area_names (name VARCHAR, code VARCHAR)")
    con.executemany("INSERT INTO _area_names VALUES (?, ?)", _aliases())
    con.execute(f"""
        INSERT INTO _area_names
        SELECT name, ons_code FROM {wh}councils
        UNION SELECT region, region_code FROM {wh}councils WHERE region_code IS NOT NULL
        UNION SELECT 'England', '{pipeline.ENGLAND}'""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _area_keys AS
        SELECT {_NAME.format(c='name')} AS k, min(code) AS code FROM _area_names GROUP BY 1""")
    con.execute("ALTER TABLE stg ADD COLUMN _area VARCHAR")
    con.execute(f"UPDATE stg SET _area = (SELECT a.code FROM _area_keys a "
                f"WHERE a.k = {_NAME.format(c='stg.cssr')})")


def load_wide_workforce(stage: Stage) -> int:
    """One `workforce` row per published measure column of each usable row (its value and
    status; a column the file lacks is not written); returns the file rows loaded."""
    con, spec = stage.con, stage.spec
    present = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'stg'"
    ).fetchall()}
    measures = {m: c for m, c in spec.raw["ingest"]["measures"].items() if c in present}
    if not measures:
        raise OpenascError(f"{stage.path}: none of the measure columns (Turnover rate, Vacancy "
                           "rate, ...) is in the file; nothing was loaded.")
    assert stage.result is not None
    long = " UNION ALL ".join(
        f"SELECT la_code, year_start, sector, service, job_role, '{m}' AS metric, {c} AS value, "
        f"s_{c} AS status, _row FROM mapped" for m, c in measures.items())
    con.execute(f"CREATE OR REPLACE TEMP TABLE mapped_long AS {long}")
    table = f"{stage.wh}{spec.table}"
    keys = ", ".join(spec.key)
    stage.result.replaced = con.execute(
        f"SELECT count(*) FROM {table} WHERE ({keys}) IN (SELECT ({keys}) FROM mapped_long)"
    ).fetchone()[0]
    con.execute(f"DELETE FROM {table} WHERE ({keys}) IN (SELECT ({keys}) FROM mapped_long)")
    con.execute(
        f"INSERT INTO {table} BY NAME SELECT * EXCLUDE (_row), "
        f"'{spec.title}' AS source, ? AS file_sha256, ? AS source_name, _row AS row_number, "
        "? AS run_id FROM mapped_long",
        [stage.result.sha256, stage.result.name, stage.run_id])
    return int(con.execute("SELECT count(*) FROM mapped").fetchone()[0])
