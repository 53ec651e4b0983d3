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
    _surveys(inputs, settings, console, step)
    _money(inputs, settings, console, step)
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
            documents += [write_pdf(d, d.with_suffix(".pdf")) for d in list(documents)
                          if d.suffix == ".html"]
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


def _surveys(inputs: Path, settings, console: Console, step) -> None:  # noqa: ANN001
    """The council's Adult Social Care Survey (this year) and carers' survey (biennial: the
    year before), each with its eligible population."""
    from openasc.ingest.pipeline import render_lines
    from openasc.ingest.surveys import ingest_return
    from openasc.synth.survey import write_survey

    step("Loading the survey returns (users' survey and carers' survey)")
    for survey, carers, year, n in (("ascs", False, YEAR, 500), ("sace", True, "2023-24", 400)):
        path = inputs / f"{survey}.csv"
        _, population = write_survey(path, respondents=n, la_code=COUNCIL, year=year, seed=1,
                                     carers=carers)
        for result in ingest_return(survey, path, settings, population=population):
            for line in render_lines(result):
                console.print(line, markup=False)


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


def _money(inputs: Path, settings, console: Console, step) -> None:  # noqa: ANN001
    """Money, workforce and complaints: the national files (every council, region and
    England), the council's budget and complaints log, loaded and computed for every area so
    that the council is compared with England and its region (the year before too, for the
    council's trend)."""
    from openasc.ingest.money import ingest_money
    from openasc.ingest.pipeline import render_lines
    from openasc.metrics.engine import run_compute
    from openasc.synth.complaints import write_complaints
    from openasc.synth.finance import write_finance
    from openasc.synth.workforce import write_workforce

    step("Money, workforce and complaints: ASC-FR, Skills for Care, complaints log, LGSCO")
    years = [PERIOD[0].year - 1, PERIOD[0].year]
    money = inputs / "money"
    write_finance(money, COUNCIL, years, seed=1, population_csv=inputs / "population.csv")
    write_workforce(money, years, seed=1, la_code=COUNCIL,
                    population_csv=inputs / "population.csv")
    write_complaints(money, COUNCIL, years, seed=1)
    from openasc.ingest.population import ingest_population_file

    results = [ingest_population_file(money / "population-adults.csv", settings=settings)]
    for kind, name in [("finance", "ascfr.csv"), ("budget", "budget.csv"),
                       ("deflator", "deflator.csv"), ("workforce", "workforce.csv"),
                       ("complaints", "complaints.csv"), ("ombudsman", "lgsco.csv")]:
        results.append(ingest_money(kind, [money / name], settings, la=COUNCIL))
    for result in results:
        for line in render_lines(result):
            console.print(line, markup=False)
    # The council, its region and England, this year and last (every council's figures are
    # in the files too: `openasc compute --select FIN,WF` without --la ranks them all).
    from openasc.councils import resolve

    before = (PERIOD[0].replace(year=years[0]), PERIOD[1].replace(year=years[0] + 1))
    areas = [COUNCIL, resolve(COUNCIL).region_code, "E92000001"]
    for period in (before, PERIOD):
        for area in areas:
            r = run_compute(*period, area, settings, select=["FIN", "WF", "CMP"])
            console.print(f"FIN, WF, CMP for {r.councils[0]}, {period[0]} to {period[1]}: "
                          f"{len(r.computed)} measure(s), {r.rows_written} row(s).",
                          markup=False)


def _market(inputs: Path, settings, console: Console, step) -> None:  # noqa: ANN001
    """The market position statement's inputs: synthetic projections and CQC directory for
    every English council (so the region and England compare), the cited dementia rates
    openasc ships, the council's housing ratios and supply and its fees (synthetic, made up)."""
    from importlib import resources

    from openasc.ingest.care_directory import ingest_care_directory_file
    from openasc.ingest.council_files import ingest_council_file
    from openasc.ingest.cqc_deactivated import ingest_deactivated_file
    from openasc.ingest.pipeline import ingest_file, render_lines
    from openasc.ingest.projections import ingest_projections_file
    from openasc.synth.care_directory import write_care_directory, write_deactivated
    from openasc.synth.fees import write_fees
    from openasc.synth.housing import write_housing
    from openasc.synth.projections import write_projections

    step("Loading population projections, the CQC care directory, prevalence rates, "
         "housing and fees")
    snpp, lookup, _ = write_projections(inputs / "2022snpppopulationsyoa5yr.zip", seed=1)
    cqc = inputs / "01_March_2025_HSCA_Active_Locations.ods"
    write_care_directory(cqc, as_at="2025-03-01", seed=1)
    closed = inputs / "01_March_2025_Deactivated_Locations.ods"
    write_deactivated(closed, as_at="2025-03-01", seed=1)
    rates = Path(str(resources.files("openasc.reference").joinpath("prevalence_rates.csv")))
    benchmarks, supply = write_housing(inputs / "housing", seed=1)
    fees = write_fees(inputs / "housing", first_year=PERIOD[0].year - 1, seed=1)
    for result in (ingest_projections_file(snpp, settings, variant="five-year migration",
                                           lookup=lookup),
                   ingest_care_directory_file(cqc, settings),
                   ingest_deactivated_file(closed, settings),
                   ingest_file("prevalence_rates", rates, settings),
                   ingest_council_file("housing_benchmarks", benchmarks, settings, COUNCIL),
                   ingest_council_file("housing_supply", supply, settings, COUNCIL),
                   ingest_council_file("fees", fees, settings, COUNCIL)):
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
