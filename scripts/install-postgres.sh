#!/usr/bin/env bash
# What the PostgreSQL tests of the dashboard's users database need besides the postgres
# extra's psycopg: Debian's postgresql server (the tests start a private cluster with
# initdb/pg_ctl as a non-root user in a temporary folder on a loopback port, and stop it
# after). Does nothing already done.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

say "Checking the PostgreSQL server for the users-database tests"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt_install postgresql
fi
