"""`openasc metrics list` and `metrics show`: the catalogue read aloud.

An analyst asked "what exactly is 2A?" should get the definition from the same YAML the
engine runs, never from a copy that can drift.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from openasc.errors import OpenascError
from openasc.metrics.catalogue import Family, Measure, default_catalogue, find_measures


def _status(m: Measure) -> str:
    return "implemented" if m.implemented else f"not implemented: {m.not_implemented_reason}"


def list_command(family: str | None, console: Console,
                 families: tuple[Family, ...] | None = None) -> None:
    """Print every measure (of one family, when given), one line each."""
    families = default_catalogue() if families is None else families
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


def show_command(code: str, console: Console, families: tuple[Family, ...] | None = None) -> None:
    """Print one measure's full definition; codes and titles match case-insensitively."""
    hits = find_measures(code, families)
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
            "  method notes:",
            *["    " + line for line in m.method_notes.splitlines()],
        ]
        console.print("\n".join(lines), markup=False)
