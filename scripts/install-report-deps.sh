#!/usr/bin/env bash
# Install what `openasc report` needs to write PDF and charts: WeasyPrint (PDF with bookmarks
# and page numbers) needs Debian's pango and fonts; vl-convert renders Vega-Lite to SVG without
# a browser; pypdf reads the PDF back in the tests. Idempotent: does nothing already done.
set -euo pipefail

APT_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
PIP_PACKAGES=(weasyprint==70.0 vl-convert-python==1.9.0.post1 pypdf==7.1.0)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PY="${PYTHON:-python3}"
need_pip=()
for spec in "${PIP_PACKAGES[@]}"; do
  name="${spec%%==*}"; want="${spec##*==}"
  have="$("$PY" -m pip show "$name" 2>/dev/null | awk '/^Version:/{print $2}' || true)"
  [ "$have" = "$want" ] || need_pip+=("$spec")
done
if [ ${#need_pip[@]} -gt 0 ]; then
  "$PY" -m pip install -q "${need_pip[@]}"
fi
