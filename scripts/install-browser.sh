#!/usr/bin/env bash
# Install what the accessibility tests need: Debian's chromium (never a browser downloaded by
# Playwright), Playwright for Python to drive it, and a pinned axe-core from the npm registry
# in a project-local folder (.tools/axe). Idempotent: does nothing already done.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AXE_VERSION="4.14.1"
PLAYWRIGHT_VERSION="1.65.2"
AXE_DIR="$ROOT/.tools/axe"

if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium
fi

PY="${PYTHON:-python3}"
have="$("$PY" -m pip show playwright 2>/dev/null | awk '/^Version:/{print $2}' || true)"
if [ "$have" != "$PLAYWRIGHT_VERSION" ]; then
  "$PY" -m pip install -q "playwright==$PLAYWRIGHT_VERSION"
fi

if [ ! -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ] || \
   ! grep -q "\"version\": \"$AXE_VERSION\"" "$AXE_DIR/node_modules/axe-core/package.json"; then
  mkdir -p "$AXE_DIR"
  npm install --silent --no-audit --no-fund --prefix "$AXE_DIR" "axe-core@$AXE_VERSION"
fi
