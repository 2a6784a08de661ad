#!/usr/bin/env bash
# Checks that a Windows build of camwall is one file that needs only Windows'
# own DLLs: a PE32+ (x86-64) program importing no FFmpeg DLL and no MinGW
# runtime DLL (libgcc, libwinpthread, libstdc++ — every MinGW DLL is lib*).
#
#   scripts/check-windows-exe.sh bin/camwall.exe
set -euo pipefail
exe=${1:?usage: check-windows-exe.sh EXE}

file -b "$exe" | grep -q '^PE32+ executable.*x86-64' || { echo "check-windows-exe: $exe is not a PE32+ x86-64 program: $(file -b "$exe")" >&2; exit 1; }
dlls=$(x86_64-w64-mingw32-objdump -p "$exe" | sed -n 's/^[[:space:]]*DLL Name: //p' | sort -fu)
bad=$(grep -i -E '^(lib|av|sw|postproc|zlib)' <<<"$dlls" || true)
if [[ -n "$bad" ]]; then
	echo "check-windows-exe: $exe needs DLLs Windows does not have:" >&2
	echo "$bad" >&2
	exit 1
fi
echo "check-windows-exe: $exe imports only $(tr '\n' ' ' <<<"$dlls")" >&2
