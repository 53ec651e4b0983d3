# Shared by the set-up scripts (sourced, not run): progress lines, the project's virtual
# environment (.venv), pinned pip installs, and Debian packages installed only when missing.
# Nothing here installs into the system's Python: Debian refuses that (PEP 668), and a
# project environment keeps openasc's versions away from everything else on the machine.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${OPENASC_VENV:-$ROOT/.venv}"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore PIP_NO_INPUT=1

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# apt_install PKG...: install the Debian packages that are missing, and only those. Needs
# root only then (sudo when not root). Waits for a package lock another program holds.
apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    say "Not Debian or Ubuntu: install the equivalent of ${missing[*]} yourself (README, Set-up)."
    return 1
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "these Debian packages are missing: ${missing[*]}.
Installing them needs root and sudo is not available; as root run
  apt-get install -y ${missing[*]}
and then this script again."
    say "Installing ${missing[*]} needs root: asking sudo."
    sudo=(sudo)
  fi
  say "Installing Debian packages: ${missing[*]}"
  _apt "${sudo[@]}" update -qq
  _apt "${sudo[@]}" install -y -qq --no-install-recommends "${missing[@]}"
}

# _apt [sudo] ARGS...: apt-get, retried while another program holds the dpkg/apt lock.
_apt() {
  local pre=() try log
  [ "${1:-}" = sudo ] && { pre=(sudo); shift; }
  log="$(mktemp)"
  for try in 1 2 3 4 5 6; do
    if "${pre[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=20 "$@" \
        </dev/null >"$log" 2>&1; then
      rm -f "$log"; return 0
    fi
    if grep -qiE 'could not get lock|unable to (acquire|lock)|lock-frontend|is held by' "$log"
    then
      say "The package manager is busy (another apt or dpkg holds its lock); waiting 20 s, try $try of 6."
      sleep 20
    else
      cat "$log" >&2; rm -f "$log"; die "apt-get $* failed (above)."
    fi
  done
  rm -f "$log"
  die "the package manager stayed locked for over 4 minutes; finish the other installation
(or reboot) and run this script again."
}

# ensure_venv: create .venv if it is missing or broken, else reuse it.
ensure_venv() {
  local py="${PYTHON:-python3}"
  if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import pip" >/dev/null 2>&1; then
    say "Using the virtual environment $VENV ($("$VENV/bin/python" -V))"
    return 0
  fi
  command -v "$py" >/dev/null 2>&1 || die "no $py: install Python 3.11 or newer (README, Set-up)."
  "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "$py is $("$py" -V 2>&1); openasc needs Python 3.11 or newer (set PYTHON=python3.12 to choose)."
  if ! "$py" -c "import ensurepip, venv" >/dev/null 2>&1; then
    say "Python's venv module is missing (Debian and Ubuntu ship it separately)."
    apt_install python3-venv || die "install Python's venv module, then run this again."
  fi
  say "Creating the virtual environment $VENV ($("$py" -V))"
  rm -rf "$VENV"
  "$py" -m venv "$VENV"
}

# activate_venv: put .venv first on PATH, as `source .venv/bin/activate` would (some tests run
# the `openasc` command by name).
activate_venv() {
  export VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH"
}

# pip_install DESCRIPTION ARGS...: pip into .venv, one line per package it fetches, the
# full log in .venv/pip.log (its end shown when pip fails).
pip_install() {
  local what="$1" log="$VENV/pip.log" line rc
  shift
  say "$what"
  set +e
  "$VENV/bin/python" -m pip install --progress-bar off "$@" 2>&1 | tee "$log" |
    while IFS= read -r line; do
      case "$line" in
        Collecting*) line="${line#Collecting }"; printf '    fetching %s\n' "${line%% *}" ;;
        "Successfully installed"*)
          printf '    installed %s packages\n' "$(wc -w <<<"${line#Successfully installed}" | tr -d ' ')" ;;
      esac
    done
  rc=${PIPESTATUS[0]}
  set -e
  if [ "$rc" -ne 0 ]; then
    tail -n 30 "$log" >&2
    die "pip failed (full log: $log)."
  fi
}
