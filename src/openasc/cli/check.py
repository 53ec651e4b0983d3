"""`openasc check DRAFT`: check the figures in a draft before it is published."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openasc.cli.common import LaOpt, console, settings


def check(
    draft: Annotated[Path, typer.Argument(help="The draft: .docx, .pdf, .html, .md or .txt.")],
    la: LaOpt = None,
    year: Annotated[str | None, typer.Option(
        help="Financial year, YYYY-YY: with --la, compare named measures with the warehouse.")
    ] = None,
    report: Annotated[Path | None, typer.Option(
        help="Folder to write check-findings.html and check-findings.csv.")] = None,
) -> None:
    """Check a draft's figures: totals, shares, changes, rates, words against numbers, and
    (with --la and --year) the council's measures in the warehouse.

    Exit 0 when no error was found, 1 when one was, 2 when the draft cannot be read."""
    from openasc.check.report import summary, write_report
    from openasc.check.run import check_file

    held = None
    if (la is None) != (year is None):
        from openasc.errors import OpenascError

        raise OpenascError("--la and --year go together: give both to compare the draft with "
                           "the warehouse, or neither.")
    if la is not None and year is not None:
        held = _held(la, year)
    result = check_file(draft, held, year)
    for f in result.findings:
        if f.severity != "note":
            console.print(f"{f.severity.upper()} [{f.check}] {f.where}: {f.working}",
                          markup=False)
    console.print(summary(result), markup=False)
    if report is not None:
        for path in write_report(result, report):
            console.print(f"Wrote {path}", markup=False)
    # SystemExit, not typer.Exit: under the entry point's standalone_mode=False click returns
    # an Exit's code instead of exiting with it.
    raise SystemExit(result.exit_code)


def _held(la: str, year: str) -> dict:
    from openasc.check.warehouse import held_values
    from openasc.councils import resolve
    from openasc.reports.figures import parse_year
    from openasc.warehouse import connect

    start, end = parse_year(year)
    council = resolve(la, "--la", on=end)
    con = connect(settings().warehouse, read_only=True)
    try:
        return held_values(con, council.ons_code, start, end)
    finally:
        con.close()
