"""Settings from `openasc.toml` and the environment.

The warehouse path and the pseudonymisation key file are the two things every command needs.
The key must live outside the warehouse (design principle 5): whoever holds the warehouse
without the key cannot re-identify anyone, and whoever holds the key can link new files to
old pseudonyms.
"""

from __future__ import annotations

import os
import secrets
import stat
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from openasc.errors import OpenascError
from openasc.pseudonymise import (
    KeyMismatch,
    bind_key,
    fingerprint,
    rebind_key,
    recorded_fingerprint,
)
from openasc.warehouse import MEMORY_LIMIT

CONFIG_NAME = "openasc.toml"
DEFAULT_WAREHOUSE = "openasc.duckdb"
KEY_BYTES = 32


@dataclass(frozen=True)
class Settings:
    warehouse: Path
    key_file: Path
    council: str | None = None
    # A council's own measures: folders of family YAML + SQL loaded after the packaged
    # catalogue (docs/measures.md), relative to the folder of openasc.toml.
    catalogue_dirs: tuple[Path, ...] = ()
    labels_file: Path | None = None  # local label -> national value (ingest/labels.py)
    # A file with more of its rows quarantined than this (percent) is refused whole.
    max_quarantined_percent: float = 50.0
    # How the SALT tables are derived (docs/measures.md, "SALT method"): `nhse` reproduces
    # NHS England's published replication code, quirks included; `corrected` openasc's
    # reasoned reading of the SALT guidance.
    salt_method: str = "nhse"
    # What an ingest or a compute may hold in memory before spilling to disk, in DuckDB's words
    # ("4GB", "512MB", "50%"); None: half the machine's memory (warehouse.py).
    memory_limit: str | None = None


SALT_METHODS = ("nhse", "corrected")


def _read_toml(start: Path) -> tuple[dict, Path | None]:
    path = start / CONFIG_NAME
    if not path.is_file():
        return {}, None
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh), path
    except tomllib.TOMLDecodeError as exc:
        raise OpenascError(f"{path}: is not valid TOML ({exc}).") from exc


