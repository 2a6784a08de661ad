package onviftest

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"PT5S", 5 * time.Second, false},
		{"PT0.5S", 500 * time.Millisecond, false},
		{"PT1M30S", 90 * time.Second, false},
		{"PT2H", 2 * time.Hour, false},
		{"P1DT1S", 24*time.Hour + time.Second, false},
		{"-PT1S", -time.Second, false},
		{"5", 0, true},
		{"P", 0, true},
		{"PT", 0, true},
		{"PTS", 0, true},
		{"P1Y", 0, true},
		{"PT5X", 0, true},
		{"PT1.2.3S", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseDuration(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parseDuration(%q) = %s, %v; want %s, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}
