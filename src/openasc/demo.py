"""`openasc demo`: a synthetic council taken all the way from raw extracts to its Local Account.

It runs the same library functions the commands run, in the order an analyst would: make
the extracts, check one, load them all, compute the measures, compare, export and write the
documents. Nothing in it is real: every person is synthetic.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from rich.console import Console

from openasc.config import load_settings
from openasc.errors import OpenascError

COUNCIL = "416"  # Worcestershire's NHS council code; outputs carry its ONS code E10000034
YEAR = "2024-25"
PERIOD = (date(2024, 4, 1), date(2025, 3, 31))
QUARTERS = 4


def run_demo(out: Path, people: int, console: Console, warehouse: Path | None = None,
             pdf: bool = True) -> None:
    """Run every step; with `pdf`, the PDFs last, so that a missing PDF renderer (the `pdf`
    extra) costs only them: it is said in one sentence (exit 1) after everything else is
    written."""
    from openasc.ingest.cases import ingest_case_file
    from openasc.ingest.cld import ingest_files, validate_files
    from openasc.ingest.pipeline import render_lines, render_validate_lines
    from openasc.ingest.population import ingest_population_file
    from openasc.metrics.engine import run_compute
    from openasc.publish.export import export_metrics_command
    from openasc.synth.cld import write_cld
    from openasc.synth.dols import write_dols
    from openasc.synth.population import write_population
    from openasc.synth.safeguarding import write_safeguarding

    started = time.perf_counter()
    out = Path(out)
    inputs = out / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    settings = load_settings(warehouse)
    if warehouse is None:
        settings = replace(settings, warehouse=out / "openasc.duckdb")
    if settings.warehouse.exists():
        settings.warehouse.unlink()  # the demo always starts from an empty warehouse

    def step(text: str) -> None:
        console.print(f"[bold]›[/bold] {text}  [dim]({time.perf_counter() - started:.1f} s)[/dim]")

    step(f"Synthesising {people:,} people, {QUARTERS} quarterly CLD submissions for {YEAR}")
    written = write_cld(out=inputs / "cld.csv", people=people, la_code=COUNCIL, year=YEAR,
                        seed=1, release=2, defect_rate=0.01, submissions=QUARTERS)
    files = [p for p, _ in written]
    write_population(inputs / "population.csv", people=people, la_code=COUNCIL,
                     years=[2022, 2023, 2024])
    write_safeguarding(out=inputs / "safeguarding.csv", concerns=max(people // 4, 50),
                       la_code=COUNCIL, year=YEAR, seed=1, defect_rate=0.01,
                       people_from=files[-1])
    write_dols(out=inputs / "dols.csv", applications=max(people // 8, 30), la_code=COUNCIL,
               year=YEAR, seed=1, defect_rate=0.01, people_from=files[-1])

    step("Checking the latest submission (data-quality report)")
    for line in render_validate_lines(validate_files([files[-1]], report_dir=out / "data-quality",
                                                     settings=settings)):
        console.print(line, markup=False)

    step("Loading the submissions (pseudonymised, de-duplicated by the DHSC method)")
    for i, path in enumerate(files):
        # Each quarterly file is submitted a month after its quarter ends.
        quarter_end = _quarter_end(PERIOD[1], QUARTERS - 1 - i)
        for line in render_lines(ingest_files([path], submitted_on=_add_days(quarter_end, 30),
                                              settings=settings)):
            console.print(line, markup=False)
    for result in (ingest_population_file(inputs / "population.csv", settings=settings),
                   ingest_case_file("safeguarding", inputs / "safeguarding.csv", settings),
                   ingest_case_file("dols", inputs / "dols.csv", settings)):
        for line in render_lines(result):
            console.print(line, markup=False)

    _market(inputs, settings, console, step)

    step(f"Computing every measure for {YEAR}")
    for line in run_compute(PERIOD[0], PERIOD[1], COUNCIL, settings).summary_lines():
        console.print(line, markup=False)
    _compare(out, settings, console, step)

    step("Exporting the measures")
    export_metrics_command("csv", out / "measures.csv", published=False, settings=settings,
                           console=console)
    export_metrics_command("csv", out / "measures-published.csv", published=True,
                           settings=settings, console=console)

    step("Writing the Local Account and the CQC self-assessment")
    from openasc.reports.writing import write_reports

    documents = write_reports(settings, YEAR, out, COUNCIL, pdf=False)
    from openasc.reports.market_position import market_position_command

    step("Writing the market position statement")
    documents += market_position_command(YEAR, out, None, COUNCIL, settings, pdf=False).files
    missing_pdf = None
    if pdf:
        from openasc.reports.pdf import PdfUnavailable, write_pdf

        step("Writing their PDFs")
        try:
            documents += [write_pdf(d, d.with_suffix(".pdf")) for d in list(documents)]
        except PdfUnavailable as exc:
            missing_pdf = exc
    elapsed = time.perf_counter() - started
    console.print(f"\nDone in {elapsed:.0f} s. Everything is in {out}/:")
    for doc in sorted(documents):
        console.print(f"  {doc}")
    console.print(f"  {out / 'measures.csv'} (all measures, unrounded)")
    console.print(f"  {out / 'data-quality'}/ (data-quality report of the latest submission)")
    console.print(f"  {settings.warehouse} (the warehouse; open it with DuckDB)")
    if missing_pdf is not None:
        raise OpenascError(
            "Everything but the PDFs is written: PDFs need pip install 'openasc[pdf]' and the "
            "pango library (see the README's \"PDF reports\"), or run openasc demo --no-pdf."
        ) from missing_pdf


def _compare(out: Path, settings, console: Console, step) -> None:  # noqa: ANN001
    """Comparator figures for every English council, then the comparisons table."""
    from openasc.compare.comparators import import_comparators
    from openasc.compare.comparisons import build_comparisons
    from openasc.synth.comparators import synth_comparators
    from openasc.warehouse import connect

    step("Comparing with England, the region and similar councils (synthetic comparators)")
    path = out / "inputs" / "comparators.csv"
    synth_comparators(path, years=[2020, 2021, 2022, 2023, 2024], seed=1)
    con = connect(settings.warehouse)
    try:
        import_comparators(con, path)
        rows = build_comparisons(con)
    finally:
        con.close()
    console.print(f"Comparisons: {rows:,} rows (council against England, region and group).")


def _market(inputs: Path, settings, console: Console, step) -> None:  # noqa: ANN001
    """The market position statement's inputs: synthetic projections and CQC directory for
    every English council (so the region and England compare), and the cited dementia
    rates openasc ships."""
    from importlib import resources

    from openasc.ingest.care_directory import ingest_care_directory_file
    from openasc.ingest.pipeline import ingest_file, render_lines
    from openasc.ingest.projections import ingest_projections_file
    from openasc.synth.care_directory import write_care_directory
    from openasc.synth.projections import write_projections

    step("Loading population projections, the CQC care directory and prevalence rates")
    snpp, lookup, _ = write_projections(inputs / "2022snpppopulationsyoa5yr.zip", seed=1)
    cqc = inputs / "01_March_2025_HSCA_Active_Locations.ods"
    write_care_directory(cqc, as_at="2025-03-01", seed=1)
    rates = Path(str(resources.files("openasc.reference").joinpath("prevalence_rates.csv")))
    for result in (ingest_projections_file(snpp, settings, variant="five-year migration",
                                           lookup=lookup),
                   ingest_care_directory_file(cqc, settings),
                   ingest_file("prevalence_rates", rates, settings)):
        for line in render_lines(result):
            console.print(line, markup=False)


def _quarter_end(year_end: date, quarters_back: int) -> date:
    month = year_end.month - 3 * quarters_back
    year = year_end.year
    while month <= 0:
        month += 12
        year -= 1
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def _add_days(day: date, days: int) -> date:
    return date.fromordinal(day.toordinal() + days)
