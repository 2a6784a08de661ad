#!/usr/bin/env bash
# Sourced by the scripts that fetch from a Debian archive (deb-test.sh,
# sysroot-arm64.sh): the one place that finds which mirror to use.
#
#   debian_mirror SUITE   prints the URI of the Debian mirror of this machine's
#                         own apt sources that carries SUITE's main component,
#                         or CAMWALL_DEBIAN_MIRROR when it is set
#
# No registry is hard-coded and the system's apt configuration is only read.
# The caller defines die().

debian_mirror() {
	local suite=${1:?debian_mirror SUITE}
	if [[ -n "${CAMWALL_DEBIAN_MIRROR:-}" ]]; then
		echo "$CAMWALL_DEBIAN_MIRROR"
		return
	fi
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
