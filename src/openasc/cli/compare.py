"""Commands for "how we compare": import comparator files, build `comparisons`, synthesise
comparator data, and write regional improvement profiles.

The functions are plain Typer commands so that `openasc.cli` can mount each under its own
group (`ingest comparators`, `synth comparators`, `report improvement-profiles`, `compare`);
`app` holds the same commands on their own, for tests and for use before they are mounted.
Settings (the warehouse) come from the main CLI's `--warehouse` option.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from openasc.cli.common import settings, state
from openasc.config import Settings

console = Console(highlight=False, soft_wrap=True)


def _settings() -> Settings:
    return settings()


def ingest_comparators(
    files: Annotated[list[Path], typer.Argument(help="Comparator CSV files (ASCOF data file, "
                                                     "safeguarding open data, or tidy layout).")],
    year: Annotated[str | None, typer.Option(
        help="Financial year a file covers, YYYY-YY, when it has no year column.")] = None,
) -> None:
    """Load national figures for every council (ASCOF, safeguarding, DoLS) to compare against.

    Exits 1 when a file loads no values (the message says how many rows and why)."""
    from openasc.compare.comparators import import_comparators
    from openasc.compare.comparisons import build_comparisons
    from openasc.ingest.pipeline import IngestResult, render_lines
    from openasc.warehouse import connect

    con = connect(_settings().warehouse)
    empty = []
    try:
        for f in files:
            r = import_comparators(con, f, year=year)
            for line in render_lines(IngestResult(files=[r])):
                console.print(line, markup=False)
            if not r.already_loaded and r.loaded == 0:
                empty.append(f.name)
        n = build_comparisons(con)
        console.print(f"Rebuilt comparisons: {n:,} rows.")
    finally:
        con.close()
    if empty:
        raise typer.Exit(1)


def compare(
    groups: Annotated[Path | None, typer.Option(
        help="Comparator groups file (docs/comparisons.md); default: a shipped stand-in.")
    ] = None,
) -> None:
    """Rebuild the comparisons table: ranks, quartiles, gaps and changes for every council."""
    from openasc.compare.comparisons import build_comparisons
    from openasc.warehouse import connect

    con = connect(_settings().warehouse)
    try:
        n = build_comparisons(con, groups_file=groups)
    finally:
        con.close()
    console.print(f"Built comparisons: {n:,} rows.")


def synth_comparators(
    out: Annotated[Path, typer.Option(help="CSV file to write (tidy comparator layout).")],
    years: Annotated[str, typer.Option(
        help="First and last financial year, e.g. 2020-21:2024-25.")] = "2020-21:2024-25",
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same file.")] = 1,
) -> None:
    """Write synthetic figures for every council of England, every measure, several years."""
    from openasc.compare.comparators import parse_year
    from openasc.errors import OpenascError
    from openasc.synth.comparators import synth_comparators as write

    first, _, last = years.partition(":")
    y0 = parse_year(first, "--years")
    y1 = parse_year(last, "--years") if last else y0
    if y1 < y0:
        raise OpenascError(f"--years {years!r}: the last year is before the first.")
    rows = write(out, list(range(y0, y1 + 1)), seed=seed)
    console.print(f"Wrote {rows:,} rows to {out}")


def improvement_profiles(
    region: Annotated[str, typer.Option(
        help="ADASS region as in councils.csv, e.g. \"North West\".")],
    year: Annotated[str, typer.Option(help="Financial year, YYYY-YY.")],
    out: Annotated[Path, typer.Option(help="Folder for the booklet (HTML and PDF).")],
    content: Annotated[Path | None, typer.Option(
        help="Folder of directors' narratives, one <ONS code>.md per council.")] = None,
    groups: Annotated[Path | None, typer.Option(help="Comparator groups file.")] = None,
    pdf: Annotated[bool, typer.Option(help="Also write the PDF.")] = True,
) -> None:
    """Write the region's improvement profiles: one per council, headline bullets, narrative."""
    from openasc.reports.profiles import improvement_profiles_command

    improvement_profiles_command(region, year, out, content, groups, settings=_settings(),
                                 console=console, pdf=pdf)


app = typer.Typer(help="How we compare: comparator data, comparisons, improvement profiles.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)


@app.callback()
def _root(warehouse: Annotated[Path | None, typer.Option("--warehouse")] = None) -> None:
    state.warehouse = warehouse


app.command("ingest-comparators")(ingest_comparators)
app.command("compare")(compare)
app.command("synth-comparators")(synth_comparators)
app.command("improvement-profiles")(improvement_profiles)
