#!/usr/bin/env bash
# What the browser tests (tests/e2e) need besides the dev extra's Playwright for Python:
# Debian's chromium (never a browser downloaded by Playwright) and a pinned axe-core from the
# npm registry in a project-local folder (.tools/axe). Does nothing already done.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

AXE_VERSION="4.14.1"
AXE_DIR="$ROOT/.tools/axe"

say "Checking the test browser (Debian's chromium) and npm"
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v npm >/dev/null 2>&1 || need+=(npm)
[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"

if [ ! -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ] || \
   ! grep -q "\"version\": \"$AXE_VERSION\"" "$AXE_DIR/node_modules/axe-core/package.json"; then
  say "Installing axe-core $AXE_VERSION into .tools/axe (npm)"
  mkdir -p "$AXE_DIR"
  npm install --silent --no-audit --no-fund --prefix "$AXE_DIR" "axe-core@$AXE_VERSION"
fi
