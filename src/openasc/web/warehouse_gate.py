"""One warehouse, many readers, an occasional writer.

DuckDB lets one process hold a file; the dashboard keeps one read-only connection and gives
each request its own cursor. A run started from the browser (ingest, compute) needs the
file to itself, so it waits for readers to finish, closes the connection, writes, and
reopens; readers arriving meanwhile wait. Pages are cached per warehouse generation: a
write bumps the generation, so nothing stale is served after a run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from openasc.errors import OpenascError


class WarehouseGate:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._con: duckdb.DuckDBPyConnection | None = None
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self.generation = 0
        self._cache: dict[Any, Any] = {}

    def _open(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            if not self.path.exists():
                raise OpenascError(
                    f"There is no warehouse at {self.path}. Create one with `openasc demo` or "
                    "`openasc ingest cld FILE`, then start the dashboard again.")
            try:
                self._con = duckdb.connect(str(self.path), read_only=True)
            except duckdb.Error as exc:
                raise OpenascError(f"Cannot open the warehouse {self.path}: {exc}.") from exc
        return self._con

    @contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing)
            con = self._open()
            self._readers += 1
        cur = con.cursor()
        try:
            yield cur
        finally:
            cur.close()
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[Path]:
        """Close the shared connection while a command writes the file, then reopen."""
        with self._cond:
            self._cond.wait_for(lambda: not self._writing)
            self._writing = True
            self._cond.wait_for(lambda: self._readers == 0)
            if self._con is not None:
                self._con.close()
                self._con = None
        try:
            yield self.path
        finally:
            with self._cond:
                self._writing = False
                self.generation += 1
                self._cache.clear()
                self._cond.notify_all()

    def cached(self, key: Any, make: Callable[[], Any]) -> Any:
        """The value for key in this generation of the warehouse, made once."""
        full = (self.generation, key)
        if full in self._cache:
            return self._cache[full]
        value = make()
        if len(self._cache) > 2000:
            self._cache.clear()
        self._cache[full] = value
        return value

    def close(self) -> None:
        with self._cond:
            if self._con is not None:
                self._con.close()
                self._con = None
