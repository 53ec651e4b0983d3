#!/usr/bin/env bash
# Set up (.venv with openasc[pdf]), then run the demo: a synthetic council all the way to its
# Local Account. Options go to `openasc demo` (e.g. --no-pdf, --people 2000).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
bash "$ROOT/scripts/setup.sh" pdf
say "Running openasc demo $*"
exec "$VENV/bin/openasc" demo "$@"
