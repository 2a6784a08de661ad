#!/usr/bin/env bash
# Makes the private Wine prefix camwall's Windows tests run in (make
# test-windows, make dist's archive test), once, and prints its path.
#
#   scripts/wine-prefix.sh [PREFIX]   default: $CAMWALL_WINEPREFIX, else out/wine
#
# Creating a prefix takes tens of seconds, so it is kept; a marker file says
# it is complete, so an interrupted creation starts again. The prefix gets the
# test harness's bcryptprimitives.dll (scripts/wine/bcryptprimitives.c), which
# Go programs need and Wine 8.0 lacks; it is never shipped.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=$(realpath -m "${1:-${CAMWALL_WINEPREFIX:-out/wine}}")
marker="$prefix/.camwall-ready"
dll=scripts/wine/bcryptprimitives.c

export WINEPREFIX="$prefix" WINEDEBUG=-all WINEARCH=win64
# No Mono or Gecko: their installers would ask, and camwall needs neither.
export WINEDLLOVERRIDES="mscoree,mshtml="

if [[ ! -f "$marker" || "$marker" -ot "$dll" ]]; then
	command -v wine >/dev/null || { echo "wine-prefix: wine not found: run scripts/deps.sh --windows" >&2; exit 1; }
	if [[ ! -f "$marker" ]]; then
		rm -rf "$prefix"
		mkdir -p "$(dirname "$prefix")"
		echo "wine-prefix: creating $prefix" >&2
		wine wineboot --init >/dev/null 2>&1
		# wineboot returns before the prefix is written out; wineserver -w waits
		# for the prefix's server to end, which it does once everything is saved.
		wineserver -w
	fi
	x86_64-w64-mingw32-gcc -shared -O2 -s -o "$prefix/drive_c/windows/system32/bcryptprimitives.dll" "$dll" -ladvapi32
	touch "$marker"
fi
echo "$prefix"
