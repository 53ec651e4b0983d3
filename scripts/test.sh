#!/usr/bin/env bash
# Set up (.venv with openasc[dev], the test browser, PostgreSQL), lint (ruff, and the layer
# contract with lint-imports), then run the tests. Options go to pytest.
#   bash scripts/test.sh           every test (what CI runs)
#   bash scripts/test.sh --quick   day-to-day: leaves out the slow tests (marked slow) and
#                                  the browser tests (tests/e2e); a few minutes
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
cd "$ROOT"

quick=0
args=()
for a in "$@"; do
  if [ "$a" = "--quick" ]; then quick=1; else args+=("$a"); fi
done

bash scripts/setup.sh dev
[ "$quick" -eq 1 ] || bash scripts/install-browser.sh
bash scripts/install-postgres.sh
bash scripts/install-spark.sh
activate_venv

say "Lint: ruff"
"$VENV/bin/ruff" check src tests benchmarks
say "Layers: lint-imports (the contract in pyproject.toml)"
"$VENV/bin/lint-imports" --no-cache

if [ "$quick" -eq 1 ]; then
  say "Tests, quick: not slow, no browser (the full suite: bash scripts/test.sh)"
  "$VENV/bin/python" -m pytest -m "not slow" --ignore=tests/e2e ${args[@]+"${args[@]}"}
else
  say "Tests: the full suite"
  # A real plain `pip install .` (scripts/check-plain-install.sh, 2-4 minutes) runs in the
  # weekly job (scripts/test-latest.sh); here tests/unit/test_extras.py checks the same
  # demo with every module outside the core dependencies made unimportable.
  "$VENV/bin/python" -m pytest ${args[@]+"${args[@]}"}
fi
