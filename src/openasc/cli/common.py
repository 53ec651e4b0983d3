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


