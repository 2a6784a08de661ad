#!/usr/bin/env bash
# Tries camwall's Debian package in a throw-away Debian root, never on this
# machine itself (make dist):
#
#   1. dpkg -i into a fresh root that holds only Debian's apt variant, the
#      package's Depends and systemd (for systemd-analyze);
#   2. every file is where it belongs; the installed /usr/bin/camwall resolves
#      its libraries, prints --help, and `probe` against a closed port fails
#      as it should; the manual page names every flag --help lists;
#   3. the kiosk unit passes systemd-analyze verify, and its ExecStart command
#      line draws a kiosk wall (camwall's demo) under a private Xvfb of this
#      machine's, one screenshot (--capture);
#   4. dpkg -r leaves nothing of the package behind.
#
# The root is built once by mmdebstrap from the Debian mirror of this
# machine's own apt sources (or CAMWALL_DEBIAN_MIRROR) and cached as a
# tarball in ~/.cache/camwall keyed by suite, architecture and package list;
# later runs only unpack it. Needs root (chroot, mount) or sudo.
#
#   scripts/deb-test.sh DEB
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "deb-test: $*" >&2; }
die() { log "error: $*"; exit 1; }

deb=${1:?usage: deb-test.sh DEB}
[[ -f "$deb" ]] || die "no package at $deb"
deb=$(realpath "$deb")
if [[ $(id -u) -ne 0 ]]; then
	command -v sudo >/dev/null || die "needs root (chroot and mount) or sudo"
	exec sudo -n --preserve-env=CI,CAMWALL_DEBIAN_MIRROR,CAMWALL_DEB_SUITE,CAMWALL_CACHE,XDG_CACHE_HOME "$0" "$deb"
fi
for tool in mmdebstrap chroot Xvfb dpkg-deb; do
	command -v "$tool" >/dev/null || die "$tool missing (make deps-deb installs it)"
done
export LC_ALL=C DEBIAN_FRONTEND=noninteractive

suite=${CAMWALL_DEB_SUITE:-bookworm}
arch=$(dpkg-deb -f "$deb" Architecture)
[[ "$arch" == "$(dpkg --print-architecture)" ]] ||
	die "$deb is for $arch: it can only be tried on an $arch machine (this one is $(dpkg --print-architecture))"

# The Debian mirror of this machine's apt sources that carries $suite's main.
mirror_uri() {
	if [[ -n "${CAMWALL_DEBIAN_MIRROR:-}" ]]; then echo "$CAMWALL_DEBIAN_MIRROR"; return; fi
	local f uri=""
	shopt -s nullglob
	for f in /etc/apt/sources.list.d/*.sources; do
		# deb822 stanzas, blank-line separated: Types deb, Suites with $suite,
		# Components with main.
		uri=$(awk -v suite="$suite" '
			function flush() { if (deb && s && m && u != "") { print u; found = 1; exit } deb = s = m = 0; u = "" }
			/^[ \t]*$/ { flush(); next }
			tolower($1) == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
			tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == suite) s = 1 }
			tolower($1) == "components:" { for (i = 2; i <= NF; i++) if ($i == "main") m = 1 }
			tolower($1) == "uris:" { u = $2 }
			END { if (!found) flush() }' "$f")
		[[ -n "$uri" ]] && break
	done
	if [[ -z "$uri" ]]; then
		for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
			[[ -f "$f" ]] || continue
			# deb [options] URI SUITE COMPONENT...
			uri=$(sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk -v suite="$suite" '
				$1 == "deb" && $3 == suite { for (i = 4; i <= NF; i++) if ($i == "main") { print $2; exit } }')
			[[ -n "$uri" ]] && break
		done
	fi
	[[ -n "$uri" ]] || die "no Debian mirror for $suite main in /etc/apt/sources.list or /etc/apt/sources.list.d/*.sources|*.list: set CAMWALL_DEBIAN_MIRROR to a Debian archive URI (and CAMWALL_DEB_SUITE for a suite other than $suite)"
	echo "$uri"
}

# The package's Depends without versions, and systemd for systemd-analyze.
mapfile -t pkgs < <({ dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/(.*)//; s/|.*//; s/ //g'; echo systemd; } | grep . | sort -u)
cache=${CAMWALL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/camwall}
key=$(printf '%s\n' "mmdebstrap apt $suite $arch" "${pkgs[@]}" | sha256sum | cut -c1-12)
tarball=$cache/debroot-$suite-$arch-$key.tar
t0=$SECONDS

work=$(mktemp -d)
root=$work/root
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	mountpoint -q "$root/proc" && umount -l "$root/proc"
	# --one-file-system: never into a mount left behind.
	rm -rf --one-file-system "$work"
}
trap cleanup EXIT

if [[ ! -f "$tarball" ]]; then
	mirror=$(mirror_uri)
	log "building the throw-away root ($suite $arch: ${pkgs[*]}) from $mirror into $tarball, once"
	mkdir -p "$cache"
	mmdebstrap --quiet --variant=apt --architectures="$arch" --include="$(IFS=,; echo "${pkgs[*]}")" \
		"$suite" "$work/root.tar" "$mirror" </dev/null >&2 || die "mmdebstrap failed"
	mv "$work/root.tar" "$tarball"
	log "built the root in $((SECONDS - t0)) s"
fi
t1=$SECONDS
mkdir -p "$root"
tar -C "$root" -xf "$tarball"
log "unpacked the cached root $tarball in $((SECONDS - t1)) s"
mount -t proc proc "$root/proc"
in_root() { chroot "$root" "$@" </dev/null; }

