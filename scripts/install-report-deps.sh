#!/usr/bin/env bash
# The system libraries WeasyPrint needs to write PDFs (the pdf extra): pango, HarfBuzz's
# subsetter and a font, from Debian or Ubuntu, installed only when missing. Charts need
# nothing here (vl-convert is a Python wheel). Elsewhere see the README's "PDF reports".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
if command -v dpkg-query >/dev/null 2>&1; then
  say "Checking the PDF renderer's system libraries (${PACKAGES[*]})"
  apt_install "${PACKAGES[@]}"
else
  say "Not Debian or Ubuntu: PDFs need pango (README, \"PDF reports\"); skipping this step."
fi
