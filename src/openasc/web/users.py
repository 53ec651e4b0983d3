"""Dashboard accounts: create them from the command line, check passwords with argon2.

The first admin has to exist before anyone can sign in, so `openasc users add` writes it
straight into the users database; later users can be added the same way or by an admin in
the browser. Passwords are only ever stored as argon2id hashes.
"""

from __future__ import annotations

import re
import sys

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from rich.console import Console
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from openasc.config import Settings
from openasc.errors import OpenascError
from openasc.web.db import ROLES, AuditEvent, User, make_engine, session_factory, users_db_url

MIN_PASSWORD = 12
NAME_RE = re.compile(r"^[A-Za-z0-9._@-]{2,100}$")
_hasher = PasswordHasher()
# Verified against when the user does not exist, so a wrong name costs as long as a wrong
# password and timing does not tell an attacker which names are real.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def check_new_user(name: str, role: str, password: str) -> None:
    """Refuse a name, role or password the dashboard cannot use safely."""
    if not NAME_RE.match(name):
        raise OpenascError(f"User name {name!r} is not allowed; expected 2-100 letters, digits "
                           "or . _ @ - (no spaces).")
    if role not in ROLES:
        raise OpenascError(f"Role {role!r} is not known; expected one of {', '.join(ROLES)}.")
    if len(password) < MIN_PASSWORD:
        raise OpenascError(f"The password for {name} is too short; expected at least "
                           f"{MIN_PASSWORD} characters.")


def add_user(factory: sessionmaker, name: str, role: str, password: str,
             by: str = "command line", client: str = "") -> User:
    """Create a user; a name already taken is a user error, not a silent overwrite."""
    check_new_user(name, role, password)
    with factory() as db, db.begin():
        if db.scalar(select(User).where(User.name == name)) is not None:
            raise OpenascError(f"There is already a user called {name!r}; choose another name.")
        user = User(name=name, role=role, password_hash=hash_password(password), active=True)
        db.add(user)
        db.add(AuditEvent(user_name=by, action="user added", detail=f"{name} as {role}",
                          client=client[:64]))
    return user


def users_add_command(name: str, role: str, password_stdin: bool, settings: Settings,
                      console: Console) -> None:
    """`openasc users add`: read the password (prompt twice, or one line of stdin), store it."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        import typer

        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    factory = session_factory(make_engine(users_db_url(settings)))
    add_user(factory, name, role, password)
    console.print(f"Added {role} {name}.")
