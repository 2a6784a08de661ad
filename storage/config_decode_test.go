package storage

import "testing"

// A top-level key that is neither in topValues nor in sections would be
// accepted and then dropped without a word.
func TestEveryTopLevelKeyIsDecoded(t *testing.T) {
	for _, key := range topKeys {
		n := 0
		for _, s := range sections {
			if s.key == key {
				n++
			}
		}
		if topValues[key] != nil {
			n++
		}
		if n != 1 {
			t.Errorf("%d decoders for the top-level key %q, want 1 (a section or a value)", n, key)
		}
	}
	if len(sections)+len(topValues) != len(topKeys) {
		t.Errorf("%d sections and %d values for %d top-level keys: one is never reached", len(sections), len(topValues), len(topKeys))
	}
}
