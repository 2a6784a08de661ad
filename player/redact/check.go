package redact

import "errors"

// ErrAmbiguous is Check's answer for a URL that a person and a URL parser
// read differently.
var ErrAmbiguous = errors.New("reads as another host: a password holding # ? / or @ must have them " +
	"percent-encoded (# as %23, ? as %3F, / as %2F, @ as %40), and an @ in the path or query is written %40")

// Check rejects a URL whose userinfo-looking part runs past the point where
// net/url ends the host: in rtsp://viewer:77#x@host/ the password 77#x
// holds a #, so a parser connects to host "viewer", port 77, and would send
// the rest nowhere it was meant to go (a dial error would even print it).
// There is no telling what was meant, so the URL is refused with the fix.
// Its error names no part of the URL; the caller quotes URL(raw).
//
// The camera configuration, the command line's --url and the session
// itself all check with it.
func Check(raw string) error {
	if scan(raw).ambiguous() {
		return ErrAmbiguous
	}
	return nil
}
