package goprotest

import (
	"os"
	"strconv"
	"testing"
	"time"
)

func TestZZStartLatency(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	for i := range 8 {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			t.Parallel()
			for range 3 {
				t0 := time.Now()
				s := Start(t, Config{})
				t1 := time.Now()
				c, port := listenUDP(t)
				sent := time.Now()
				webcam(t, s, "/gopro/webcam/start?port="+strconv.Itoa(port))
				t2 := time.Now()
				buf := make([]byte, 65536)
				c.SetReadDeadline(time.Now().Add(10 * time.Second))
				_, _, err := c.ReadFrom(buf)
				t3 := time.Now()
				s.Close()
				t4 := time.Now()
				t.Logf("start %v get %v first %v (%v) close %v", t1.Sub(t0), t2.Sub(sent), t3.Sub(t2), err, t4.Sub(t3))
			}
		})
	}
}
