"""What every command shares: the consoles, the global options (`--warehouse`, `--debug`)
and the settings they resolve to. Kept apart from the command modules so that each group of
commands can import it without importing the whole command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from openasc.config import Settings, load_settings
from openasc.errors import OpenascError

console = Console(stderr=False, highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class State:
    warehouse: Path | None = None
    debug: bool = False


state = State()

LaOpt = Annotated[
    str | None, typer.Option("--la", "--la-code", help="ONS or NHS council code.")
]
WarehouseOpt = Annotated[
    Path | None,
    typer.Option("--warehouse", help="Warehouse file (default ./openasc.duckdb or openasc.toml)."),
]


def settings() -> Settings:
    return load_settings(state.warehouse)


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise OpenascError(f"{option} {text!r} is not a date; expected YYYY-MM-DD.") from None




# The extract checks every ingest makes (ingest/pipeline.py, ingest/dates.py).
DateOrderOpt = Annotated[str | None, typer.Option(
    "--date-order", help="How the file writes its dates: dmy (dd/mm/yyyy), mdy (mm/dd/yyyy) or "
    "iso (yyyy-mm-dd). Default: decided from the file's own dates; a file they cannot decide "
    "is refused.")]
CouncilOpt = Annotated[str | None, typer.Option(
    "--la-code", help="The council the file must be for (ONS or NHS code); default council in "
    "openasc.toml, else the council the warehouse holds.")]
AddCouncilOpt = Annotated[bool, typer.Option(
    "--add-council", help="Load a file for another council than the warehouse's, as a further "
    "council (refused without this).")]
MaxQuarantinedOpt = Annotated[float | None, typer.Option(
    "--max-quarantined", min=0, max=100, help="Refuse a file, loading nothing, when more than "
    "this percent of its rows would be quarantined; default max_quarantined_percent in "
    "openasc.toml, else 50.")]


def checks(date_order: str | None, la_code: str | None, add_council: bool,
           max_quarantined: float | None) -> dict:
    """The extract-check options as the ingest pipeline takes them."""
    return {"date_order": date_order, "la_code": la_code, "add_council": add_council,
            "max_quarantined": max_quarantined}
