package annexb

import (
	"bytes"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want int
	}{
		{"three-byte start codes", []byte{0, 0, 1, 9, 0xf0, 0, 0, 1, 0x67, 1}, 2},
		{"four-byte start codes", []byte{0, 0, 0, 1, 9, 0xf0, 0, 0, 0, 1, 0x67, 1}, 2},
		{"trailing zeros are not a NAL unit", []byte{0, 0, 1, 0x65, 1, 0, 0}, 1},
		{"empty units are skipped", []byte{0, 0, 1, 0, 0, 1, 0x65, 3}, 1},
		{"no start code", []byte{1, 2, 3}, 0},
		{"empty", nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Split(tc.in)
			if len(got) != tc.want {
				t.Fatalf("got %d NAL units %v, want %d", len(got), got, tc.want)
			}
			for _, n := range got {
				if len(n) == 0 || n[len(n)-1] == 0 {
					t.Errorf("NAL unit %v keeps start-code zeros", n)
				}
			}
		})
	}
}

func TestJoinThenSplitGivesTheUnitsBack(t *testing.T) {
	units := [][]byte{{0x67, 1, 2}, {0x68, 3}, {0x65, 4, 5, 6}}
	got := Split(Join(units, nil))
	if len(got) != len(units) {
		t.Fatalf("got %d units, want %d", len(got), len(units))
	}
	for i := range units {
		if !bytes.Equal(got[i], units[i]) {
			t.Errorf("unit %d = %v, want %v", i, got[i], units[i])
		}
	}
}
