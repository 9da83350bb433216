#!/usr/bin/env bash
# Makes sure a headless Chromium exists at /usr/bin/chromium for the browser tests (report and web).
# Idempotent: does nothing when the binary is already there. Installs Debian's `chromium` package otherwise,
# which needs root (as in CI). Fails with one clear line when it cannot.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

fail() {
  echo "ensure-chromium: $1" >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 \
  || fail "$CHROMIUM is missing and apt-get is not available; install Chromium so that $CHROMIUM exists"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 \
    || fail "$CHROMIUM is missing and installing it needs root (run: apt-get install -y --no-install-recommends chromium)"
  SUDO="sudo -n"
fi

# Two test runs starting at once must not race on apt's lock: the second waits, then finds Chromium installed.
if command -v flock >/dev/null 2>&1; then
  exec 9>"${TMPDIR:-/tmp}/ensure-chromium.lock"
  flock 9
  [ -x "$CHROMIUM" ] && exit 0
fi

echo "ensure-chromium: installing Debian's chromium (once) ..." >&2
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get update -qq >"$LOG" 2>&1; then
  cat "$LOG" >&2
  fail "apt-get update failed (see above)"
fi
if ! $SUDO apt-get install -y -qq --no-install-recommends chromium >"$LOG" 2>&1; then
  tail -n 20 "$LOG" >&2
  fail "apt-get install chromium failed (see above)"
fi

[ -x "$CHROMIUM" ] || fail "apt-get installed chromium but $CHROMIUM does not exist"
echo "ensure-chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM") installed" >&2
