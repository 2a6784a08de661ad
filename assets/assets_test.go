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
