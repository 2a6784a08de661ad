package storage

import (
	"strings"
	"testing"

	"github.com/camwall/camwall/player/redact/redacttest"
)

// Every URL shape, written in the places a configuration holds a URL and
// in the mistakes that make its errors quote one: no error shows a secret,
// and a URL the configuration cannot use is refused.
func TestConfigErrorsShowNoSecretOfAnyURLShape(t *testing.T) {
	const host = "127.0.0.1:8554"
	yamlQuote := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	for _, sh := range redacttest.Shapes {
		t.Run(sh.Name, func(t *testing.T) {
			raw := sh.At(host)
			v := yamlQuote(raw)
			for _, tc := range []struct {
				name    string
				in      string
				invalid bool // the file is refused whatever the URL
			}{
				{"as the url", doc("cameras:", "  - name: x", "    url: "+v), sh.Invalid},
				{"as the substream", doc("cameras:", "  - name: x", "    url: rtsp://h/", "    substream: "+v), sh.Invalid},
				{"with a password beside it", doc("cameras:", "  - name: x", "    url: "+v, "    password: other"), sh.Invalid || strings.Contains(raw, ":Hu") || strings.Contains(raw, "admin:") || strings.Contains(raw, "viewer:")},
				{"as a camera written as a bare url", doc("cameras:", "  - "+v), true},
				{"as the cameras written as a url", doc("cameras: " + v), true},
				{"in a file that is not YAML", doc("cameras:", "  - name: x", "    url: "+v, "  bad: [", "    x: y"), true},
			} {
				_, err := ParseConfig("c.yaml", []byte(tc.in))
				if (err != nil) != tc.invalid {
					t.Errorf("%s: error %v, want one: %v", tc.name, err, tc.invalid)
				}
				if err != nil && sh.Leaked(err.Error()) != nil {
					t.Errorf("%s: the error shows %q: %v", tc.name, sh.Leaked(err.Error()), err)
				}
			}
			// A configuration built in code, as the camera dialog does.
			for _, c := range []Camera{{Name: "x", URL: raw}, {Name: "x", URL: "rtsp://h/", Substream: raw}, {Name: "x", URL: raw, User: "u", Password: "p"}} {
				cfg := Config{Cameras: []Camera{c}}
				if err := cfg.Validate(); err != nil && sh.Leaked(err.Error()) != nil {
					t.Errorf("Validate shows %q: %v", sh.Leaked(err.Error()), err)
				}
				if _, err := c.MainStream(); err != nil && sh.Leaked(err.Error()) != nil {
					t.Errorf("MainStream shows %q: %v", sh.Leaked(err.Error()), err)
				}
			}
			cfg := Config{Cameras: []Camera{{Name: "x", URL: raw}}}
			if err := cfg.Validate(); (err != nil) != sh.Invalid {
				t.Errorf("Validate = %v, want refused %v", err, sh.Invalid)
			}
		})
	}
}

// A password (or user, or url) that starts with ! or * is a YAML tag or
// alias to the parser, which would quote it back as the tag's or alias's
// name; the errors say what to do without it.
func TestConfigErrorsShowNoValueReadAsATagOrAlias(t *testing.T) {
	const secret = "Tag0rAlias-pw"
	for _, key := range []string{"password", "user", "url", "substream", "password_env"} {
		for _, v := range []string{"!" + secret, "!" + secret + " rest", "!!" + secret, "!<" + secret + "> x", "*" + secret, "&" + secret + " [*" + secret + "]"} {
			t.Run(key+" "+v, func(t *testing.T) {
				_, err := ParseConfig("c.yaml", []byte(doc("cameras:", "  - name: x", "    url: rtsp://h/s", "    "+key+": "+v)))
				if err == nil {
					return // the anchor form is a value YAML takes
				}
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error shows the value: %v", err)
				}
				if !strings.HasPrefix(v, "&") && !strings.Contains(err.Error(), "quote") && !strings.Contains(err.Error(), "appears twice") {
					t.Errorf("the error does not say to quote the value: %v", err)
				}
			})
		}
	}
}
