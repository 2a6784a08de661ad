package storage

import "testing"

// A top-level key that is neither cameras nor in sections would be accepted
// and then dropped without a word.
func TestEveryTopLevelKeyIsDecoded(t *testing.T) {
	for _, key := range topKeys {
		n := 0
		for _, s := range sections {
			if s.key == key {
				n++
			}
		}
		want := 1
		if key == "cameras" {
			want = 0 // a list, decoded by decoder.cameras
		}
		if n != want {
			t.Errorf("%d sections decode the top-level key %q, want %d", n, key, want)
		}
	}
	if len(sections) != len(topKeys)-1 {
		t.Errorf("%d sections for %d top-level keys besides cameras: one is never reached", len(sections), len(topKeys)-1)
	}
}
