#!/usr/bin/env bash
# Everything the tests need on a fresh machine with Python >= 3.11: the project with its test
# extra, Debian's chromium for the HTML report's tests in a real headless browser, and Debian's
# Java runtime for the Timefold peer's tests (each installed only where missing; as root, or
# through sudo). The README's test command and .ci/run call it.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install '.[test]'
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086 # the package names are meant to split
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi
