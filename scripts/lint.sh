#!/usr/bin/env bash
# The static checks `make lint` runs: gofmt, go vet, staticcheck and
# govulncheck. The tools and the vulnerability database are pinned here and
# fetched through the Go module proxy like any module, so that every machine
# judges the same code against the same findings and the check needs no
# other network: the database is the golang.org/x/vulndb module's OSV files
# as of the pinned commit. Bump a version below to move a check forward.
#
# Expects the environment of `scripts/ffmpeg.sh env` (cgo needs FFmpeg to
# type-check the packages that use it).
set -euo pipefail
cd "$(dirname "$0")/.."

staticcheck_version=v0.8.2                                # honnef.co/go/tools
govulncheck_version=v1.9.0                                # golang.org/x/vuln
vulndb_version=v0.0.0-20261105234957-e22db6528018         # golang.org/x/vulndb
tags=migrated_fynedo

tools="${XDG_CACHE_HOME:-$HOME/.cache}/camwall/tools"

# tool NAME PACKAGE VERSION: the path of NAME built at VERSION, built once
# per Go toolchain (a checker reads the standard library of the Go it was
# built with).
tool() {
	local dir="$tools/$1-$3-$(go env GOVERSION)"
	if [[ ! -x "$dir/$1" ]]; then
		echo "lint: installing $1 $3" >&2
		GOBIN="$dir" GOFLAGS= go install "$2@$3"
	fi
	echo "$dir/$1"
}

staticcheck=$(tool staticcheck honnef.co/go/tools/cmd/staticcheck "$staticcheck_version")
govulncheck=$(tool govulncheck golang.org/x/vuln/cmd/govulncheck "$govulncheck_version")
# `go mod download` of a module outside go.mod works only outside a module.
vulndb=$(cd "$(mktemp -d)" && GOFLAGS=-mod=mod go mod download -json "golang.org/x/vulndb@$vulndb_version" |
	sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[[ -d "$vulndb/data/osv" ]] || { echo "lint: golang.org/x/vulndb@$vulndb_version has no data/osv" >&2; exit 1; }

out=$(gofmt -l $(git ls-files '*.go'))
if [[ -n "$out" ]]; then
	echo "gofmt needed:"
	echo "$out"
	exit 1
fi
go vet -tags "$tags" ./...
"$staticcheck" -tags "$tags" ./...
"$govulncheck" -db "file://$vulndb/data/osv" -tags "$tags" ./...
