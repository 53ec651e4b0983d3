#!/usr/bin/env bash
# Set up, install the test browser (Debian's Chromium, axe-core), lint, then run every test.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/install-browser.sh
bash scripts/install-postgres.sh
python3 -m ruff check src tests benchmarks
exec python3 -m pytest "$@"
