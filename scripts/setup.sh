#!/usr/bin/env bash
# Set up openasc in the project's virtual environment .venv (created if missing, reused
# otherwise): the package with an extra (default dev: everything the tests need; demo.sh asks
# for pdf), every Python package at the version in constraints.txt, and the Debian packages
# WeasyPrint needs for PDFs (only those missing; root or sudo only then). Safe to run again:
# nothing is reinstalled while pyproject.toml and constraints.txt are unchanged.
#   bash scripts/setup.sh [dev|pdf|web|postgres]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
EXTRA="${1:-dev}"
cd "$ROOT"

ensure_venv
stamp="$(cat pyproject.toml constraints.txt | "$VENV/bin/python" -c \
  'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"
# dev includes every other extra, so a .venv set up for the tests serves the demo too.
if [ "$(cat "$VENV/.openasc-$EXTRA" 2>/dev/null)" = "$stamp" ] || \
   [ "$(cat "$VENV/.openasc-dev" 2>/dev/null)" = "$stamp" ]; then
  say "openasc[$EXTRA] is installed in .venv and up to date"
else
  pip_install "Installing openasc[$EXTRA] and its dependencies at the versions in constraints.txt" \
    -c constraints.txt -e ".[$EXTRA]"
  echo "$stamp" > "$VENV/.openasc-$EXTRA"
fi

case "$EXTRA" in
  dev) bash "$ROOT/scripts/install-report-deps.sh" ;;
  pdf) bash "$ROOT/scripts/install-report-deps.sh" \
         || say "Carrying on without them: the demo writes everything but the PDFs." ;;
esac
