package systemd

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// unitFile reads a systemd unit's keys as section.key → values, in order,
// skipping comments: enough to hold the shipped unit to what it promises.
func unitFile(t *testing.T, path string) map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	keys := map[string][]string{}
	section := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = strings.Trim(line, "[]")
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || section == "" {
				t.Fatalf("%s:%d: %q is neither a section nor a key", path, n, line)
			}
			k = section + "." + strings.TrimSpace(k)
			keys[k] = append(keys[k], strings.TrimSpace(v))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return keys
}

func TestShippedUnitsStartTheKioskAndRestartIt(t *testing.T) {
	tests := []struct {
		name string
		path string
		want map[string]string
	}{
		{"systemd user unit", "../../assets/camwall.service", map[string]string{
			"Service.Type":               "notify",
			"Service.ExecStart":          "%h/.local/bin/camwall --kiosk",
			"Service.Restart":            "always",
			"Service.RestartSec":         "5",
			"Service.WatchdogSec":        "30",
			"Service.NotifyAccess":       "main",
			"Unit.StartLimitIntervalSec": "0",
			"Install.WantedBy":           "graphical-session.target",
		}},
		{"XDG autostart entry", "../../assets/camwall-autostart.desktop", map[string]string{
			"Desktop Entry.Type": "Application",
			"Desktop Entry.Exec": "camwall --kiosk",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			keys := unitFile(t, tc.path)
			for k, want := range tc.want {
				if got := keys[k]; len(got) != 1 || got[0] != want {
					t.Errorf("%s = %q, want exactly %q", k, got, want)
				}
			}
		})
	}
}
