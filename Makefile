# camwall — the two commands a new machine needs are `make run` and
# `make test`; each installs what is missing first (see README.md).
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

GO     ?= go
# The Go toolchain every target builds with, fetched by the go command through
# the module proxy on first use (about 76 MB, once). 1.27.3 is the release that
# fixes the standard library's known vulnerabilities (govulncheck, make lint);
# go.mod keeps the language at 1.26.
export GOTOOLCHAIN := go1.27.3
TAGS   := migrated_fynedo
BIN    := bin/camwall
# FFmpeg 8: the system's when pkg-config finds libavcodec 62, otherwise the
# project's own static build (built once into ~/.cache/camwall).
FFENV  := eval "$$(scripts/ffmpeg.sh env)"
# Xvfb screen for tests: large enough for the 1280x720 window.
XVFB   := xvfb-run -a -s "-screen 0 1920x1080x24"

# The Windows build: FFmpeg cross-built with mingw-w64 (scripts/ffmpeg-windows.sh),
# cgo with mingw, one static .exe.
WINBIN := bin/camwall.exe
WINENV := eval "$$(scripts/ffmpeg-windows.sh env)"
WINRES := rsrc_windows_amd64.syso
WINEPREFIX_DIR := $(CURDIR)/out/wine
# Release version: FyneApp.toml's, and the commit after it unless HEAD is
# tagged vVERSION.
APPVERSION := $(shell sed -n 's/^Version = "\(.*\)"/\1/p' FyneApp.toml)
APPBUILD   := $(shell sed -n 's/^Build = \([0-9]*\)/\1/p' FyneApp.toml)
VERSION    := $(shell git describe --tags --exact-match --match 'v$(APPVERSION)' >/dev/null 2>&1 && echo $(APPVERSION) || echo $(APPVERSION)-$$(git describe --always --dirty 2>/dev/null || echo unknown))

.PHONY: build run test bench soak screenshots deps deps-test deps-windows deps-deb ffmpeg ffmpeg-windows mediamtx lint clean windows test-windows dist

deps:
	scripts/deps.sh

deps-test:
	scripts/deps.sh --test

deps-windows:
	scripts/deps.sh --test --windows

# The Debian package (make dist): lintian, desktop-file-validate, mmdebstrap
# for the throw-away root it is tried in, Xvfb for its window.
deps-deb:
	scripts/deps.sh --test --deb

ffmpeg: deps
	scripts/ffmpeg.sh

ffmpeg-windows: deps-windows
	scripts/ffmpeg-windows.sh

# mediamtx, the RTSP relay the benchmarks and tests run between camwall and
# its cameras (playtest.StartMediaMTX), built once into ~/.cache/camwall.
mediamtx:
	scripts/mediamtx.sh build

# A position-independent executable (ASLR), as Debian builds its programs:
# lintian refuses the .deb otherwise (make dist).
build: deps ffmpeg
	$(FFENV) && $(GO) build -tags $(TAGS) -trimpath -buildmode=pie -o $(BIN) .

# Plays the built-in demo cameras; pass cameras with ARGS="rtsp://… rtsp://…".
run: build
	./$(BIN) $(ARGS)

# gofmt, go vet, staticcheck and govulncheck, at the versions pinned in the
# script.
lint: deps-test ffmpeg
	$(FFENV) && scripts/lint.sh

test: deps-test build lint
	$(FFENV) && CAMWALL_BIN=$(CURDIR)/$(BIN) $(XVFB) $(GO) test -race -tags $(TAGS) -count=1 -timeout 20m ./...

# Headless benchmarks, and the window benchmark: the built binary in a real
# X window under Xvfb, against Debian's ffplay (see BENCHMARKS.md).
bench: deps-test build mediamtx
	$(FFENV) && $(GO) build -tags $(TAGS) -trimpath -o bin/barewall ./app/barewall
	$(FFENV) && CAMWALL_BIN=$(CURDIR)/$(BIN) CAMWALL_BAREWALL_BIN=$(CURDIR)/bin/barewall $(XVFB) $(GO) test -tags $(TAGS) -run '^$$' -bench . -benchtime 1x -timeout 60m ./...

# The fault-injection soak (player/soak): 16 cameras from a server process,
# a random fault every few seconds, for SOAK (SOAK=5m make soak); it holds
# every camera to live again within 2 s of its fault's end and prints the
# figures that go to BENCHMARKS.md. The run bounds each of its own waits;
# -timeout only stops a run that hangs regardless.
SOAK ?= 10m
soak: deps-test ffmpeg
	$(FFENV) && SOAK=$(SOAK) $(GO) test -tags $(TAGS) -count=1 -run '^TestSoak$$' -v -timeout 24h ./player/soak/

# The README's screenshots, from the real binary under Xvfb, into
# docs/screenshots/ (generated, so not in git).
screenshots: deps-test build
	$(FFENV) && scripts/screenshots.sh

# bin/camwall.exe: a GUI program (no console window) with the icon and the
# version in its resources, needing only Windows' own DLLs (checked).
windows: deps-windows ffmpeg-windows
	$(GO) run ./scripts/winres -icon assets/icon.png -version $(APPVERSION) -build $(APPBUILD) -display-version $(VERSION) -out out/winres
	x86_64-w64-mingw32-windres -O coff -i out/winres/camwall.rc -o $(WINRES)
	$(WINENV) && $(GO) build -tags $(TAGS) -trimpath -ldflags "-H=windowsgui -extldflags=-static" -o $(WINBIN) .
	scripts/check-windows-exe.sh $(WINBIN)

# The .exe under Wine (private prefix in out/wine): the sub-commands against
# the project's RTSP server and the window under Xvfb (wine_test.go), and the
# storage package's tests cross-compiled (Windows folders and file names;
# tests that clean up with t.TempDir fail under Wine 8.0, whose NTFS
# emulation lacks the delete Go's os.RemoveAll uses, so only these run).
test-windows: windows
	scripts/wine-prefix.sh $(WINEPREFIX_DIR) >/dev/null
	$(WINENV) && $(GO) test -c -tags $(TAGS) -trimpath -ldflags "-extldflags=-static" -o out/storage.test.exe ./storage
	scripts/wine-run.sh $(WINEPREFIX_DIR) out/storage.test.exe -test.count=1 -test.run 'Windows|NTFS|SanitizeName|HomeRelative'
	$(FFENV) && CAMWALL_WINDOWS_EXE=$(CURDIR)/$(WINBIN) CAMWALL_WINEPREFIX=$(WINEPREFIX_DIR) $(XVFB) $(GO) test -tags $(TAGS) -count=1 -v -timeout 15m -run '^TestWindowsExeUnderWine$$' .

# dist/camwall-VERSION-linux-amd64.tar.xz and dist/camwall-VERSION-windows-amd64.zip,
# each unpacked into an empty folder and tried (scripts/dist.sh), and
# dist/camwall_DEBVERSION_amd64.deb (scripts/deb.sh), checked by lintian and
# installed, run and removed in a throw-away Debian root (scripts/deb-test.sh).
dist: build windows deps-deb
	scripts/dist.sh $(VERSION) $(BIN) $(WINBIN) $(WINEPREFIX_DIR)
	deb=$$(scripts/deb.sh $(VERSION) amd64 $(BIN) dist) && \
		lintian --fail-on error,warning "$$deb" && \
		scripts/deb-test.sh "$$deb"

clean:
	rm -rf bin out/winres $(WINRES)
