"""Commands for the council's survey returns: `synth survey`, `synth carers-survey`,
`ingest survey`, `ingest carers-survey`. Mounted by `openasc.cli` under its groups."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openasc.cli.common import console, settings

YearOpt = Annotated[str | None, typer.Option(
    help="Survey year, YYYY-YY, for a return without a Survey_Year column (the national "
         "workbook has none).")]


def _show(results: list) -> None:
    from openasc.ingest.pipeline import render_lines

    for r in results:
        for line in render_lines(r):
            console.print(line, markup=False)


def _ingest(survey: str, file: Path, population: Path | None, year: str | None) -> None:
    from openasc.ingest.surveys import ingest_return

    _show(ingest_return(survey, file, settings(), year=year, population=population))


def ingest_survey(
    file: Annotated[Path, typer.Argument(
        help="ASCS return: the national data return workbook or a tidy CSV.")],
    population: Annotated[Path | None, typer.Option(
        help="Eligible population by stratum (LA_Code, Survey_Year, Stratum, "
             "Eligible_Population); default: the return's Population In Stratum.")] = None,
    year: YearOpt = None,
) -> None:
    """Load an Adult Social Care Survey return (serial numbers pseudonymised, free text
    dropped unread) and its eligible population by stratum."""
    _ingest("ascs", file, population, year)


def ingest_carers_survey(
    file: Annotated[Path, typer.Argument(
        help="SACE return: the national data return workbook or a tidy CSV.")],
    population: Annotated[Path | None, typer.Option(
        help="Eligible carer population (LA_Code, Survey_Year, Eligible_Population).")] = None,
    year: YearOpt = None,
) -> None:
    """Load a Survey of Adult Carers in England return and its eligible carer population."""
    _ingest("sace", file, population, year)


def _synth(carers: bool, out: Path, respondents: int, la_code: str, year: str, seed: int,
           xlsx: bool) -> None:
    from openasc.synth.survey import write_survey

    rows, pop = write_survey(out, respondents=respondents, la_code=la_code, year=year,
                             seed=seed, carers=carers, xlsx=xlsx)
    console.print(f"Wrote {rows:,} rows to {out} and the eligible population to {pop}")


def synth_survey(
    out: Annotated[Path, typer.Option(help="File to write (.csv, or .xlsx with --xlsx).")],
    respondents: Annotated[int, typer.Option(help="People sampled (about 92% respond).")] = 500,
    la_code: Annotated[str, typer.Option(help="ONS or NHS council code.")] = "416",
    year: Annotated[str, typer.Option(help="Survey year, YYYY-YY.")] = "2024-25",
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same file.")] = 1,
    xlsx: Annotated[bool, typer.Option(help="The national data return's layout.")] = False,
) -> None:
    """Write a synthetic Adult Social Care Survey return and its eligible population."""
    _synth(False, out, respondents, la_code, year, seed, xlsx)


def synth_carers_survey(
    out: Annotated[Path, typer.Option(help="File to write (.csv, or .xlsx with --xlsx).")],
    respondents: Annotated[int, typer.Option(help="Carers sampled (about 92% respond).")] = 300,
    la_code: Annotated[str, typer.Option(help="ONS or NHS council code.")] = "416",
    year: Annotated[str, typer.Option(help="Survey year, YYYY-YY.")] = "2023-24",
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same file.")] = 1,
    xlsx: Annotated[bool, typer.Option(help="The national data return's layout.")] = False,
) -> None:
    """Write a synthetic Survey of Adult Carers return and its eligible carer population."""
    _synth(True, out, respondents, la_code, year, seed, xlsx)
