"""The `openasc` command line: a thin layer that parses options and calls the library.

No logic lives here. Each command resolves settings, calls one function, and prints what it
returns. User errors (`OpenascError`) become a one-paragraph message and exit code 1 (2 when
an input cannot be read); anything else is a bug, shown in full only with `--debug`.
"""

from __future__ import annotations

import errno
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from openasc.cli.common import (
    AddCouncilOpt,
    CouncilOpt,
    DateOrderOpt,
    LaOpt,
    MaxQuarantinedOpt,
    WarehouseOpt,
    _date,
    checks,
    console,
    err,
    settings,
    state,
)
from openasc.config import Settings
from openasc.errors import OpenascError

app = typer.Typer(
    name="openasc",
    help=(
        "English adult social care performance from your own records.\n\n"
        "Typical use: `openasc validate cld extract.csv --report dq/` to check a CLD file, "
        "`openasc ingest cld extract.csv` to load it, `openasc compute --from 2024-04-01 "
        "--to 2025-03-31` for the measures, `openasc export metrics --format csv --out "
        "measures.csv`, and `openasc report local-account --year 2024-25 --out report/`. "
        "`openasc demo` runs all of it on a synthetic council."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
synth_app = typer.Typer(help="Make synthetic input files (no real person in them).",
                        no_args_is_help=True)
validate_app = typer.Typer(help="Check a file and write a data-quality report; load nothing.",
                           no_args_is_help=True)
ingest_app = typer.Typer(help="Load a file into the warehouse (pseudonymised at the door).",
                         no_args_is_help=True)
export_app = typer.Typer(help="Write measures out as CSV, XLSX or JSON.", no_args_is_help=True)
metrics_app = typer.Typer(help="Read the metric catalogue: definitions and methods.",
                          no_args_is_help=True)
report_app = typer.Typer(help="Write the documents councils publish.", no_args_is_help=True)
users_app = typer.Typer(help="Manage dashboard users.", no_args_is_help=True)
key_app = typer.Typer(help="The pseudonymisation key the warehouse was made with.",
                      no_args_is_help=True)
for sub, name in [(synth_app, "synth"), (validate_app, "validate"), (ingest_app, "ingest"),
                  (export_app, "export"), (metrics_app, "metrics"), (report_app, "report"),
                  (users_app, "users"), (key_app, "key")]:
    app.add_typer(sub, name=name)


def _mount_comparisons() -> None:
    """The "how we compare" commands live with their module; mounted here under their groups."""
    from openasc.cli import compare as bench_cli

    ingest_app.command("comparators")(bench_cli.ingest_comparators)
    synth_app.command("comparators")(bench_cli.synth_comparators)
    report_app.command("improvement-profiles")(bench_cli.improvement_profiles)
    app.command("compare")(bench_cli.compare)


_mount_comparisons()


def _mount_surveys() -> None:
    """The survey returns' commands (cli/surveys.py)."""
    from openasc.cli import surveys

    ingest_app.command("survey")(surveys.ingest_survey)
    ingest_app.command("carers-survey")(surveys.ingest_carers_survey)
    synth_app.command("survey")(surveys.synth_survey)
    synth_app.command("carers-survey")(surveys.synth_carers_survey)


_mount_surveys()


def _mount_money() -> None:
    """Money, workforce and complaints: inputs and synthetic data (cli/money.py)."""
    from openasc.cli import money

    for kind in ("finance", "budget", "workforce", "complaints", "ombudsman", "deflator"):
        ingest_app.command(kind)(getattr(money, f"ingest_{kind}"))
    for kind in ("finance", "workforce", "complaints"):
        synth_app.command(kind)(getattr(money, f"synth_{kind}"))


_mount_money()


def _mount_check() -> None:
    """`openasc check DRAFT`: publication assurance, in its own module."""
    from openasc.cli import check as check_cli

    app.command("check")(check_cli.check)


_mount_check()


def _mount_market() -> None:
    """The market position statement's commands (cli/market.py), under their groups."""
    from openasc.cli import market

    ingest_app.command("projections")(market.ingest_projections)
    ingest_app.command("care-directory")(market.ingest_care_directory)
    ingest_app.command("prevalence-rates")(market.ingest_prevalence_rates)
    ingest_app.command("housing-benchmarks")(market.ingest_housing_benchmarks)
    ingest_app.command("housing-supply")(market.ingest_housing_supply)
    ingest_app.command("fees")(market.ingest_fees)
    ingest_app.command("cqc-deactivated")(market.ingest_cqc_deactivated)
    synth_app.command("housing")(market.synth_housing)
    synth_app.command("fees")(market.synth_fees)
    synth_app.command("cqc-deactivated")(market.synth_cqc_deactivated)
    synth_app.command("projections")(market.synth_projections)
    synth_app.command("care-directory")(market.synth_care_directory)
    report_app.command("market-position")(market.report_market_position)
    report_app.command("init-mps-content")(market.report_init_mps_content)


_mount_market()


def _mount_scale_out() -> None:
    """`openasc export warehouse`: the warehouse as Parquet for Spark (cli/scale_out.py)."""
    from openasc.cli import scale_out

    export_app.command("warehouse")(scale_out.export_warehouse)


_mount_scale_out()


def _version(asked: bool) -> None:
    if asked:
        from openasc import __version__

        console.print(f"openasc {__version__}", markup=False, highlight=False)
        raise typer.Exit()


@app.callback()
def _root(
    warehouse: WarehouseOpt = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks.")] = False,
    version: Annotated[bool, typer.Option(
        "--version", help="Print the version and exit.", callback=_version,
        is_eager=True)] = False,
) -> None:
    state.warehouse = warehouse
    state.debug = debug
    # The warehouse, the users database and every output hold council data: owner-only.
    os.umask(0o077)


# --------------------------------------------------------------------------- demo
@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Folder for the demo's files.")] = Path("openasc-demo"),
    people: Annotated[int, typer.Option(help="People in the synthetic council.")] = 5000,
    no_pdf: Annotated[bool, typer.Option(
        "--no-pdf", help="Write the documents as HTML only (no PDF extra needed).")] = False,
) -> None:
    """Run everything on a synthetic council: synthesise, validate, ingest, compute, report.

    Without the pdf extra it writes all but the PDFs and exits 1; --no-pdf skips them.
    """
    from openasc.demo import run_demo

    run_demo(out=out, people=people, console=console, warehouse=state.warehouse, pdf=not no_pdf)


# --------------------------------------------------------------------------- synth
@synth_app.command("cld")
def synth_cld(
    out: Annotated[Path, typer.Option(help="CSV file to write.")],
    people: Annotated[int, typer.Option(help="Number of people in the council.")] = 2000,
    la_code: Annotated[str, typer.Option(help="ONS or NHS council code.")] = "416",
    year: Annotated[str, typer.Option(
        help="Financial year the file ends in, YYYY-YY.")] = "2024-25",
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same file.")] = 1,
    release: Annotated[int, typer.Option(help="CLD release to write: 1 or 2.")] = 2,
    defect_rate: Annotated[float, typer.Option(help="Share of rows with realistic defects.")] = 0.0,
    submissions: Annotated[int, typer.Option(
        help="Quarterly rolling submissions to write (FILE becomes FILE stem _q1, _q2...).")] = 1,
) -> None:
    """Write a synthetic CLD extract for a council of N people."""
    from openasc.synth.cld import write_cld

    written = write_cld(out=out, people=people, la_code=la_code, year=year, seed=seed,
                        release=release, defect_rate=defect_rate, submissions=submissions)
    for path, rows in written:
        console.print(f"Wrote {rows:,} rows to {path}")


@synth_app.command("safeguarding")
def synth_safeguarding(
    out: Annotated[Path, typer.Option(help="CSV file to write.")],
    concerns: Annotated[int, typer.Option(help="Number of concerns.")] = 1000,
    la_code: Annotated[str, typer.Option(help="ONS or NHS council code.")] = "416",
    year: Annotated[str, typer.Option(help="Financial year, YYYY-YY.")] = "2024-25",
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
    defect_rate: Annotated[float, typer.Option(help="Share of rows with defects.")] = 0.0,
    people_from: Annotated[Path | None, typer.Option(
        help="A synthetic CLD file whose people the concerns are about.")] = None,
) -> None:
    """Write a synthetic safeguarding case list (one row per concern)."""
    from openasc.synth.safeguarding import write_safeguarding

    rows = write_safeguarding(out=out, concerns=concerns, la_code=la_code, year=year, seed=seed,
                              defect_rate=defect_rate, people_from=people_from)
    console.print(f"Wrote {rows:,} rows to {out}")


@synth_app.command("dols")
def synth_dols(
    out: Annotated[Path, typer.Option(help="CSV file to write.")],
    applications: Annotated[int, typer.Option(help="Number of applications.")] = 500,
    la_code: Annotated[str, typer.Option(help="ONS or NHS council code.")] = "416",
    year: Annotated[str, typer.Option(help="Financial year, YYYY-YY.")] = "2024-25",
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
    defect_rate: Annotated[float, typer.Option(help="Share of rows with defects.")] = 0.0,
    people_from: Annotated[Path | None, typer.Option(
        help="A synthetic CLD file whose people the applications are about.")] = None,
) -> None:
    """Write a synthetic DoLS application list (one row per application)."""
    from openasc.synth.dols import write_dols

    rows = write_dols(out=out, applications=applications, la_code=la_code, year=year, seed=seed,
                      defect_rate=defect_rate, people_from=people_from)
    console.print(f"Wrote {rows:,} rows to {out}")


# --------------------------------------------------------------------------- validate
def _show_validation(results: list) -> None:
    from openasc.ingest.pipeline import render_validate_lines

    for line in render_validate_lines(results):
        console.print(line, markup=False)


@validate_app.command("cld")
def validate_cld(
    files: Annotated[list[Path], typer.Argument(help="CLD files (CSV or XLSX).")],
    report: Annotated[Path | None, typer.Option(
        help="Folder for the HTML and CSV data-quality report.")] = None,
    date_order: DateOrderOpt = None,
) -> None:
    """Check CLD files field by field with the national method; write a data-quality report.

    Exit 0 when every file was read and checked, even if some rows are invalid; 1 when a file
    was read but is not one that can be checked (a missing column, no known council code,
    dates in an order that cannot be told); 2 when a file cannot be read at all.
    """
    from openasc.ingest.cld import validate_files

    _show_validation(validate_files(files, report_dir=report, settings=settings(),
                                    date_order=date_order))


@validate_app.command("safeguarding")
def validate_safeguarding(
    files: Annotated[list[Path], typer.Argument(help="Safeguarding case lists.")],
    report: Annotated[Path | None, typer.Option(help="Folder for the report.")] = None,
    labels: Annotated[Path | None, typer.Option(
        "--labels", help="Local label -> national value mapping (YAML or CSV); "
                         "default labels_file in openasc.toml.")] = None,
    date_order: DateOrderOpt = None,
) -> None:
    """Check a safeguarding case list; write a data-quality report.

    Exit 0 when every file was read and checked; 1 when a file is not one that can be
    checked; 2 when a file cannot be read at all."""
    from openasc.ingest.cases import validate_case_files

    _show_validation(validate_case_files("safeguarding", files, report_dir=report,
                                         settings=with_labels(labels), date_order=date_order))


@validate_app.command("dols")
def validate_dols(
    files: Annotated[list[Path], typer.Argument(help="DoLS application lists.")],
    report: Annotated[Path | None, typer.Option(help="Folder for the report.")] = None,
    labels: Annotated[Path | None, typer.Option(
        "--labels", help="Local label -> national value mapping (YAML or CSV); "
                         "default labels_file in openasc.toml.")] = None,
    date_order: DateOrderOpt = None,
) -> None:
    """Check a DoLS application list; write a data-quality report.

    Exit 0 when every file was read and checked; 1 when a file is not one that can be
    checked; 2 when a file cannot be read at all."""
    from openasc.ingest.cases import validate_case_files

    _show_validation(validate_case_files("dols", files, report_dir=report,
                                         settings=with_labels(labels), date_order=date_order))


def with_labels(labels: Path | None) -> Settings:
    """The settings, with --labels (when given) in place of openasc.toml's labels_file."""
    s = settings()
    return replace(s, labels_file=labels) if labels is not None else s


# --------------------------------------------------------------------------- ingest
def _show(result: object) -> None:
    """Print an ingest's result (ingest/pipeline.py words it; the library prints nothing)."""
    from openasc.ingest.pipeline import render_lines

    for line in render_lines(result):  # type: ignore[arg-type]
        console.print(line, markup=False)


@ingest_app.command("cld")
def ingest_cld(
    files: Annotated[list[Path], typer.Argument(help="CLD files (CSV or XLSX).")],
    submitted_on: Annotated[str | None, typer.Option(
        help="Date the file was submitted (YYYY-MM-DD); default today.")] = None,
    date_order: DateOrderOpt = None,
    la_code: CouncilOpt = None,
    add_council: AddCouncilOpt = False,
    max_quarantined: MaxQuarantinedOpt = None,
) -> None:
    """Load CLD files: validate, pseudonymise, quarantine bad rows, de-duplicate (DHSC method).

    Exit 0 when loaded; 1 when a file is refused (another council, dates in an order that
    cannot be told, too many rows quarantined) and nothing is loaded; 2 when a file cannot
    be read at all."""
    from rich.progress import Progress

    from openasc.ingest.cld import ingest_files

    # A bar on stderr for several files (read and checked two at a time, then loaded in one
    # transaction); it is gone when the command ends, and stdout has only the summary.
    with Progress(console=err, transient=True, disable=len(files) < 2) as bar:
        task = bar.add_task(f"Ingesting {len(files)} files", total=None)
        result = ingest_files(files, submitted_on=_date(submitted_on, "--submitted-on"),
                              settings=settings(),
                              progress=lambda done, total: bar.update(
                                  task, completed=done, total=total),
                              **checks(date_order, la_code, add_council, max_quarantined))
    _show(result)


@ingest_app.command("population")
def ingest_population(
    file: Annotated[Path, typer.Argument(
        help="ONS mid-year estimates, or la_code,year,sex,age,population.")],
) -> None:
    """Load population estimates (ONS mid-year estimate layout or the tidy layout)."""
    from openasc.ingest.population import ingest_population_file

    _show(ingest_population_file(file, settings=settings()))


@ingest_app.command("safeguarding")
def ingest_safeguarding(
    file: Annotated[Path, typer.Argument(help="Safeguarding case list (one row per concern).")],
    labels: Annotated[Path | None, typer.Option(
        "--labels", help="Local label -> national value mapping (YAML or CSV); "
                         "default labels_file in openasc.toml.")] = None,
    date_order: DateOrderOpt = None,
    la_code: CouncilOpt = None,
    add_council: AddCouncilOpt = False,
    max_quarantined: MaxQuarantinedOpt = None,
) -> None:
    """Load a safeguarding case list."""
    from openasc.ingest.cases import ingest_case_file

    _show(ingest_case_file("safeguarding", file, settings=with_labels(labels),
                           **checks(date_order, la_code, add_council, max_quarantined)))


@ingest_app.command("dols")
def ingest_dols(
    file: Annotated[Path, typer.Argument(help="DoLS application list (one row per application).")],
    labels: Annotated[Path | None, typer.Option(
        "--labels", help="Local label -> national value mapping (YAML or CSV); "
                         "default labels_file in openasc.toml.")] = None,
    date_order: DateOrderOpt = None,
    la_code: CouncilOpt = None,
    add_council: AddCouncilOpt = False,
    max_quarantined: MaxQuarantinedOpt = None,
) -> None:
    """Load a DoLS application list."""
    from openasc.ingest.cases import ingest_case_file

    _show(ingest_case_file("dols", file, settings=with_labels(labels),
                           **checks(date_order, la_code, add_council, max_quarantined)))


@ingest_app.command("discharges")
def ingest_discharges(
    file: Annotated[Path, typer.Argument(help="Hospital discharges file (docs/discharges.md).")],
    date_order: DateOrderOpt = None,
    max_quarantined: MaxQuarantinedOpt = None,
) -> None:
    """Load hospital discharges for ASCOF 2D."""
    from openasc.ingest.discharges import ingest_discharges_file

    _show(ingest_discharges_file(file, settings=settings(), date_order=date_order,
                                 max_quarantined=max_quarantined))


# --------------------------------------------------------------------------- compute
@app.command()
def compute(
    from_: Annotated[str, typer.Option("--from", help="First day of the period, YYYY-MM-DD.")],
    to: Annotated[str, typer.Option("--to", help="Last day of the period, YYYY-MM-DD.")],
    la: Annotated[str | None, typer.Option(
        "--la", "--la-code",
        help="ONS or NHS council code (default: every council loaded).")] = None,
    select: Annotated[list[str] | None, typer.Option(
        "--select", help="Only these measures: a family (SALT), a code (2A) or FAMILY/CODE; "
        "repeat the option or separate with commas. Runs just the prepare steps they "
        "need and replaces only their rows.")] = None,
    all_councils: Annotated[bool, typer.Option(
        "--all-councils", help="Every council (and area) with data in the warehouse, in one "
        "set-based pass: each measure's SQL runs once, grouped by council. This is also what "
        "happens without --la; the flag says so explicitly and cannot be combined with "
        "--la.")] = False,
    engine: Annotated[str, typer.Option(
        "--engine", help="duckdb (default: in the warehouse) or spark (Spark SQL over the "
        "warehouse exported as Parquet; local[*] unless OPENASC_SPARK_MASTER names a cluster; "
        "needs the \\[spark] extra and Java 17). The same rows either way.")] = "duckdb",
) -> None:
    """Compute the catalogue's measures (or those --select names) for a period, write
    metric_values and run the measures' data tests. SALT tables follow `salt_method` in
    openasc.toml: nhse (default, NHS England's published code) or corrected.

    Example: openasc compute --from 2024-04-01 --to 2025-03-31 --all-councils"""
    from openasc.cli.metrics import compute_command

    if all_councils and la:
        raise OpenascError("Give --la for one council or --all-councils for every council, "
                           "not both.")
    start, end = _date(from_, "--from"), _date(to, "--to")
    assert start is not None and end is not None
    compute_command(start, end, la, select, settings(), console, engine=engine)


# --------------------------------------------------------------------------- export
@export_app.command("metrics")
def export_metrics(
    format: Annotated[str, typer.Option("--format", help="csv, xlsx or json.")],
    out: Annotated[Path, typer.Option(help="File to write.")],
    published: Annotated[bool, typer.Option(
        help="Apply the publication rounding and suppression rules.")] = False,
) -> None:
    """Export metric_values in the contract layout."""
    from openasc.publish.export import export_metrics_command

    export_metrics_command(format, out, published=published, settings=settings(),
                           console=console)


@export_app.command("salt")
def export_salt(
    out: Annotated[Path, typer.Option(help="XLSX file to write.")],
) -> None:
    """Export the SALT tables in the row/column layout of the national return."""
    from openasc.publish.salt_export import export_salt_command

    export_salt_command(out, settings=settings(), console=console)


# --------------------------------------------------------------------------- metrics
@metrics_app.command("list")
def metrics_list(
    family: Annotated[str | None, typer.Option(help="Only this family (e.g. ASCOF).")] = None,
) -> None:
    """List every measure in the catalogue."""
    from openasc.cli.metrics import list_command

    list_command(family, console=console, settings=settings())


@metrics_app.command("show")
def metrics_show(
    code: Annotated[str, typer.Argument(help="Measure code, e.g. 2A or STS001.")],
) -> None:
    """Show a measure's definition, method notes and reference."""
    from openasc.cli.metrics import show_command

    show_command(code, console=console, settings=settings())


@metrics_app.command("sql")
def metrics_sql(
    code: Annotated[str, typer.Argument(help="Measure code, e.g. 2A, or FAMILY/CODE.")],
    dialect: Annotated[str, typer.Option(
        help="duckdb (as the engine runs it), tsql, spark or postgres (via sqlglot).")
    ] = "duckdb",
    la: LaOpt = None,
    from_: Annotated[str | None, typer.Option(
        "--from", help="First day of the period, YYYY-MM-DD (default: $period_start).")] = None,
    to: Annotated[str | None, typer.Option(
        "--to", help="Last day of the period, YYYY-MM-DD (default: $period_end).")] = None,
) -> None:
    """Print a measure's SQL bound for a council and period: the prepare steps it needs,
    in order, then its own SQL (like dbt compile)."""
    from openasc.cli.metrics import sql_command

    sql_command(code, dialect, la, _date(from_, "--from"), _date(to, "--to"), settings(),
                console, err)


# --------------------------------------------------------------------------- report
@report_app.command("local-account")
def report_local_account(
    year: Annotated[str, typer.Option(help="Financial year, YYYY-YY.")],
    out: Annotated[Path, typer.Option(help="Folder to write local-account.html and .pdf.")],
    content: Annotated[Path | None, typer.Option(
        help="Content folder (Markdown with front matter) for the human-written sections.")] = None,
    la: LaOpt = None,
) -> None:
    """Write the Local Account as accessible HTML and PDF."""
    from openasc.reports.writing import document_command

    for line in document_command("local-account", year, out, content, la, settings()).lines():
        console.print(line, markup=False)


@report_app.command("self-assessment")
def report_self_assessment(
    year: Annotated[str, typer.Option(help="Financial year, YYYY-YY.")],
    out: Annotated[Path, typer.Option(help="Folder to write self-assessment.html and .pdf.")],
    content: Annotated[Path | None, typer.Option(help="Content folder.")] = None,
    la: LaOpt = None,
) -> None:
    """Write the CQC self-assessment pack as accessible HTML and PDF."""
    from openasc.reports.writing import document_command

    for line in document_command("self-assessment", year, out, content, la, settings()).lines():
        console.print(line, markup=False)


@report_app.command("init-content")
def report_init_content(
    folder: Annotated[Path, typer.Argument(help="Folder to create.")],
) -> None:
    """Write a commented example of every human-written section."""
    from openasc.reports.content import init_content_command

    init_content_command(folder, console=console)


# --------------------------------------------------------------------------- serve
def _importable(module: str) -> bool:
    import importlib

    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


# What each extra brings, as the modules its commands import (tests/unit/test_dependencies.py
# checks these against the extras in pyproject.toml).
EXTRA_MODULES = {
    "web": ("fastapi", "starlette", "uvicorn", "sqlalchemy", "argon2", "itsdangerous",
            "python_multipart", "pydantic"),
}


def _require_extra(extra: str, what: str) -> None:
    """A user error naming the extra to install when a module it brings is missing."""
    missing = [m for m in EXTRA_MODULES[extra] if not _importable(m)]
    if missing:
        raise OpenascError(f"{what} needs the {extra} extra: pip install 'openasc[{extra}]' "
                           f"(missing: {', '.join(missing)}).")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Run the dashboard (needs the web extra)."""
    _require_extra("web", "The dashboard")
    from openasc.web.app import serve_command

    serve_command(host, port, settings=settings(), console=console)


# --------------------------------------------------------------------------- key
@key_app.command("rekey")
def key_rekey(
    old_key: Annotated[Path | None, typer.Option(
        "--old-key", help="The key file the warehouse was made with (proves you hold it).")] = None,
    old_key_lost: Annotated[bool, typer.Option(
        "--old-key-lost", help="The old key is lost: accept the current key anyway.")] = False,
) -> None:
    """Make the warehouse accept the current key file (OPENASC_KEY_FILE or openasc.toml).

    People loaded after re-keying get new pseudonyms and are not linked to earlier loads."""
    from openasc.config import rekey

    console.print(rekey(settings(), old_key, old_key_lost))


# --------------------------------------------------------------------------- users
@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, . _ @ -).")],
    role: Annotated[str, typer.Option(help="viewer, analyst or admin.")] = "viewer",
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from one line of standard input.")] = False,
) -> None:
    """Add a dashboard user (the first should be an admin); prompts for the password."""
    _require_extra("web", "Dashboard users")
    from openasc.web.users import users_add_command

    users_add_command(name, role, password_stdin, settings=settings(), console=console)


def main() -> None:
    """Entry point: run the app, turning user errors into messages and exit codes."""
    debug = "--debug" in sys.argv
    try:
        # Outside standalone mode Click returns a command's `typer.Exit(code)` instead of
        # exiting with it: pass it on, or a refused ingest would exit 0.
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except OpenascError as exc:
        if debug:
            raise
        err.print(f"Error: {exc.message}", markup=False)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("Interrupted; the warehouse is unchanged.")
        sys.exit(130)
    except (typer.Exit, SystemExit) as exc:
        code = getattr(exc, "exit_code", None)
        code = code if code is not None else getattr(exc, "code", 0)
        sys.exit(code)
    except Exception as exc:  # noqa: BLE001 - last line of defence: no traceback for users
        import click

        # Typer raises its own copy of click's usage errors (a missing or bad option), which
        # are TyperExceptions but not click's ClickException: both are user errors.
        if isinstance(exc, click.exceptions.ClickException | typer.exceptions.TyperException):
            exc.show()
            sys.exit(exc.exit_code if exc.exit_code != 2 else 1)
        if isinstance(exc, click.exceptions.Abort | typer.Abort):
            err.print("Aborted.")
            sys.exit(1)
        if debug:
            raise
        full = isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)
        if full or "No space left on device" in str(exc):
            err.print("Error: the disk is full, so the command stopped; the warehouse is as it "
                      "was and no output was replaced. Free some space and run it again.")
            sys.exit(1)
        if type(exc).__name__ == "OutOfMemoryException":  # DuckDB's, at its memory_limit
            err.print("Error: the command needed more memory than it may use, so it stopped; "
                      "the warehouse is as it was. Raise the limit with memory_limit in "
                      "openasc.toml or OPENASC_MEMORY_LIMIT (e.g. \"16GB\"; the default is "
                      "half the machine's memory) and run it again.")
            sys.exit(1)
        if "could not set lock" in str(exc).lower():  # another process took the file
            err.print("Error: the warehouse is in use by another process (the dashboard or "
                      "another openasc command); nothing was changed. Try again in a moment.")
            sys.exit(1)
        err.print(
            f"Internal error: {type(exc).__name__}: {exc}. This is a bug in openasc; run the "
            "same command with --debug for details and report it.", markup=False,
        )
        sys.exit(3)


