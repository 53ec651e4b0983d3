#!/usr/bin/env bash
# Install what the PostgreSQL tests of the dashboard's users database need: Debian's
# postgresql server (the tests start a private cluster with initdb/pg_ctl as a non-root user
# in a temporary folder on a loopback port, and stop it after) and the pinned psycopg driver.
# Idempotent: does nothing already done.
set -euo pipefail

PSYCOPG_VERSION="3.3.9"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql
fi

PY="${PYTHON:-python3}"
have="$("$PY" -m pip show psycopg 2>/dev/null | awk '/^Version:/{print $2}' || true)"
if [ "$have" != "$PSYCOPG_VERSION" ]; then
  "$PY" -m pip install -q "psycopg[binary]==$PSYCOPG_VERSION"
fi
