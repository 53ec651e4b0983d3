#!/usr/bin/env bash
# Set up openasc on a fresh machine (Python, pip and gcc): the package and its pinned Python
# dependencies, and the Debian packages the PDF renderer needs. Safe to run again.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
cd "$ROOT"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
"$PY" -m pip install -q -c constraints.txt -e ".[dev]"
bash "$ROOT/scripts/install-report-deps.sh"
