#!/usr/bin/env bash
# A plain `pip install .` (no extras) into a fresh virtual environment in a temporary folder
# runs the command line and `openasc demo --no-pdf`; without --no-pdf the demo writes all
# but the PDFs and says in one sentence what to install (exit 1). No extra is installed, so
# an import that only an extra or the dev tools provide fails here.
#   bash scripts/check-plain-install.sh            the newest versions pyproject allows
#   bash scripts/check-plain-install.sh --locked   the versions in constraints.txt (CI)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
started=$SECONDS
constraints=()
[ "${1:-}" = "--locked" ] && constraints=(-c "$ROOT/constraints.txt")

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
VENV="$tmp/venv"
say "Plain install check in $tmp"
"${PYTHON:-python3}" -m venv "$VENV"
pip_install "pip install openasc (no extras) ${constraints[*]:+with constraints.txt}" \
  ${constraints[@]+"${constraints[@]}"} "$ROOT"

for dist in weasyprint fastapi pandas psycopg httpx pytest; do
  if "$VENV/bin/python" -m pip show -q "$dist" >/dev/null 2>&1; then
    die "$dist is installed by a plain install: it should be an extra."
  fi
done

cd "$tmp"
say "openasc --version: $("$VENV/bin/openasc" --version)"
say "openasc demo --no-pdf"
"$VENV/bin/openasc" demo --no-pdf --people 300 --out demo >"$tmp/demo.log" 2>&1 \
  || { cat "$tmp/demo.log" >&2; die "openasc demo --no-pdf failed on a plain install."; }
for f in local-account.html self-assessment.html measures.csv; do
  [ -s "demo/$f" ] || die "openasc demo --no-pdf did not write $f."
done

say "openasc demo (PDFs asked for, the pdf extra absent)"
rc=0
"$VENV/bin/openasc" demo --people 300 --out demo2 >"$tmp/demo2.log" 2>"$tmp/demo2.err" || rc=$?
if [ "$rc" -ne 1 ] || ! grep -q "openasc\[pdf\]" "$tmp/demo2.err" || [ ! -s demo2/local-account.html ]; then
  cat "$tmp/demo2.log" "$tmp/demo2.err" >&2
  die "without the pdf extra, openasc demo should write the HTML and exit 1 naming openasc[pdf]."
fi
say "Plain install check passed in $((SECONDS - started)) s"
