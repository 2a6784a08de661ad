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

.PHONY: build run test bench soak screenshots deps deps-test ffmpeg lint clean

deps:
	scripts/deps.sh

deps-test:
	scripts/deps.sh --test

ffmpeg: deps
	scripts/ffmpeg.sh

build: deps ffmpeg
	$(FFENV) && $(GO) build -tags $(TAGS) -trimpath -o $(BIN) .

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
bench: deps-test build
	$(FFENV) && CAMWALL_BIN=$(CURDIR)/$(BIN) $(XVFB) $(GO) test -tags $(TAGS) -run '^$$' -bench . -benchtime 1x -timeout 60m ./...

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
	scripts/screenshots.sh

clean:
	rm -rf bin
