#!/usr/bin/env bash
# Everything the tests need on a fresh machine with Python >= 3.11: the project with its test
# extra, and Debian's chromium for the HTML report's tests in a real headless browser (installed
# only where missing; as root, or through sudo). The README's test command and .ci/run call it.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install '.[test]'
if ! command -v chromium >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
