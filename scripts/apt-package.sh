# Sourced by the scripts that install a Debian package a test suite needs (ensure-chromium.sh, ensure-sklearn.sh).
# `ensure_apt_package TOOL PACKAGE CHECK...` returns at once when the command CHECK succeeds; otherwise it installs
# Debian's PACKAGE with apt-get, which needs root (as in CI), and checks again. It fails with one clear line naming
# TOOL when it cannot: a test that needs the package must fail, never skip.

ensure_apt_package() {
  local tool=$1 package=$2
  shift 2

  if "$@" >/dev/null 2>&1; then
    return 0
  fi

  fail() {
    echo "$tool: $1" >&2
    exit 1
  }

  command -v apt-get >/dev/null 2>&1 \
    || fail "Debian's $package is missing and apt-get is not available; install $package"

  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 \
      || fail "Debian's $package is missing and installing it needs root (run: apt-get install -y --no-install-recommends $package)"
    sudo="sudo -n"
  fi

  # Two test runs starting at once must not race on apt's lock: the second waits, then finds the package installed.
  if command -v flock >/dev/null 2>&1; then
    exec 9>"${TMPDIR:-/tmp}/isoforest-apt.lock"
    flock 9
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
  fi

  echo "$tool: installing Debian's $package (once) ..." >&2
  local log
  log=$(mktemp)
  export DEBIAN_FRONTEND=noninteractive
  if ! $sudo apt-get update -qq >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    fail "apt-get update failed (see above)"
  fi
  if ! $sudo apt-get install -y -qq --no-install-recommends "$package" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    rm -f "$log"
    fail "apt-get install $package failed (see above)"
  fi
  rm -f "$log"

  "$@" >/dev/null 2>&1 || fail "apt-get installed $package but '$*' still fails"
  echo "$tool: Debian's $package installed" >&2
}