def default_key_file() -> Path:
    """Per-user default: $XDG_CONFIG_HOME/openasc/key, else ~/.config/openasc/key."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "openasc" / "key"


def load_settings(warehouse: Path | None = None, cwd: Path | None = None) -> Settings:
    """Resolve settings: command-line option, then openasc.toml, then defaults."""
    cwd = cwd or Path.cwd()
    data, path = _read_toml(cwd)
    section = data.get("openasc", data)
    base = path.parent if path else cwd
    wh = warehouse or (base / section["warehouse"] if "warehouse" in section else None)
    wh = wh or cwd / DEFAULT_WAREHOUSE
    env_key = os.environ.get("OPENASC_KEY_FILE")
    if env_key:
        key = Path(env_key)
    elif "key_file" in section:
        key = base / section["key_file"]
    else:
        key = default_key_file()
    labels = base / section["labels_file"] if "labels_file" in section else None
    limit = section.get("max_quarantined_percent", 50.0)
    if isinstance(limit, bool) or not isinstance(limit, int | float) or not 0 <= limit <= 100:
        raise OpenascError(f"{path}: max_quarantined_percent must be a number from 0 to 100 "
                           f"(the share of a file's rows that may be quarantined); got {limit!r}.")
    return Settings(warehouse=Path(wh), key_file=key, council=section.get("council"),
                    catalogue_dirs=_catalogue_dirs(section, base, path), labels_file=labels,
                    max_quarantined_percent=float(limit),
                    salt_method=_salt_method(section, path),
                    memory_limit=_memory_limit(section, path))


def _memory_limit(section: dict, path: Path | None) -> str | None:
    """OPENASC_MEMORY_LIMIT, else `memory_limit` in openasc.toml, else None (the default)."""
    env = os.environ.get("OPENASC_MEMORY_LIMIT")
    where, value = ("OPENASC_MEMORY_LIMIT", env) if env else (path, section.get("memory_limit"))
    if value is None:
        return None
    if not isinstance(value, str) or not MEMORY_LIMIT.fullmatch(value.strip()):
        raise OpenascError(f"{where}: memory_limit must be an amount of memory such as "
                           f'"4GB", "512MB" or "50%" (of the machine\'s); got {value!r}.')
    return value.strip()


def _salt_method(section: dict, path: Path | None) -> str:
    method = section.get("salt_method", "nhse")
    if method not in SALT_METHODS:
        raise OpenascError(f"{path}: salt_method must be one of {', '.join(SALT_METHODS)} "
                           f"(nhse: NHS England's published SALT code; corrected: openasc's "
                           f"reading of the SALT guidance); got {method!r}.")
    return method


def _catalogue_dirs(section: dict, base: Path, path: Path | None) -> tuple[Path, ...]:
    dirs = section.get("catalogue_dirs", [])
    if isinstance(dirs, str):
        dirs = [dirs]
    if not isinstance(dirs, list) or not all(isinstance(d, str) for d in dirs):
        raise OpenascError(f"{path}: catalogue_dirs must be a list of folder names, e.g. "
                           'catalogue_dirs = ["measures"]; got ' f"{dirs!r}.")
    return tuple(base / d for d in dirs)


def _inside_git_work_tree(path: Path) -> bool:
    probe = path if path.is_dir() else path.parent
    while not probe.exists():
        probe = probe.parent
    try:
        out = subprocess.run(
            ["git", "-C", str(probe), "rev-parse", "--is-inside-work-tree"],
            capture_output=True, text=True, timeout=10, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return out.returncode == 0 and out.stdout.strip() == "true"


def check_key_location(key_file: Path, warehouse: Path) -> None:
    """Refuse a key kept beside the data it protects, or where git could commit it."""
    key_dir = key_file.resolve().parent
    wh_dir = warehouse.resolve().parent
    if key_dir == wh_dir or wh_dir in key_dir.parents:
        raise OpenascError(
            f"The pseudonymisation key file {key_file} is inside the warehouse directory "
            f"{wh_dir}. Keep it elsewhere (set OPENASC_KEY_FILE or key_file in openasc.toml), "
            "so that a copy of the warehouse cannot be re-identified."
        )
    if _inside_git_work_tree(key_file):
        raise OpenascError(
            f"The pseudonymisation key file {key_file} is inside a git work tree, where it "
            "could be committed. Keep it outside (set OPENASC_KEY_FILE)."
        )


def load_key(settings: Settings, bind: bool = True) -> bytes:
    """Read the key, creating it (owner read/write only) on first use, and check that it is
    the key the warehouse was made with.

    With `bind` (every load), the warehouse remembers the key's fingerprint on first use and
    refuses any other key; without it (validation, which writes nothing), an existing
    warehouse is only checked. A missing key file is never replaced when the warehouse
    remembers a key: that is the silent re-keying this check exists to stop."""
    check_key_location(settings.key_file, settings.warehouse)
    path = settings.key_file
    stored = _warehouse_fingerprint(settings.warehouse)
    if not path.exists():
        if stored is not None:
            raise OpenascError(
                f"The pseudonymisation key file {path} is missing, but the warehouse "
                f"{settings.warehouse} was made with a key (fingerprint {stored[:12]}). A new "
                "key would give the same people new pseudonyms that link to nothing already "
                "loaded. Restore the key file from your backup (or point OPENASC_KEY_FILE at "
                "it); to start new pseudonyms deliberately, see `openasc key rekey --help`."
            )
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(KEY_BYTES) + "\n")
    key = read_key_file(path)
    if stored is not None and stored != fingerprint(key):
        raise key_mismatch(path, settings.warehouse, stored, fingerprint(key))
    if bind and stored is None:
        _bind(settings.warehouse, key)
    return key


def read_key_file(path: Path) -> bytes:
    """The key in `path`: hex, owner-only, at least 16 bytes."""
    if not path.is_file():
        raise OpenascError(f"The key file {path} does not exist.")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise OpenascError(
            f"The pseudonymisation key file {path} can be read by other users (mode "
            f"{mode:o}); run: chmod 600 {path}"
        )
    text = path.read_text().strip()
    try:
        key = bytes.fromhex(text)
    except ValueError as exc:
        raise OpenascError(f"{path}: expected {KEY_BYTES * 2} hex characters.") from exc
    if len(key) < 16:
        raise OpenascError(f"{path}: the key is too short (expected {KEY_BYTES} bytes as hex).")
    return key


def key_mismatch(path: Path, warehouse: Path, stored: str, given: str) -> OpenascError:
    return OpenascError(
        f"The pseudonymisation key in {path} (fingerprint {given[:12]}) is not the key the "
        f"warehouse {warehouse} was made with (fingerprint {stored[:12]}). With another key "
        "the same people would get new pseudonyms that link to nothing already loaded. Use the "
        "original key file (OPENASC_KEY_FILE or key_file in openasc.toml); to start new "
        "pseudonyms deliberately, see `openasc key rekey --help`."
    )


def _warehouse_fingerprint(warehouse: Path) -> str | None:
    """The fingerprint an existing warehouse remembers (None: no warehouse, or none yet)."""
    if not warehouse.is_file():
        return None
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as exc:
        raise OpenascError(
            f"Cannot open the warehouse {warehouse} to check the key: {exc}. Is another "
            "openasc command loading into it?"
        ) from exc
    try:
        return recorded_fingerprint(con)
    finally:
        con.close()


def _bind(warehouse: Path, key: bytes) -> None:
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(warehouse))
    except duckdb.Error as exc:
        raise OpenascError(
            f"Cannot open the warehouse {warehouse}: {exc}. Is another openasc command "
            "loading into it?"
        ) from exc
    try:
        try:
            bind_key(con, key)
        except KeyMismatch as exc:  # another load bound a key between our check and now
            raise key_mismatch(Path("(key file)"), warehouse, str(exc), fingerprint(key)) from exc
    finally:
        con.close()


def rekey(settings: Settings, old_key_file: Path | None, old_key_lost: bool) -> str:
    """`openasc key rekey`: make the warehouse accept the key in `settings.key_file` from now on.

    Pseudonyms are one-way, and the identifiers they were made from are not kept, so the
    pseudonyms already in the warehouse cannot be remade under the new key: people loaded
    before and after the re-keying will not be linked. That is why this is a separate,
    deliberate command: the holder of the old key proves it (`--old-key`), or states that
    it is lost (`--old-key-lost`). Returns a sentence for the user."""
    if (old_key_file is None) == (not old_key_lost):
        raise OpenascError("Give exactly one of --old-key FILE (the key the warehouse was made "
                           "with) or --old-key-lost.")
    stored = _warehouse_fingerprint(settings.warehouse)
    if stored is None:
        raise OpenascError(
            f"The warehouse {settings.warehouse} does not remember a key yet (no warehouse, or "
            "nothing loaded since keys were checked); the next load records the current key. "
            "Nothing to re-key."
        )
    if old_key_file is not None and fingerprint(read_key_file(old_key_file)) != stored:
        raise OpenascError(
            f"{old_key_file} is not the key the warehouse {settings.warehouse} was made with "
            f"(fingerprint {stored[:12]}); nothing changed."
        )
    check_key_location(settings.key_file, settings.warehouse)
    if not settings.key_file.exists():
        settings.key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(settings.key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(KEY_BYTES) + "\n")
    key = read_key_file(settings.key_file)
    if fingerprint(key) == stored:
        return f"The warehouse already uses the key in {settings.key_file}; nothing changed."
    reason = "re-keyed; old key " + ("lost" if old_key_lost else "presented")
    con = duckdb.connect(str(settings.warehouse))
    try:
        rebind_key(con, key, reason)
    finally:
        con.close()
    return (f"The warehouse {settings.warehouse} now uses the key in {settings.key_file} "
            f"(fingerprint {fingerprint(key)[:12]}). People loaded from now on get new "
            "pseudonyms and will not be linked to those loaded before.")
