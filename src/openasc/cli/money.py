"""Commands for money, workforce and complaints: `synth finance|workforce|complaints` and
`ingest finance|budget|workforce|complaints|ombudsman|deflator`. Mounted under their groups
by `openasc.cli` (like the comparison commands); no logic lives here."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openasc.cli.common import LaOpt, console, settings

Files = Annotated[list[Path], typer.Argument(help="Files to load (CSV; the Skills for Care "
                                                  "download may be XLSX).")]
YearOpt = Annotated[str | None, typer.Option(
    help="Financial year the file covers (YYYY-YY), for a file without a year column.")]
Out = Annotated[Path, typer.Option(help="Folder to write the files in.")]
Seed = Annotated[int, typer.Option(help="Random seed (same seed, same files).")]
SynthYears = Annotated[str, typer.Option(
    help="Financial years, comma-separated (e.g. 2023-24,2024-25).")]


def _ingest(kind: str, files: list[Path], la: str | None = None,
            year: str | None = None) -> None:
    from openasc.ingest.money import ingest_money
    from openasc.ingest.pipeline import render_lines

    for line in render_lines(ingest_money(kind, files, settings(), la, year)):
        console.print(line, markup=False)


def ingest_finance(files: Files) -> None:
    """Load the ASC-FR data file as published (all councils, regions and England) or in the
    tidy form; `:` and `*` cells load as not submitted / suppressed, never as 0."""
    _ingest("finance", files)


def ingest_budget(files: Files, la: LaOpt = None) -> None:
    """Load the council's own adult social care budget lines."""
    _ingest("budget", files, la)


def ingest_workforce(files: Files, year: YearOpt = None) -> None:
    """Load Skills for Care council-area workforce estimates (the raw download, with --year)
    or the tidy form."""
    _ingest("workforce", files, year=year)


def ingest_complaints(files: Files, la: LaOpt = None) -> None:
    """Load the council's complaints and compliments log (case references pseudonymised;
    names and free text never stored)."""
    _ingest("complaints", files, la)


def ingest_ombudsman(files: Files) -> None:
    """Load the Local Government and Social Care Ombudsman's annual figures per council."""
    _ingest("ombudsman", files)


def ingest_deflator(files: Files) -> None:
    """Load the GDP deflator (year, deflator_index) for FIN-10's real-terms change."""
    _ingest("deflator", files)


def _years(text: str) -> list[int]:
    from openasc.ingest.money import year_start

    return [year_start(y, "--years") for y in text.split(",") if y.strip()]


def synth_finance(out: Out, la: LaOpt = "416", years: SynthYears = "2023-24,2024-25",
                  seed: Seed = 1) -> None:
    """Write a synthetic ASC-FR data file (every council, regions, England; with `:` and `*`
    cells), a budget file for the council, a GDP deflator and adult populations."""
    from openasc.synth.finance import write_finance

    for path in write_finance(out, la or "416", _years(years), seed):
        console.print(f"Wrote {path}", markup=False)


def synth_workforce(out: Out, years: SynthYears = "2023-24,2024-25", seed: Seed = 1) -> None:
    """Write a synthetic Skills for Care workforce file in the tidy form (every council,
    regions and England; with suppressed cells)."""
    from openasc.synth.workforce import write_workforce

    for path in write_workforce(out, _years(years), seed):
        console.print(f"Wrote {path}", markup=False)


def synth_complaints(out: Out, la: LaOpt = "416", years: SynthYears = "2023-24,2024-25",
                     seed: Seed = 1) -> None:
    """Write a synthetic complaints log for the council and LGSCO annual figures for every
    council."""
    from openasc.synth.complaints import write_complaints

    for path in write_complaints(out, la or "416", _years(years), seed):
        console.print(f"Wrote {path}", markup=False)
