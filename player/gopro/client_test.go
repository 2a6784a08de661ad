package gopro

import (
	"strings"
	"testing"
)

func TestParseWebcamState(t *testing.T) {
	tests := []struct {
		name, body string
		want       WebcamState
		err        string
	}{
		{"idle", `{"status":1,"error":0}`, WebcamState{Status: 1}, ""},
		{"an error code", `{"status":1,"error":7}`, WebcamState{Status: 1, Error: 7}, ""},
		{"extra fields are fine", `{"status":2,"error":0,"setting":12}`, WebcamState{Status: 2}, ""},
		{"no error field", `{"status":1}`, WebcamState{}, "without status and error"},
		{"an empty object", `{}`, WebcamState{}, "without status and error"},
		{"not JSON", `<html>`, WebcamState{}, `not Open GoPro JSON: "<html>"`},
		{"wrong types", `{"status":"idle","error":0}`, WebcamState{}, "without status and error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseWebcamState([]byte(tc.body))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

// FuzzParseWebcamState: whatever a camera (or something pretending to be
// one) answers, parsing neither panics nor accepts a state without both
// fields, and an error message quotes at most a short piece of the answer.
func FuzzParseWebcamState(f *testing.F) {
	for _, s := range []string{`{"status":1,"error":0}`, `{}`, `null`, `[1,2]`, `{"status":1e309,"error":0}`, "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		_, err := ParseWebcamState(body)
		if err != nil && len(err.Error()) > 200 {
			t.Errorf("error of %d bytes: an answer is quoted at length", len(err.Error()))
		}
	})
}
