"""`openasc compute` and `openasc metrics list|show|sql`: the catalogue run and read aloud.

An analyst asked "what exactly is 2A?" should get the definition from the same YAML the
engine runs, never from a copy that can drift. The library returns result objects; this
module is where they become text.
"""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from openasc import councils
from openasc.config import Settings
from openasc.errors import OpenascError
from openasc.metrics.catalogue import Family, Measure, catalogue_for, find_measures
from openasc.metrics.compiled import compile_measure
from openasc.metrics.engine import ComputeResult, DataTestsFailed, run_compute


def _catalogue(families: tuple[Family, ...] | None,
               settings: Settings | None) -> tuple[Family, ...]:
    if families is not None:
        return families
    return catalogue_for(settings.catalogue_dirs if settings else ())


def render_compute(result: ComputeResult, console: Console) -> None:
    for line in result.summary_lines():
        console.print(line, markup=False)


def compute_command(start: date, end: date, la: str | None, select: list[str] | None,
                    settings: Settings, console: Console, engine: str = "duckdb"
                    ) -> ComputeResult:
    """Compute with a transient progress bar, then print the summary and the data tests.
    A failed error-severity test prints the report and exits 1 (the run was rolled back)."""
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("Computing measures", total=None)
        try:
            result = run_compute(start, end, la, settings, select=select, engine=engine,
                                 progress=lambda done, total: bar.update(
                                     task, completed=done, total=total))
        except DataTestsFailed as exc:
            bar.stop()
            report = exc.result.tests
            for line in [report.summary(), *report.lines()]:
                console.print(line, markup=False)
            raise
    render_compute(result, console)
    return result


def sql_command(code: str, dialect: str, la: str | None, start: date | None, end: date | None,
                settings: Settings, console: Console, err: Console) -> None:
    """Print the bound SQL on stdout; what could not be translated as a note on stderr."""
    if (start is None) != (end is None):
        raise OpenascError("Give both --from and --to (or neither, for placeholders).")
    if start is not None and end is not None and end < start:
        raise OpenascError(f"--to {end} is before --from {start}.")
    la = la or settings.council
    la_code = councils.resolve(la, "--la" if la else "council", on=end).ons_code if la else None
    compiled = compile_measure(code, catalogue_for(settings.catalogue_dirs), dialect,
                               la_code, start, end, settings.salt_method)
    console.print(compiled.text, markup=False, emoji=False, highlight=False, end="",
                  soft_wrap=True)
    if compiled.warnings:
        err.print(f"Note: sqlglot could not translate {len(compiled.warnings)} construct(s) "
                  f"to {dialect}; each is named in a `-- WARNING` comment above its "
                  "statement: " + "; ".join(compiled.warnings), markup=False)


def _status(m: Measure) -> str:
    return "implemented" if m.implemented else f"not implemented: {m.not_implemented_reason}"


def list_command(family: str | None, console: Console,
                 families: tuple[Family, ...] | None = None,
                 settings: Settings | None = None) -> None:
    """Print every measure (of one family, when given), one line each."""
    families = _catalogue(families, settings)
    chosen = [f for f in families if family is None or f.name.casefold() == family.casefold()]
    if not chosen:
        names = ", ".join(f.name for f in families) or "none"
        raise OpenascError(f"--family {family!r} is not in the catalogue; families: {names}.")
    table = Table(show_lines=False)
    for col in ("family", "code", "title", "unit", "status"):
        table.add_column(col, overflow="fold")
    for f in chosen:
        for m in f.measures:
            table.add_row(m.family, m.code, m.title, m.unit, _status(m))
    console.print(table)


def show_command(code: str, console: Console, families: tuple[Family, ...] | None = None,
                 settings: Settings | None = None) -> None:
    """Print one measure's full definition; codes and titles match case-insensitively."""
    hits = find_measures(code, _catalogue(families, settings))
    if not hits:
        raise OpenascError(
            f"No measure {code!r} in the catalogue. Expected a code such as 2A or STS001 "
            "(or FAMILY/CODE); `openasc metrics list` shows them all."
        )
    for m in hits:
        lines = [
            f"{m.family} {m.code}: {m.title}",
            f"  status:          {_status(m)}",
            f"  unit:            {m.unit} (polarity: {m.polarity}; published to "
            f"{m.precision} dp)",
            f"  numerator:       {m.numerator}",
            f"  denominator:     {m.denominator}",
            f"  source:          {m.source} (requires: {', '.join(m.requires) or '-'})",
            f"  breakdowns:      {', '.join(m.disaggregations) or '-'}"
            + ("" if m.headline else " (no headline row)"),
            *([f"  multi-label:     yes — one {m.code} can fall in several breakdown rows, so "
               "the rows may sum to more than the headline"] if m.multi_label else []),
            f"  reference:       {m.reference or '-'}",
            f"  SQL:             {m.sql or '-'}",
            f"  tests:           {', '.join(t.rule for t in m.tests) or '-'}",
            "  method notes:",
            *["    " + line for line in m.method_notes.splitlines()],
        ]
        console.print("\n".join(lines), markup=False)
