#!/usr/bin/env bash
# Makes sure a headless Chromium exists at /usr/bin/chromium for the browser tests (report, web and consumers).
# Idempotent: does nothing when the binary is already there; installs Debian's `chromium` package otherwise.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apt-package.sh"

ensure_apt_package ensure-chromium chromium test -x /usr/bin/chromium
