"""Files written whole or not at all, and cells that a spreadsheet will not run as formulas.

A full disk or a killed process must not leave a truncated export or a 0-byte report where
the last good one was: every output is written to a temporary file in the same folder (so
the rename cannot cross file systems), flushed to disk, then renamed over the target in one
step.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from openasc.errors import OpenascError

# A cell starting with one of these is run as a formula by Excel, LibreOffice or Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside `path`, renamed to `path` if the block succeeds.

    For libraries that write by file name (WeasyPrint, openpyxl)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        _unlink(tmp)
        raise _disk_error(path, exc) from exc
    except BaseException:
        _unlink(tmp)
        raise


@contextmanager
def atomic_write(path: Path, mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """`open(path, mode)`, but the file appears only complete (see the module docstring)."""
    with atomic_path(path) as tmp, open(tmp, mode, **kwargs) as fh:
        yield fh


def write_bytes(path: Path, data: bytes) -> Path:
    with atomic_write(path, "wb") as fh:
        fh.write(data)
    return Path(path)


def write_text(path: Path, text: str) -> Path:
    with atomic_write(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    return Path(path)


def text_cell(value: Any) -> Any:
    """A data-derived text cell made safe for a spreadsheet: a leading apostrophe before a
    formula start. Numbers are left as they are (a negative number stays a number)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _unlink(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def _disk_error(path: Path, exc: OSError) -> OpenascError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return OpenascError(f"Cannot write {path}: the disk is full. Nothing was written; "
                            "free some space and run the command again.")
    return OpenascError(f"Cannot write {path}: {exc.strerror or exc}. Nothing was written.")
