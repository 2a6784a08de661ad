package redact

import (
	"net/url"
	"slices"
	"strings"
)

// Mask is what a secret is replaced by.
const Mask = "***"

// URL returns raw with every secret it carries replaced by Mask:
//   - the password of the userinfo (rtsp://admin:***@host/…), also one
//     holding an unescaped # ? / or @ that makes net/url read it as a host,
//     a fragment or a path (rtsp://viewer:77#x@host/ is shown as
//     rtsp://viewer:***@host/): where the text allows two readings, the
//     userinfo runs to its last @;
//   - the whole userinfo of a URL that does not parse and has no ':' in it
//     (rtsp://***@[::1), since it may be a password;
//   - the values of the parameters whose names say they are secret (see
//     secretKey), in the query (?user=***&password=***), in path-style
//     credentials (/user=***&password=***&channel=1, or with ;) and in the
//     fragment.
//
// The user of the userinfo and everything else are kept as typed, so that a
// message still says which camera and account it is about.
func URL(raw string) string {
	sh := scan(raw)
	var spans []span
	switch {
	case sh.wholeUser:
		spans = append(spans, span{sh.start, sh.at()})
	case sh.colon >= 0 && sh.at() > sh.colon+1:
		spans = append(spans, span{sh.colon + 1, sh.at()})
	}
	spans = append(spans, sh.params...)
	if len(spans) == 0 {
		return raw
	}
	// A value may run over the @ taken for the end of the userinfo: one
	// Mask covers spans that overlap or touch.
	slices.SortFunc(spans, func(a, b span) int { return a.s - b.s })
	var b strings.Builder
	last := 0
	for i := 0; i < len(spans); {
		sp := spans[i]
		for i++; i < len(spans) && spans[i].s <= sp.e; i++ {
			sp.e = max(sp.e, spans[i].e)
		}
		b.WriteString(raw[last:sp.s])
		b.WriteString(Mask)
		last = sp.e
	}
	b.WriteString(raw[last:])
	return b.String()
}

// Secrets returns what URL masks in raw, as written there and decoded, for
// Text to find in messages that quote them: the password for each @ that
// may end the userinfo (the real one is among them), a whole userinfo that
// URL hides, the secret parameters' values (also as far as a parser takes
// them, up to an unescaped # or ?), and the user and password joined in an
// XMeye-style value.
func Secrets(raw string) []string {
	sh := scan(raw)
	var out []string
	add := func(s string) {
		if s == "" {
			return
		}
		out = append(out, s)
		for _, unescape := range []func(string) (string, error){url.PathUnescape, url.QueryUnescape} {
			if u, err := unescape(s); err == nil && u != s && u != "" {
				out = append(out, u)
			}
		}
	}
	if sh.wholeUser {
		add(raw[sh.start:sh.at()])
	}
	if sh.colon >= 0 {
		for _, at := range sh.ats {
			if at > sh.colon {
				add(raw[sh.colon+1 : at])
			}
		}
	}
	for _, p := range sh.params {
		v := raw[p.s:p.e]
		add(v)
		// What a parser sends of a value that holds an unescaped # or ?:
		// up to it, the rest being the fragment or the query.
		for _, c := range "#?" {
			if i := strings.IndexRune(v, c); i > 0 {
				add(v[:i])
			}
		}
		for _, j := range joined(v) {
			add(j)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Text replaces every occurrence of each secret in text, as typed and as
// net/url escapes it in a path, a query, a userinfo or a fragment, by Mask. It is the
// last line of defence for texts that come from libraries (an error message
// may quote a request URL) before they reach a log line or a tile.
func Text(text string, secrets ...string) string {
	return newScrubber(secrets).scrub(text)
}

// scrubber replaces a set of secrets, in all their forms. Where two
// occurrences overlap or touch (a password inside a token, a userinfo
// guessed too long that runs into a parameter's value), one Mask covers
// both: replacing them one after the other would leave the rest of the
// second behind.
type scrubber struct{ forms []string }

func newScrubber(secrets []string) scrubber {
	var forms []string
	for _, s := range secrets {
		if s == "" {
			continue
		}
		user := strings.TrimPrefix(url.UserPassword("", s).String(), ":")
		path := (&url.URL{Path: s}).EscapedPath()
		fragment := (&url.URL{Fragment: s}).EscapedFragment()
		forms = append(forms, s, url.PathEscape(s), url.QueryEscape(s), user, path, fragment)
	}
	slices.Sort(forms)
	return scrubber{slices.Compact(forms)}
}

func (s scrubber) scrub(text string) string {
	var hidden []bool // by byte of text
	for _, f := range s.forms {
		for from := 0; ; {
			i := strings.Index(text[from:], f)
			if i < 0 {
				break
			}
			if hidden == nil {
				hidden = make([]bool, len(text))
			}
			i += from
			for j := i; j < i+len(f); j++ {
				hidden[j] = true
			}
			from = i + 1 // occurrences of one form may overlap too
		}
	}
	if hidden == nil {
		return text
	}
	var b strings.Builder
	for i := 0; i < len(text); {
		if !hidden[i] {
			b.WriteByte(text[i])
			i++
			continue
		}
		b.WriteString(Mask)
		for i < len(text) && hidden[i] {
			i++
		}
	}
	return b.String()
}
