"""Users, sessions and the audit log, in a real database through SQLAlchemy.

The dashboard's accounts live apart from the warehouse: the warehouse is a DuckDB file that
a command opens alone, while sign-ins happen all day. SQLite beside the warehouse is the
default (nothing to install); a council that already runs PostgreSQL names it with
`users_db` in openasc.toml or `OPENASC_USERS_DB`, and the same tables are made there.
"""

from __future__ import annotations

import os
import tomllib
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

from openasc.config import CONFIG_NAME, Settings
from openasc.errors import OpenascError

ROLES = ("viewer", "analyst", "admin")


def now() -> datetime:
    """Naive UTC: both SQLite and PostgreSQL `timestamp without time zone` keep it as is."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now, nullable=False)


class WebSession(Base):
    """A signed-in browser. Server-side, so that signing out or disabling a user ends it."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         nullable=False)
    csrf_token: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)


class AuditEvent(Base):
    """Who did what: sign-ins (and failures, which drive throttling), exports, runs."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=now, nullable=False, index=True)
    user_name: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    detail: Mapped[str] = mapped_column(Text, default="", nullable=False)
    client: Mapped[str] = mapped_column(String(64), default="", nullable=False)


def users_db_url(settings: Settings, cwd: Path | None = None) -> str:
    """`OPENASC_USERS_DB`, else `users_db` in openasc.toml, else SQLite beside the warehouse."""
    env = os.environ.get("OPENASC_USERS_DB")
    if env:
        return env
    toml = (cwd or Path.cwd()) / CONFIG_NAME
    if toml.is_file():
        with toml.open("rb") as fh:
            data = tomllib.load(fh)
        section = data.get("openasc", data)
        if "users_db" in section:
            return str(section["users_db"])
    return f"sqlite:///{settings.warehouse.resolve()}.users.sqlite"


def make_engine(url: str) -> Engine:
    """An engine with the tables made; PostgreSQL URLs use psycopg 3."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # noqa: BLE001 - a bad URL is a user error
        raise OpenascError(f"The users database URL {url!r} is not usable: {exc}.") from exc
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_con, _record) -> None:  # noqa: ANN001
            cur = dbapi_con.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()
    try:
        Base.metadata.create_all(engine)
    except Exception as exc:  # noqa: BLE001
        raise OpenascError(f"Cannot open the users database {engine.url!r}: {exc}.") from exc
    return engine


def session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)
