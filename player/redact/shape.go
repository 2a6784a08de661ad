package redact

import (
	"net/url"
	"regexp"
	"strings"
)

// shape is where the secrets of a URL lie, found by reading its text rather
// than by net/url: the URLs that most need hiding are the ones a parser gets
// wrong (a password holding # or /, which Go reads as a fragment or a path,
// leaving "user:pass" as the host) or rejects. Where the text allows two
// readings, the one that hides more is taken.
type shape struct {
	raw string
	// start is where the authority begins: after "scheme://", else 0 (a
	// URL typed without a scheme, "admin:pw@host/…").
	start int
	// goEnd is where net/url ends the authority: the first / ? or # after
	// start.
	goEnd int
	// ats are the @ that may end the userinfo, in order: the last one in
	// the authority as net/url sees it, then every @ after it. The real
	// one is among them; a person cannot tell which, so the last is taken.
	ats []int
	// colon is the first : of the userinfo ending at the last of ats, which
	// begins the password; -1 when there is none.
	colon int
	// wholeUser: the userinfo has no password but the URL does not parse,
	// so what it holds is unclear (a password typed without its user) and
	// all of it is hidden.
	wholeUser bool
	// params are the values of the parameters whose names say they are
	// secret, in the path, query or fragment.
	params []span
}

// span is raw[s:e].
type span struct{ s, e int }

func scan(raw string) shape {
	sh := shape{raw: raw, start: authorityStart(raw), colon: -1}
	sh.goEnd = len(raw)
	if i := strings.IndexAny(raw[sh.start:], "/?#"); i >= 0 {
		sh.goEnd = sh.start + i
	}
	if i := strings.LastIndexByte(raw[sh.start:sh.goEnd], '@'); i >= 0 {
		sh.ats = append(sh.ats, sh.start+i)
	}
	for i := sh.goEnd; i < len(raw); i++ {
		if raw[i] == '@' {
			sh.ats = append(sh.ats, i)
		}
	}
	if at := sh.at(); at >= 0 {
		sh.colon = strings.IndexByte(raw[sh.start:at], ':')
		if sh.colon >= 0 {
			sh.colon += sh.start
		} else if _, err := url.Parse(raw); err != nil {
			sh.wholeUser = at > sh.start
		}
	}
	// From the start of the authority, not from the host: where the
	// userinfo ends is a guess, and a parameter's value may hold the @
	// taken for its end.
	sh.params = secretParams(raw, sh.start)
	return sh
}

// at is the @ that ends the userinfo, -1 when there is none.
func (sh shape) at() int {
	if len(sh.ats) == 0 {
		return -1
	}
	return sh.ats[len(sh.ats)-1]
}

// ambiguous reports a URL whose password (or what looks like one) runs past
// the point where net/url ends the authority: rtsp://viewer:77#x@host/ is
// host "viewer", port 77 to a parser, and a password to the person who
// wrote it.
func (sh shape) ambiguous() bool {
	return sh.colon >= 0 && sh.at() >= sh.goEnd
}

// authorityStart is the index after "scheme://" (or a leading "//"), 0
// when raw has neither.
func authorityStart(raw string) int {
	if strings.HasPrefix(raw, "//") {
		return 2
	}
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':' && strings.HasPrefix(raw[i:], "://"):
			return i + 3
		default:
			return 0
		}
	}
	return 0
}

// secretParams finds, in raw from from on, the values of key=value
// parameters whose key says they are secret: the query's (?password=…),
// those of path-style credentials (/user=admin&password=…&channel=1, also
// with ; between them) and the fragment's. A value ends at & or ;, and, in
// the path (before any ? or #), at /; a ? or # does not end it, since an unescaped one in a
// password is a typo a person would not see. A key runs back from its = to
// the separator before it, whatever it holds. The value of a secret key runs
// over any parameters joined to it by _ (XMeye's
// /user=admin_password=…_channel=1), which are hidden with it.
func secretParams(raw string, from int) []span {
	query := strings.IndexAny(raw[from:], "?#") // where / stops ending a value
	if query < 0 {
		query = len(raw)
	} else {
		query += from
	}
	var out []span
	for i := from; i < len(raw); {
		eq := strings.IndexByte(raw[i:], '=')
		if eq < 0 {
			break
		}
		eq += i
		k := eq
		for k > i && !keyEnd(raw[k-1], k-1 <= query) {
			k--
		}
		if !secretKey(raw[k:eq]) {
			i = eq + 1
			continue
		}
		end := eq + 1
		for end < len(raw) && raw[end] != '&' && raw[end] != ';' && (raw[end] != '/' || end > query) {
			end++
		}
		if end > eq+1 {
			out = append(out, span{eq + 1, end})
		}
		i = end
	}
	return out
}

// keyEnd reports a byte that ends a key where it is: & and ;, and in the
// path (up to the first ? or #, which begins the query) also / ? and #. A
// query's keys may hold ? and /, as they do for net/url.
func keyEnd(c byte, inPath bool) bool {
	return c == '&' || c == ';' || inPath && (c == '/' || c == '?' || c == '#')
}

// joinedKey is where a parameter joined by _ begins: "_password=".
var joinedKey = regexp.MustCompile(`_([A-Za-z0-9.%-]+)=`)

// joined returns the values that an XMeye-style value holds: in
// "admin_password=pw_channel=1", the user "admin" and the password "pw"
// (the parameters after _ whose names are secret). The value as a whole is
// hidden anyway; these let Text find the password where it is quoted alone.
func joined(v string) []string {
	locs := joinedKey.FindAllStringSubmatchIndex(v, -1)
	var out []string
	secret, from := true, 0 // the first piece is the value of the secret key itself
	for _, l := range locs {
		if secret && l[0] > from {
			out = append(out, v[from:l[0]])
		}
		secret, from = secretKey(v[l[2]:l[3]]), l[1]
	}
	if secret && from > 0 && from < len(v) {
		out = append(out, v[from:])
	}
	return out
}
