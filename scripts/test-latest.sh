#!/usr/bin/env bash
# The full test suite on the newest versions pyproject.toml allows, ignoring constraints.txt,
# in its own virtual environment (.venv-latest, so .venv keeps the lock). Run weekly by
# .github/workflows/latest.yml: a new release of DuckDB (or any dependency) that changes an
# answer fails here before anyone moves the lock. Options go to pytest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
VENV="$ROOT/.venv-latest"
export OPENASC_VENV="$VENV"
cd "$ROOT"

ensure_venv
pip_install "Upgrading pip in .venv-latest" -U pip
pip_install "Installing openasc[dev] at the newest allowed versions (no constraints.txt)" \
  -U --upgrade-strategy eager -e ".[dev]"
"$VENV/bin/python" -m pip freeze --exclude-editable > "$VENV/versions.txt"
say "Versions (all in .venv-latest/versions.txt): $(grep -iE '^(duckdb|pyarrow|numpy|weasyprint|fastapi)==' "$VENV/versions.txt" | tr '\n' ' ')"
say "Differences from constraints.txt:"
diff <(grep -v '^#' constraints.txt | tr 'A-Z_' 'a-z-' | sort) \
     <(tr 'A-Z_' 'a-z-' < "$VENV/versions.txt" | sort) | grep -E '^[<>]' | sed 's/^/    /' || true

bash scripts/install-report-deps.sh
bash scripts/install-browser.sh
bash scripts/install-postgres.sh
activate_venv

say "Lint: ruff"
"$VENV/bin/ruff" check src tests benchmarks
say "Layers: lint-imports"
"$VENV/bin/lint-imports" --no-cache
say "Tests: the full suite on the newest versions"
"$VENV/bin/python" -m pytest "$@"
bash scripts/check-plain-install.sh
