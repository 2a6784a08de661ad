#!/usr/bin/env bash
# Runs a Windows program in camwall's test Wine prefix (scripts/wine-prefix.sh
# makes it), then ends the prefix's wineserver, and with it any Windows
# process left, and exits with the program's exit code.
#
#   scripts/wine-run.sh PREFIX PROGRAM.exe [ARG...]
set -euo pipefail
prefix=$(realpath "${1:?usage: wine-run.sh PREFIX PROGRAM.exe [ARG...]}")
shift
export WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
trap 'wineserver -k 2>/dev/null || true' EXIT
code=0
wine "$@" || code=$?
exit "$code"
