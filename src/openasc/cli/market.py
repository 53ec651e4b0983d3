"""Commands for the market position statement: load projections, the CQC care directory,
prevalence rates and the council's housing and fee files; make synthetic inputs; write
the statement. `openasc.cli` mounts each under its group (`ingest projections`, `synth
care-directory`, `report market-position`, ...). No logic here: each calls one function."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from openasc.cli.common import LaOpt, settings

console = Console(highlight=False, soft_wrap=True)


def _show(result: object) -> None:
    from openasc.ingest.pipeline import render_lines

    for line in render_lines(result):  # type: ignore[arg-type]
        console.print(line, markup=False)


def ingest_projections(
    file: Annotated[Path, typer.Argument(
        help="ONS SNPP zip or CSV (2018- or 2022-based), or the tidy projections CSV.")],
    variant: Annotated[str | None, typer.Option(
        help="The 2022-based release's variant: 'five-year migration' or 'migration "
             "category' (required for it; printed with every figure).")] = None,
    lookup: Annotated[Path | None, typer.Option(
        help="ONS district-to-county lookup (LTLA22CD,UTLA22CD or LAD23CD,CTYUA23CD) for "
             "the projection's boundary year; kept for later files.")] = None,
) -> None:
    """Load population projections, summing districts to councils."""
    from openasc.ingest.projections import ingest_projections_file

    _show(ingest_projections_file(file, settings(), variant=variant, lookup=lookup))


def ingest_care_directory(
    file: Annotated[Path, typer.Argument(
        help="CQC 'Care directory with filters' (HSCA_Active_Locations .ods or .xlsx).")],
    as_at: Annotated[str | None, typer.Option(
        help="Snapshot date YYYY-MM-DD when the README sheet has no 'as at' line.")] = None,
    aliases: Annotated[Path | None, typer.Option(
        help="Extra CQC local authority names: CSV cqc_name,council_ons_code.")] = None,
) -> None:
    """Load the CQC care directory (the whole snapshot replaces the previous one)."""
    from openasc.ingest.care_directory import ingest_care_directory_file

    _show(ingest_care_directory_file(file, settings(), as_at=as_at, aliases=aliases))


def ingest_cqc_deactivated(
    file: Annotated[Path, typer.Argument(
        help="CQC deactivated locations (Deactivated_Locations .ods or .xlsx).")],
    as_at: Annotated[str | None, typer.Option(
        help="Snapshot date YYYY-MM-DD when neither the README nor the name dates it.")] = None,
    aliases: Annotated[Path | None, typer.Option(
        help="Extra CQC local authority names: CSV cqc_name,council_ons_code.")] = None,
) -> None:
    """Load CQC's deactivated locations (care home closures; replaces the previous file)."""
    from openasc.ingest.cqc_deactivated import ingest_deactivated_file

    _show(ingest_deactivated_file(file, settings(), as_at=as_at, aliases=aliases))


def ingest_prevalence_rates(
    file: Annotated[Path, typer.Argument(
        help="prevalence_rates.csv: condition_code, condition_label, age_from, age_to, sex, "
             "rate, unit, source, source_year, notes.")],
) -> None:
    """Load prevalence rates for need projections (every rate must cite its source)."""
    from openasc.ingest.pipeline import ingest_file

    _show(ingest_file("prevalence_rates", file, settings()))


def ingest_housing_benchmarks(
    file: Annotated[Path, typer.Argument(
        help="housing_benchmarks.csv: type_code, tenure, per_1000_75plus, source.")],
    la: LaOpt = None,
) -> None:
    """Load the council's specialist housing planning ratios (per 1,000 aged 75+)."""
    from openasc.ingest.council_files import ingest_council_file

    _show(ingest_council_file("housing_benchmarks", file, settings(), la))


def ingest_housing_supply(
    file: Annotated[Path, typer.Argument(
        help="housing_supply.csv: type_code, tenure, units, as_at, source.")],
    la: LaOpt = None,
) -> None:
    """Load the council's specialist housing supply (units by type and tenure on a date)."""
    from openasc.ingest.council_files import ingest_council_file

    _show(ingest_council_file("housing_supply", file, settings(), la))


def ingest_fees(
    file: Annotated[Path, typer.Argument(
        help="fees.csv: service_type, rate, unit (per_week or per_hour), effective_from, "
             "source.")],
    la: LaOpt = None,
) -> None:
    """Load the fee rates the council pays providers (by service and date)."""
    from openasc.ingest.council_files import ingest_council_file

    _show(ingest_council_file("fees", file, settings(), la))


def synth_housing(
    out: Annotated[Path, typer.Option(help="Folder to write the two CSV files in.")],
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
) -> None:
    """Write synthetic housing_benchmarks.csv and housing_supply.csv (made-up ratios)."""
    from openasc.synth.housing import write_housing

    for path in write_housing(out, seed=seed):
        console.print(f"Wrote {path}")


def synth_fees(
    out: Annotated[Path, typer.Option(help="Folder to write fees.csv in.")],
    first_year: Annotated[int, typer.Option(help="First April the rates take effect.")] = 2023,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
) -> None:
    """Write a synthetic fees.csv (three years of made-up rates)."""
    from openasc.synth.fees import write_fees

    console.print(f"Wrote {write_fees(out, first_year, seed)}")


def synth_projections(
    out: Annotated[Path, typer.Option(help="Zip to write (lookup.csv is written beside it).")],
    base: Annotated[int, typer.Option(help="Base year: 2022 or 2018 layout.")] = 2022,
    la_code: Annotated[list[str] | None, typer.Option(
        help="Only these councils (repeat); default every English council.")] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
) -> None:
    """Write synthetic SNPP projections in the ONS layout, and their lookup."""
    from openasc.synth.projections import write_projections

    path, lookup, rows = write_projections(out, base=base, only=la_code or None, seed=seed)
    console.print(f"Wrote {path} ({rows:,} rows in each of 3 files) and {lookup}")


def synth_care_directory(
    out: Annotated[Path, typer.Option(help="File to write: .ods or .xlsx.")],
    la_code: Annotated[list[str] | None, typer.Option(
        help="Only these councils (repeat); default every English council.")] = None,
    as_at: Annotated[str, typer.Option(help="Snapshot date, YYYY-MM-DD.")] = "2025-03-01",
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
) -> None:
    """Write a synthetic CQC care directory with filters (README sheet, data sheet)."""
    from openasc.synth.care_directory import write_care_directory

    rows = write_care_directory(out, only=la_code or None, as_at=as_at, seed=seed)
    console.print(f"Wrote {rows:,} locations to {out}")


def synth_cqc_deactivated(
    out: Annotated[Path, typer.Option(help="File to write: .ods or .xlsx.")],
    la_code: Annotated[list[str] | None, typer.Option(
        help="Only these councils (repeat); default every English council.")] = None,
    as_at: Annotated[str, typer.Option(help="Snapshot date, YYYY-MM-DD.")] = "2025-03-01",
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
) -> None:
    """Write a synthetic CQC deactivated locations file (README sheet, data sheet)."""
    from openasc.synth.care_directory import write_deactivated

    rows = write_deactivated(out, only=la_code or None, as_at=as_at, seed=seed)
    console.print(f"Wrote {rows:,} deactivated locations to {out}")


def report_market_position(
    year: Annotated[str, typer.Option(help="Financial year, YYYY-YY (base year = its start).")],
    out: Annotated[Path, typer.Option(help="Folder to write market-position.html and .pdf.")],
    content: Annotated[Path | None, typer.Option(
        help="Content folder: commissioning intentions, messages to providers, pipeline.csv "
             "(`openasc report init-mps-content DIR`).")] = None,
    la: LaOpt = None,
) -> None:
    """Write the market position statement as accessible HTML and PDF."""
    from openasc.reports.market_position import market_position_command

    for line in market_position_command(year, out, content, la, settings()).lines():
        console.print(line, markup=False)


def report_init_mps_content(
    folder: Annotated[Path, typer.Argument(help="Folder to create.")],
) -> None:
    """Write an example content folder for the market position statement."""
    from openasc.reports.market_position import init_mps_content

    for path in init_mps_content(folder):
        console.print(f"Wrote {path}")
