package storage

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// parseSection parses a file of one camera and section, as c.yaml. With
// wantErr set the file must fail with an error holding it, and the result
// is nil.
func parseSection(t *testing.T, section, wantErr string) *Config {
	t.Helper()
	const cams = "cameras:\n  - {name: a, url: 'rtsp://h/x'}\n"
	c, err := ParseConfig("c.yaml", []byte(cams+section))
	if wantErr != "" {
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Fatalf("err = %v, want one with %q", err, wantErr)
		}
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRecordingSectionIsReadAndChecked(t *testing.T) {
	tests := []struct {
		name    string
		section string
		want    RecordSettings
		err     string // a fragment of the error; "" for none
	}{
		{name: "absent", section: ""},
		{name: "empty", section: "recording:\n"},
		{name: "every key", section: "recording:\n  dir: /srv/video\n  segment: 90s\n  max_age: 30d\n  max_size: 20GB\n",
			want: RecordSettings{Dir: "/srv/video", Segment: "90s", MaxAge: "30d", MaxSize: "20GB"}},
		{name: "max_age not a duration", section: "recording:\n  max_age: month\n", err: "c.yaml:4: recording: max_age must be"},
		{name: "max_size without a number", section: "recording:\n  max_size: GB\n", err: "c.yaml:4: recording: max_size must be"},
		{name: "home folder", section: "recording:\n  dir: ~/clips\n", want: RecordSettings{Dir: "~/clips"}},
		{name: "relative folder", section: "recording:\n  dir: clips\n", err: "c.yaml:4: recording: dir must be an absolute folder"},
		{name: "segment not a duration", section: "recording:\n  segment: five\n", err: "c.yaml:4: recording: segment must be a duration"},
		{name: "segment too short", section: "recording:\n  segment: 1s\n", err: "segment must be a duration from 10s"},
		{name: "unknown key", section: "recording:\n  folder: /x\n", err: "folder"},
		{name: "not a mapping", section: "recording: yes\n", err: "recording must be a mapping"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := parseSection(t, tc.section, tc.err)
			if c == nil {
				return
			}
			if c.Recording != tc.want {
				t.Errorf("recording = %+v, want %+v", c.Recording, tc.want)
			}
		})
	}
}

func TestRecordingSettingsResolveDefaults(t *testing.T) {
	t.Setenv("HOME", "/home/u")
	tests := []struct {
		name string
		in   RecordSettings
		want RecordPlan
	}{
		{"defaults", RecordSettings{}, RecordPlan{Dir: filepath.Join("/home/u", "Videos", "camwall"), Segment: DefaultSegment}},
		{"home relative", RecordSettings{Dir: "~/v/", Segment: "1h"}, RecordPlan{Dir: "/home/u/v", Segment: time.Hour}},
		{"retention", RecordSettings{Dir: "/srv//v", MaxAge: "2d", MaxSize: "1.5 GB"},
			RecordPlan{Dir: "/srv/v", Segment: DefaultSegment, Retention: Retention{MaxAge: 48 * time.Hour, MaxBytes: 1_500_000_000}}},
		{"plain bytes and hours", RecordSettings{Dir: "/v", MaxAge: "36h", MaxSize: "1000"},
			RecordPlan{Dir: "/v", Segment: DefaultSegment, Retention: Retention{MaxAge: 36 * time.Hour, MaxBytes: 1000}}},
	}
	for _, tc := range tests {
		got, err := tc.in.Resolved()
		if err != nil || got != tc.want {
			t.Errorf("%s: %+v, %v; want %+v", tc.name, got, err, tc.want)
		}
	}
}

func TestRecordingSectionSurvivesSaving(t *testing.T) {
	c := &Config{Cameras: []Camera{{Name: "a", URL: "rtsp://h/x"}}, Recording: RecordSettings{Dir: "/v", Segment: "2m"}}
	data, err := c.marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseConfig("saved", data)
	if err != nil || back.Recording != c.Recording {
		t.Errorf("read back %+v, %v\n%s", back.Recording, err, data)
	}
}

// The commented recording section of ExampleConfig, uncommented as a user
// would, is valid and says what the defaults are.
func TestExampleConfigRecordingSectionIsValidUncommented(t *testing.T) {
	var out []string
	in := false
	for _, l := range strings.Split(ExampleConfig, "\n") {
		if l == "# recording:" {
			in = true
		}
		if in && l == "" {
			in = false
		}
		if in {
			l = strings.TrimPrefix(l, "# ")
		}
		out = append(out, l)
	}
	c, err := ParseConfig("example.yaml", []byte(strings.Join(out, "\n")))
	if err != nil {
		t.Fatalf("the uncommented recording section does not parse: %v", err)
	}
	want := RecordSettings{Dir: "~/Videos/camwall", Segment: "5m", MaxAge: "30d", MaxSize: "100GB"}
	if c.Recording != want {
		t.Errorf("recording = %+v, want %+v", c.Recording, want)
	}
}
