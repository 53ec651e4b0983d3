"""Keyed pseudonyms made inside DuckDB, so identifiers are replaced set-wise at the door.

HMAC-SHA256(key, m) = SHA256((key ^ opad) || SHA256((key ^ ipad) || m)). With the key fixed,
the two padded keys are constants, so the whole HMAC is one SQL expression over a column:
no Python loop over rows, and the same person gets the same pseudonym in every file and run.
"""

from __future__ import annotations

import hashlib
import hmac

import duckdb

from openasc.warehouse import ensure_tables

BLOCK = 64


def _pads(key: bytes) -> tuple[bytes, bytes]:
    k = key if len(key) <= BLOCK else hashlib.sha256(key).digest()
    k = k.ljust(BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in k), bytes(b ^ 0x5C for b in k)


def _blob_literal(data: bytes) -> str:
    return "unhex('" + data.hex() + "')"


def register(con: duckdb.DuckDBPyConnection, key: bytes, shared: bool = False) -> None:
    """Create the macro `pseudo(text)` on this connection: NULL or blank in, NULL out.

    `shared`: in the connection's in-memory database rather than its temporary schema, so
    that its cursors (which have temporary schemas of their own) can call it too; only for
    a database never written to disk (ingest/staging.py)."""
    ipad, opad = _pads(key)
    name = "MACRO memory.main.pseudo" if shared else "TEMP MACRO pseudo"
    con.execute(
        f"CREATE OR REPLACE {name}(x) AS "
        "CASE WHEN x IS NULL OR trim(x::VARCHAR) = '' THEN NULL ELSE "
        f"sha256({_blob_literal(opad)} || unhex(sha256({_blob_literal(ipad)} || "
        "encode(x::VARCHAR)))) END"
    )


def pseudo(key: bytes, value: str) -> str:
    """The same pseudonym in Python, for tests and single look-ups."""
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


# --------------------------------------------------------------------------- the key's fingerprint
# A warehouse remembers which key made its pseudonyms, as an HMAC of a fixed text under the key:
# enough to tell keys apart, nothing that helps recover the key. A lost or changed key would
# otherwise be replaced silently, and the same people would get new pseudonyms that link to
# nothing already loaded.
FINGERPRINT_TEXT = "openasc pseudonymisation key fingerprint v1"


class KeyMismatch(Exception):
    """The key given is not the one the warehouse's pseudonyms were made with."""


def fingerprint(key: bytes) -> str:
    return pseudo(key, FINGERPRINT_TEXT)


def recorded_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    """The fingerprint the warehouse holds (the latest, after a deliberate re-keying)."""
    exists = con.execute("SELECT count(*) FROM information_schema.tables "
                         "WHERE table_name = 'key_fingerprint'").fetchone()[0]
    if not exists:
        return None
    row = con.execute("SELECT fingerprint FROM key_fingerprint "
                      "ORDER BY recorded_at DESC LIMIT 1").fetchone()
    return row[0] if row else None


def bind_key(con: duckdb.DuckDBPyConnection, key: bytes, reason: str = "first use") -> None:
    """Record the key's fingerprint on first use; raise `KeyMismatch` for a different key."""
    stored = recorded_fingerprint(con)
    if stored is None:
        ensure_tables(con, "core")  # key_fingerprint is a core table (schema.sql)
        con.execute("INSERT INTO key_fingerprint VALUES (?, now(), ?)", [fingerprint(key), reason])
    elif stored != fingerprint(key):
        raise KeyMismatch(stored)


def rebind_key(con: duckdb.DuckDBPyConnection, key: bytes, reason: str) -> None:
    """Deliberate re-keying: from now on the warehouse accepts `key` (and only it)."""
    ensure_tables(con, "core")  # key_fingerprint is a core table (schema.sql)
    con.execute("INSERT INTO key_fingerprint VALUES (?, now(), ?)", [fingerprint(key), reason])
