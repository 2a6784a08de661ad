package redact_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/camwall/camwall/player/redact"
	"github.com/camwall/camwall/player/redact/redacttest"
)

// Every shape, through redact's own outputs: the URL as shown, Check, and
// Text with Secrets over the messages a library writes about the URL (the
// URL quoted as typed, as net/url writes it back, and each secret alone, as
// typed and escaped).
func TestEveryShapeThroughURLAndText(t *testing.T) {
	const host = "127.0.0.1:8554"
	for _, sh := range redacttest.Shapes {
		t.Run(sh.Name, func(t *testing.T) {
			raw := sh.At(host)
			shown := redact.URL(raw)
			if want := sh.ShownAt(host); shown != want {
				t.Errorf("URL(%q) = %q, want %q", raw, shown, want)
			}
			if leaked := sh.Leaked(shown); leaked != nil {
				t.Errorf("URL shows %q: %s", leaked, shown)
			}
			if err := redact.Check(raw); (err != nil) != sh.Rejected {
				t.Errorf("Check = %v, want refused %v", err, sh.Rejected)
			} else if err != nil && sh.Leaked(err.Error()) != nil {
				t.Errorf("Check's error shows a secret: %v", err)
			}
			msgs := []string{"dial " + raw + ": connection refused"}
			if u, err := url.Parse(raw); err == nil {
				msgs = append(msgs, "GET "+u.String()+" failed", "parsed host "+u.Host+" path "+u.Path+" query "+u.RawQuery+" fragment "+u.Fragment)
			}
			for _, s := range sh.Secrets {
				msgs = append(msgs, "auth with "+s, "escaped "+url.PathEscape(s)+" "+url.QueryEscape(s))
			}
			secrets := redact.Secrets(raw)
			for _, m := range msgs {
				if got := redact.Text(m, secrets...); sh.Leaked(got) != nil {
					t.Errorf("Text(%q, Secrets) = %q shows %q", m, got, sh.Leaked(got))
				}
			}
			if sh.Secrets == nil && strings.Contains(redact.Text("dial "+raw, secrets...), redact.Mask) && !sh.Rejected {
				t.Errorf("a URL without secrets is masked: %q", redact.Text("dial "+raw, secrets...))
			}
		})
	}
}
