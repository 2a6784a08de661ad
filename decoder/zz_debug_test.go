package decoder

import (
	"fmt"
	"testing"
	"time"
)

func TestZZLatency(t *testing.T) {
	variants := []struct {
		name string
		low  bool
		opts map[string]string
		skip bool
	}{
		{"lowlatency(skip)", true, nil, false},
		{"info+nobuffer", false, map[string]string{"fflags": "nobuffer", "probesize": "32768", "analyzeduration": "500000"}, false},
		{"info+buffer", false, map[string]string{"probesize": "32768", "analyzeduration": "500000"}, false},
	}
	for _, v := range variants {
		for rep := 0; rep < 3; rep++ {
			dbgOpts = v.opts
			port := freeUDPPort(t)
			kill := startSender(t, port)
			time.Sleep(time.Duration(1300+rep*170) * time.Millisecond)
			d := NewDemuxer()
			watchdog(t, d, 8*time.Second)
			start := time.Now()
			err := d.Open(fmt.Sprintf("udp://127.0.0.1:%d", port), DemuxOptions{LowLatency: v.low})
			if err != nil {
				t.Fatal(err)
			}
			topen := time.Since(start)
			dec, _ := New(Config{Codec: H264})
			var tfirst time.Duration
			frames := 0
			var lags []float64
			skipped := 0
			for frames < 60 {
				p, err := d.Read()
				if err != nil {
					t.Fatal(err)
				}
				if frames == 0 && !p.Key {
					skipped++
					continue
				}
				arr := time.Since(start).Seconds()
				dec.Decode(p.Data, p.PTS, func(f *Frame) error {
					if frames == 0 {
						tfirst = time.Since(start)
					}
					frames++
					return nil
				})
				lags = append(lags, arr-float64(p.PTS)/90000)
			}
			mn := lags[0]
			for _, l := range lags {
				mn = min(mn, l)
			}
			t.Logf("rep %d %-26s open %4dms first frame %4dms skipped %2d; first-frame backlog %4.0fms (dropped-lag end %4.0fms)", rep, v.name, topen.Milliseconds(), tfirst.Milliseconds(), skipped, (lags[0]-mn)*1000, (lags[len(lags)-1]-mn)*1000)
			dec.Close()
			d.Close()
			kill()
		}
	}
	dbgOpts = nil
}