# 1. Install.
cp "$deb" "$root/tmp/camwall.deb"
in_root dpkg -i /tmp/camwall.deb >"$work/dpkg-i.log" 2>&1 || { cat "$work/dpkg-i.log" >&2; die "dpkg -i failed"; }
# dpkg-query's own field syntax, not the shell's.
# shellcheck disable=SC2016
status_fmt='${db:Status-Abbrev}'
[[ $(in_root dpkg-query -W -f="$status_fmt" camwall) == "ii " ]] || die "camwall is not installed after dpkg -i"
in_root dpkg -L camwall >"$work/files"
log "installed $(basename "$deb") ($(wc -l <"$work/files") paths)"

# 2. The files, the binary, its libraries, its manual.
for f in /usr/bin/camwall /usr/share/applications/camwall.desktop /usr/share/icons/hicolor/256x256/apps/camwall.png \
	/usr/lib/systemd/user/camwall-kiosk.service /usr/share/man/man1/camwall.1.gz /usr/share/doc/camwall/copyright \
	/usr/share/doc/camwall/changelog.gz /usr/share/doc/camwall/README.md.gz /usr/share/doc/camwall/THIRD_PARTY_NOTICES.txt.gz \
	/usr/share/doc/camwall/examples/camwall-autostart.desktop /usr/share/lintian/overrides/camwall; do
	grep -qx "$f" "$work/files" || die "the package lacks $f"
	[[ -f "$root$f" ]] || die "$f is not installed"
done
[[ -x "$root/usr/bin/camwall" ]] || die "/usr/bin/camwall is not executable"
if in_root ldd /usr/bin/camwall | grep 'not found' >&2; then die "/usr/bin/camwall lacks libraries in a root holding only its Depends"; fi
help=$(in_root /usr/bin/camwall --help 2>&1) || die "camwall --help failed: $help"
grep -q '^usage: camwall' <<<"$help" || die "camwall --help printed no usage: $help"
man=$(zcat "$root/usr/share/man/man1/camwall.1.gz" | sed 's/\\-/-/g')
while read -r flag; do
	grep -q -- "--$flag" <<<"$man" || die "the manual page lacks --$flag"
done < <(sed -n 's/^  -\([a-z-]*\).*/\1/p' <<<"$help")
# Nothing listens on port 1: probe must say so and fail, not crash.
rc=0
out=$(in_root timeout 30 /usr/bin/camwall probe rtsp://127.0.0.1:1/none --timeout 5s 2>&1) || rc=$?
[[ $rc -ne 0 && $rc -lt 124 ]] || die "camwall probe against a closed port exited $rc: $out"
grep -qi 'refused' <<<"$out" || die "camwall probe against a closed port did not say it was refused: $out"
log "/usr/bin/camwall runs in the root: --help, the manual's flags, probe against a closed port (exit $rc, refused)"

# 3. The kiosk unit: systemd's own check, then its command line, drawing.
unit=/usr/lib/systemd/user/camwall-kiosk.service
mkdir -m 700 "$root/tmp/runtime"
out=$(in_root env XDG_RUNTIME_DIR=/tmp/runtime systemd-analyze --user verify "$unit" 2>&1) || die "systemd-analyze verify $unit: $out"
[[ -z "$out" ]] || die "systemd-analyze verify $unit warns: $out"
for want in 'ExecStart=/usr/bin/camwall --kiosk' Restart=always Type=notify WatchdogSec=30; do
	grep -qx "$want" "$root$unit" || die "$unit lacks $want"
done
read -r -a cmd < <(sed -n 's/^ExecStart=//p' "$root$unit")
exec 3< <(Xvfb -displayfd 1 -screen 0 1920x1080x24 -nolisten tcp 2>/dev/null)
pids+=($!)
read -r -t 30 display <&3 || die "Xvfb did not start"
# The root shares this machine's network, so its X clients reach Xvfb's
# abstract socket (@/tmp/.X11-unix/X$display) with no bind mount.
mkdir -p "$root/tmp/home/shots"
rc=0
in_root env -i PATH=/usr/bin:/bin HOME=/tmp/home XDG_CONFIG_HOME=/tmp/home/.config DISPLAY=":$display" \
	timeout 90 "${cmd[@]}" --config /tmp/home/none.yaml --capture /tmp/home/shots --capture-count 1 >"$work/kiosk.log" 2>&1 || rc=$?
shots=("$root"/tmp/home/shots/*.png)
[[ $rc -eq 0 && -s "${shots[0]}" ]] || { cat "$work/kiosk.log" >&2; die "the unit's ExecStart (${cmd[*]}) did not draw a wall (exit $rc)"; }
log "kiosk unit: systemd-analyze verify passes; '${cmd[*]}' draws the demo wall under Xvfb ($(file -b "${shots[0]}" | cut -d, -f1-2))"

# 4. Remove: nothing of the package stays.
in_root dpkg -r camwall >"$work/dpkg-r.log" 2>&1 || { cat "$work/dpkg-r.log" >&2; die "dpkg -r failed"; }
status=$(in_root dpkg-query -W -f="$status_fmt" camwall 2>/dev/null || true)
[[ -z "$status" || "$status" == un* ]] || die "dpkg says camwall is '$status' after dpkg -r, not 'not installed'"
left=()
while read -r p; do
	[[ -e "$root$p" || -L "$root$p" ]] || continue
	# A folder the package shared with others may stay, if not empty.
	if [[ -d "$root$p" && ! -L "$root$p" ]] && [[ -n "$(ls -A "$root$p")" ]]; then continue; fi
	left+=("$p")
done <"$work/files"
[[ ${#left[@]} -eq 0 ]] || die "dpkg -r left behind: ${left[*]}"
log "dpkg -r camwall removed all $(wc -l <"$work/files") paths; dpkg says it is not installed"
log "package tested in $((SECONDS - t0)) s"
