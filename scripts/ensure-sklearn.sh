#!/usr/bin/env bash
# Makes sure Debian's Python has scikit-learn, for the test of tools/export_sklearn.py (packages/cli). It is Debian's
# /usr/bin/python3 on purpose: its python3-sklearn is the scikit-learn the test pins, whatever else is on PATH.
# Idempotent: does nothing when the module imports; installs Debian's `python3-sklearn` package otherwise.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apt-package.sh"

ensure_apt_package ensure-sklearn python3-sklearn /usr/bin/python3 -c 'import sklearn'
