#!/usr/bin/env bash
# Set up, then run the demo: a synthetic council all the way to its Local Account.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"
exec openasc demo "$@"
