package decoder

import (
	"fmt"
	"os/exec"
	"testing"
	"time"
)

func TestZZProbe(t *testing.T) {
	for _, ps := range []string{"32768", "524288"} {
		for rep := 0; rep < 3; rep++ {
			dbgOpts = map[string]string{"probesize": ps}
			port := freeUDPPort(t)
			cmd := exec.Command(debianFFmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
				"-f", "lavfi", "-i", "testsrc2=s=640x360:r=30",
				"-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30", "-bf", "0", "-b:v", "2M", "-pat_period", "1", "-pix_fmt", "yuv420p",
				"-f", "mpegts", fmt.Sprintf("udp://127.0.0.1:%d?pkt_size=1316", port))
			cmd.Start()
			time.Sleep(time.Duration(1000+rep*130) * time.Millisecond)
			d := NewDemuxer()
			watchdog(t, d, 8*time.Second)
			start := time.Now()
			err := d.Open(fmt.Sprintf("udp://127.0.0.1:%d", port), DemuxOptions{LowLatency: true})
			t.Logf("probesize %s: open %v err %v codec %v", ps, time.Since(start).Round(time.Millisecond), err, d.Codec())
			if err == nil {
				n := 0
				for n < 60 {
					if _, err := d.Read(); err != nil {
						t.Log(err)
						break
					}
					n++
				}
				t.Logf("  60 packets at %v", time.Since(start).Round(time.Millisecond))
			}
			d.Close()
			cmd.Process.Kill()
			cmd.Wait()
		}
	}
	dbgOpts = nil
}
