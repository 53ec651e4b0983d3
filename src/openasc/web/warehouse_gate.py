"""One warehouse, many readers, an occasional writer.

DuckDB lets one process write a file, and a read-only connection in another process stops
that write. The dashboard shares one read-only connection between requests (each gets its
own cursor) but only while it is in use: once no request has read for `LINGER` seconds it
is closed, so that `openasc ingest` or `compute` run from the command line can take the
file while the dashboard is up. Opening costs tens of milliseconds, once per burst of
requests. While a command holds the file, a request waits up to `BUSY_WAIT` seconds, then
gets "try again in a moment" (503).

A run started from the browser (ingest, compute) needs the file to itself, so it waits for
readers to finish, closes the connection, writes, and reopens; readers arriving meanwhile
wait. Pages are cached per warehouse generation: a write from the browser bumps the
generation, and so does a change to the file seen when the connection is reopened (a load
from the command line), so nothing stale is served after a run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from openasc.errors import OpenascError

LINGER = 2.0  # seconds an idle read connection stays open
BUSY_WAIT = 10.0  # seconds a request waits for a command that holds the warehouse


class WarehouseBusy(OpenascError):
    """Another openasc command is writing the warehouse: the page can be tried again soon."""


class WarehouseGate:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._con: duckdb.DuckDBPyConnection | None = None
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self.generation = 0
        self._cache: dict[Any, Any] = {}
        self._stamp: tuple[int, int] | None = None  # (mtime, size) when last opened
        self._last_read = 0.0
        self._timer: threading.Timer | None = None

    def _open(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            if not self.path.exists():
                raise OpenascError(
                    f"There is no warehouse at {self.path}. Create one with `openasc demo` or "
                    "`openasc ingest cld FILE`, then start the dashboard again.")
            self._con = self._connect()
            stat = self.path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
            if self._stamp is not None and stamp != self._stamp:
                self.generation += 1  # written by a command since we last looked
                self._cache.clear()
            self._stamp = stamp
        return self._con

    def _connect(self) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + BUSY_WAIT
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=True)
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise OpenascError(f"Cannot open the warehouse {self.path}: {exc}.") from exc
                if time.monotonic() > deadline:
                    raise WarehouseBusy(
                        "The warehouse is being updated by another openasc command (a load or "
                        "a compute); try again in a moment.") from exc
                time.sleep(0.2)
            except duckdb.Error as exc:
                raise OpenascError(f"Cannot open the warehouse {self.path}: {exc}.") from exc

    def _close_if_idle(self) -> None:
        with self._cond:
            idle = time.monotonic() - self._last_read >= LINGER
            if self._readers == 0 and not self._writing and idle and self._con is not None:
                self._con.close()
                self._con = None

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
                self._last_read = time.monotonic()
                if self._readers == 0:
                    if self._timer is not None:
                        self._timer.cancel()
                    # Not a daemon: a daemon thread stopped at exit inside DuckDB's close
                    # aborts the process; at exit this waits at most LINGER seconds.
                    self._timer = threading.Timer(LINGER, self._close_if_idle)
                    self._timer.start()
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
                self._stamp = None  # our own write: the generation is bumped here
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
            if self._timer is not None:
                self._timer.cancel()
            if self._con is not None:
                self._con.close()
                self._con = None
