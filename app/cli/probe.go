package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/player/redact"
	"github.com/camwall/camwall/player/source/rtsp"
)

const probeUsage = "probe URL [--seconds N] [--transport auto|tcp|udp] [--hwaccel MODE] [--timeout D]"

// probe is the CLI twin of the camera dialog's "Test connection".
func probe(args []string) int {
	fl := flagSet("probe", probeUsage)
	seconds := fl.Int("seconds", 5, "exit 0 after this many seconds of live video")
	transport := fl.String("transport", "auto", "auto, tcp or udp")
	timeout := fl.Duration("timeout", 15*time.Second, "give up when there is no video after this long")
	hwaccel := hwaccelFlag(fl)
	// Accept the URL before or after the flags.
	var url string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		url, args = args[0], args[1:]
	}
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if url == "" && fl.NArg() == 1 {
		url = fl.Arg(0)
	}
	if url == "" || fl.NArg() > 1 {
		fl.Usage()
		return 2
	}
	if err := errors.Join(checkURLs([]string{url}, *transport),
		checkDuration("seconds", time.Duration(*seconds)*time.Second, time.Second, 24*time.Hour, ""),
		checkDuration("timeout", *timeout, time.Second, 24*time.Hour, ""), checkHWAccel(*hwaccel)); err != nil {
		return usageError("probe", err)
	}
	cfg := urlConfig(url, rtsp.Transport(*transport))
	cfg.HWAccel = *hwaccel
	cfg.Name = "probe"
	ctx, stop := start(slog.LevelWarn)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout+time.Duration(*seconds)*time.Second)
	defer cancel()
	fmt.Printf("probing %s\n", redact.URL(url))
	st, err := player.Probe(ctx, cfg,
		time.Duration(*seconds)*time.Second, time.Second, func(st player.Status) { fmt.Println(probeLine(st)) })
	if err != nil {
		fmt.Fprintln(os.Stderr, "camwall probe:", err)
		return 1
	}
	fmt.Println(probeLine(st))
	// Which decoder ran, and why software when hardware was asked for.
	fmt.Println("decoder: " + st.Decoder)
	if st.Transport != "" {
		// How RTP travels, and why not over UDP on the automatic transport.
		fmt.Println("transport: " + strings.TrimSuffix(st.Transport+" ("+st.TransportNote+")", " ()"))
	}
	withAudio := ""
	if st.Audio != "" {
		withAudio = " with " + st.Audio + " audio"
	}
	fmt.Printf("ok: %s %dx%d%s live for %ds\n", st.Codec, st.Width, st.Height, withAudio, *seconds)
	return 0
}

func probeLine(st player.Status) string {
	latency := "n/a"
	if st.Latency > 0 {
		latency = fmt.Sprintf("%dms", st.Latency.Milliseconds())
	}
	audio := st.Audio
	if audio == "" {
		audio = "none"
	}
	over := st.Transport
	if over == "" {
		over = "n/a"
	}
	line := fmt.Sprintf("%-12s codec=%s size=%dx%d audio=%s transport=%s rx=%.1ffps decoded=%.1ffps bitrate=%.2fMb/s dropped=%d latency=%s",
		st.State, st.Codec, st.Width, st.Height, audio, over, st.ReceivedFPS, st.DecodedFPS, st.Bitrate/1e6, st.Dropped, latency)
	if st.State != player.StateLive && st.Reason != "" {
		// A camera that does not play says why on every line, not after
		// the timeout.
		line += " reason=" + strconv.Quote(st.Reason)
	}
	return line
}
