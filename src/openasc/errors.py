"""The two kinds of failure a user can meet, and the exit codes the contract gives them.

Everything the user can get wrong is raised as an `OpenascError` with a message that names
the file, row and field and says what was expected; the CLI prints it and exits 1 (or 2 when
an input cannot be read at all). Anything else is a bug and shows a traceback only under
`--debug`.
"""

from __future__ import annotations


class OpenascError(Exception):
    """A user error: bad input, bad option, missing prerequisite. Exit code 1."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnreadableInput(OpenascError):
    """An input file that cannot be read at all (missing, not CSV/XLSX, undecodable). Exit 2."""

    exit_code = 2
