// Package soak is camwall's fault-injection run: 16 cameras served by a
// separate process (this package's test binary, run again as the server),
// played by 16 headless player.Sessions in the test process as the wall runs
// them, while every few seconds one fault chosen at random (seeded; the seed
// is logged, SOAK_SEED replays it) hits one camera for a few seconds: the
// camera killed and restarted, its path unpublished, its connection silent,
// RTCP without video, UDP loss and reordering, garbage RTP payloads, a
// resolution change, an RTP timestamp jump, or 401, 404 and 503 answers
// (faults.go lists them, with their durations).
//
// After a warm-up it checks what an unattended wall needs: memory (RSS) grows
// by less than 5 % (the one-minute run of make test passes 8 MiB whatever
// the fraction), goroutines and open files come back to their baseline,
// every camera shows a new picture soon after its fault ends (2 s in
// `make soak`; p50, p99 and max per fault kind are reported), no panic
// escapes, and each fault costs a bounded number of log lines (harness.go).
//
// `make test` runs it for one minute under the race detector, holding
// recovery to a generous bound; `make soak` runs it for SOAK (default 10m)
// without the race detector and holds the 2 s target.
package soak
