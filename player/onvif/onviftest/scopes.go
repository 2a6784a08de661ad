package onviftest

import (
	"net/url"
	"strings"
)

// WS-Discovery scope matching rules a Probe may name in MatchBy.
const (
	matchRFC2396 = nsDiscover + "/rfc2396" // the default
	matchStrcmp0 = nsDiscover + "/strcmp0"
)

// scopesMatch reports whether the device has every scope a Probe asks for
// under the rule by; an unknown rule matches nothing, as the specification
// has the device not answer.
func scopesMatch(wants []string, by string, have []string) bool {
	for _, w := range wants {
		found := false
		for _, h := range have {
			if scopeMatches(w, h, by) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func scopeMatches(want, have, by string) bool {
	switch by {
	case matchStrcmp0:
		return want == have
	case "", matchRFC2396:
		w, err1 := url.Parse(want)
		h, err2 := url.Parse(have)
		if err1 != nil || err2 != nil || !strings.EqualFold(w.Scheme, h.Scheme) || !strings.EqualFold(w.Host, h.Host) {
			return false
		}
		// Segment by segment: onvif://www.onvif.org/name matches
		// onvif://www.onvif.org/name/x, but /nam does not.
		ws := strings.Split(strings.Trim(w.EscapedPath(), "/"), "/")
		hs := strings.Split(strings.Trim(h.EscapedPath(), "/"), "/")
		if len(ws) == 1 && ws[0] == "" {
			return true
		}
		if len(ws) > len(hs) {
			return false
		}
		for i := range ws {
			if ws[i] != hs[i] {
				return false
			}
		}
		return true
	default:
		return false
	}
}
