"""Dashboard accounts: `openasc users add`, argon2 hashes, and the same tables on PostgreSQL.

The PostgreSQL test starts a private server (Debian's postgresql, scripts/install-postgres.sh)
with initdb and pg_ctl, as a non-root user, in a temporary folder on a free loopback port,
and stops it afterwards.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from openasc.web import security
from openasc.web.db import AuditEvent, User, make_engine, session_factory
from openasc.web.users import add_user, check_password
from web_fixtures import free_port


def run_cli(args: list[str], cwd: Path, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "openasc.cli", *args], input=stdin,
                          capture_output=True, text=True, cwd=cwd, env=dict(os.environ),
                          timeout=60)


def test_users_add_from_stdin_stores_an_argon2_hash(workdir: Path):
    r = run_cli(["--warehouse", "w.duckdb", "users", "add", "--role", "admin", "ada",
                 "--password-stdin"], workdir, "a-long-password-1\n")
    assert r.returncode == 0, r.stderr
    db = workdir / "w.duckdb.users.sqlite"
    assert db.exists()
    with session_factory(make_engine(f"sqlite:///{db}"))() as s:
        user = s.scalar(select(User).where(User.name == "ada"))
    assert user.role == "admin" and user.password_hash.startswith("$argon2id$")
    assert "a-long-password-1" not in user.password_hash
    assert check_password(user.password_hash, "a-long-password-1")
    assert not check_password(user.password_hash, "a-long-password-2")


@pytest.mark.parametrize("args,stdin,needle", [
    (["--role", "boss", "ada"], "a-long-password-1\n", "Role 'boss' is not known"),
    (["--role", "viewer", "ada"], "short\n", "too short"),
    (["--role", "viewer", "ada smith"], "a-long-password-1\n", "is not allowed"),
])
def test_users_add_refuses_bad_input_without_traceback(workdir: Path, args, stdin, needle):
    r = run_cli(["--warehouse", "w.duckdb", "users", "add", *args, "--password-stdin"],
                workdir, stdin)
    assert r.returncode == 1 and needle in r.stderr and "Traceback" not in r.stderr


def test_duplicate_user_is_a_user_error(workdir: Path):
    for expected in (0, 1):
        r = run_cli(["--warehouse", "w.duckdb", "users", "add", "ada", "--password-stdin"],
                    workdir, "a-long-password-1\n")
        assert r.returncode == expected
    assert "already a user called 'ada'" in r.stderr


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """A private PostgreSQL cluster on 127.0.0.1, owned by a non-root user, removed after."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.fail("PostgreSQL is not installed: run scripts/install-postgres.sh")
    bindir = Path(found[-1]).parent
    folder = Path(tempfile.mkdtemp(prefix="openasc-pg-"))
    os.chmod(folder, 0o755)
    data = folder / "data"
    port = free_port()
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root; run the server as nobody
        shutil.chown(folder, "nobody")
        as_user = ["runuser", "-u", "nobody", "--"]
    env = {**os.environ, "LC_ALL": "C"}
    subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "postgres",
                    "--auth=trust", "-E", "UTF8", "--no-sync"], check=True,
                   capture_output=True, env=env, timeout=120)
    subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-w", "-t", "60",
                    "-l", str(folder / "log"), "-o",
                    f"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off",
                    "start"], check=True, capture_output=True, env=env, timeout=90)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast",
                        "-w", "stop"], capture_output=True, env=env, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def test_users_sessions_and_audit_on_postgresql(postgres_url: str):
    """The same code on a real PostgreSQL server: add, sign in, session lookup, throttle."""
    engine = make_engine(postgres_url)
    assert engine.dialect.name == "postgresql"
    factory = session_factory(engine)
    add_user(factory, "ann", "analyst", "analyst-password-1")
    token = security.sign_in(factory, "ann", "analyst-password-1", "127.0.0.1")
    assert token is not None
    who = security.principal_for(factory, token)
    assert who is not None and who.role == "analyst" and who.unrounded
    assert security.sign_in(factory, "ann", "wrong", "127.0.0.1") is None
    assert not security.throttled(factory, "ann", "127.0.0.1")
    for _ in range(security.MAX_FAILURES - 1):
        security.sign_in(factory, "ann", "wrong", "127.0.0.1")
    assert security.throttled(factory, "ann", "127.0.0.1")
    security.sign_out(factory, token, "ann")
    assert security.principal_for(factory, token) is None
    with factory() as db:
        actions = [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions[:2] == ["user added", "signed in"] and actions[-1] == "signed out"
    engine.dispose()
