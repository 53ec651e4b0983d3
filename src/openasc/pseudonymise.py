"""Keyed pseudonyms made inside DuckDB, so identifiers are replaced set-wise at the door.

HMAC-SHA256(key, m) = SHA256((key ^ opad) || SHA256((key ^ ipad) || m)). With the key fixed,
the two padded keys are constants, so the whole HMAC is one SQL expression over a column:
no Python loop over rows, and the same person gets the same pseudonym in every file and run.
"""

from __future__ import annotations

import duckdb

BLOCK = 64


def _pads(key: bytes) -> tuple[bytes, bytes]:
    k = key if len(key) <= BLOCK else __import__("hashlib").sha256(key).digest()
    k = k.ljust(BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in k), bytes(b ^ 0x5C for b in k)


def _blob_literal(data: bytes) -> str:
    return "unhex('" + data.hex() + "')"


def register(con: duckdb.DuckDBPyConnection, key: bytes) -> None:
    """Create the macro `pseudo(text)` on this connection: NULL or blank in, NULL out."""
    ipad, opad = _pads(key)
    con.execute(
        "CREATE OR REPLACE TEMP MACRO pseudo(x) AS "
        "CASE WHEN x IS NULL OR trim(x::VARCHAR) = '' THEN NULL ELSE "
        f"sha256({_blob_literal(opad)} || unhex(sha256({_blob_literal(ipad)} || "
        "encode(x::VARCHAR)))) END"
    )


def pseudo(key: bytes, value: str) -> str:
    """The same pseudonym in Python, for tests and single look-ups."""
    import hashlib
    import hmac

    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
