package assets

import "testing"

func TestDemoAccessUnitsMatchTheClip(t *testing.T) {
	aus, err := DemoAccessUnits()
	if err != nil {
		t.Fatal(err)
	}
	if len(aus) != DemoClip.Frames {
		t.Fatalf("access units = %d, want %d (one per frame)", len(aus), DemoClip.Frames)
	}
	for i, au := range aus {
		idr := false
		for _, n := range au {
			if n[0]&0x1f == 5 {
				idr = true
			}
		}
		if want := i%DemoClip.FPS == 0; idr != want {
			t.Errorf("access unit %d: IDR = %v, want %v (keyframe every second)", i, idr, want)
		}
	}
	if first := aus[0][0][0] & 0x1f; first != 7 {
		t.Errorf("first NAL unit type = %d, want 7 (SPS)", first)
	}
}

func TestSplitAnnexB(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want int
	}{
		{"three-byte start codes", []byte{0, 0, 1, 9, 0xf0, 0, 0, 1, 0x67, 1}, 2},
		{"four-byte start codes", []byte{0, 0, 0, 1, 9, 0xf0, 0, 0, 0, 1, 0x67, 1}, 2},
		{"trailing zeros are not a NAL unit", []byte{0, 0, 1, 0x65, 1, 0, 0}, 1},
		{"no start code", []byte{1, 2, 3}, 0},
		{"empty", nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := splitAnnexB(tc.in)
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
