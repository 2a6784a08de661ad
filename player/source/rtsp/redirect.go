package rtsp

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"

	"github.com/camwall/camwall/player/redact"
	"github.com/camwall/camwall/player/source"
)

// MaxRedirects is how many DESCRIBE redirects one attempt follows.
const MaxRedirects = 3

// redirects decides which of a camera's DESCRIBE redirects (3xx with a
// Location) an attempt follows.
//
// gortsplib follows every redirect itself, to any host, with the URL's user
// and password and without a hop limit: a spoofed or compromised camera
// (or anything on the path of a plain rtsp:// connection) could collect the
// credentials by redirecting to a host of its own, and a redirect loop would
// never end. Its Client.OnResponse hook sees each response before gortsplib
// acts on it (waitResponse calls it before do and doDescribe look at the
// status), and doDescribe follows only a response with exactly one Location
// header; so check runs on every response and removes the Location of a
// redirect camwall does not follow, and gortsplib then returns
// ErrClientBadStatusCode with the 3xx code, which refused words.
//
// A redirect is followed when it stays on the camera's scheme, host and port
// (a camera or relay moving a stream to another path: the credentials go
// where they were meant for anyway), at most MaxRedirects times.
//
// check runs on the client's goroutine, during Describe; refused is read
// after Describe returned, which orders the two.
type redirects struct {
	// origin is the camera's scheme://host:port, default port filled in.
	origin string
	// at is the URL the last DESCRIBE went to, against which a relative
	// Location resolves.
	at *url.URL
	// hops counts the redirects followed.
	hops int
	// reason says which redirect was not followed and why, its address
	// redacted; "" while every redirect was followed.
	reason string
}

func newRedirects(u *base.URL) *redirects {
	at := (*url.URL)(u)
	return &redirects{origin: origin(at), at: at}
}

// origin is u's scheme://host:port, lower case, with the scheme's default
// port when u names none.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		port = "554"
		if scheme == "rtsps" {
			port = "322"
		}
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// check is gortsplib's Client.OnResponse.
func (r *redirects) check(res *base.Response) {
	if res.StatusCode < base.StatusMovedPermanently || res.StatusCode > base.StatusUseProxy {
		return
	}
	loc := res.Header["Location"]
	if len(loc) != 1 {
		return // gortsplib does not follow it either
	}
	to, err := r.at.Parse(loc[0])
	switch {
	case err != nil:
		r.refuse(res, fmt.Sprintf("the camera redirected to an address that does not parse (%s)", redact.URL(loc[0])))
	case origin(to) != r.origin:
		r.refuse(res, fmt.Sprintf("the camera redirected to %s, another host, port or scheme: camwall did not follow, "+
			"so that the camera's password goes nowhere else (if you trust that address, make it the camera's URL)", redact.URL(to.String())))
	case r.hops >= MaxRedirects:
		r.refuse(res, fmt.Sprintf("the camera redirected more than %d times (last to %s): camwall stopped following, "+
			"check the camera's path", MaxRedirects, redact.URL(to.String())))
	default:
		r.hops++
		r.at = to
		// Absolute, so that gortsplib parses a relative one too.
		res.Header["Location"] = base.HeaderValue{to.String()}
	}
}

// refuse keeps gortsplib from following res, and remembers why.
func (r *redirects) refuse(res *base.Response, reason string) {
	delete(res.Header, "Location")
	r.reason = reason
}

// refused words a DESCRIBE that failed on a redirect camwall did not follow,
// or returns nil. It is a slow retry: the camera will keep redirecting until
// its configuration, or camwall's, changes, and retrying it sooner would
// only repeat the refusal.
func (r *redirects) refused(err error) error {
	var bad liberrors.ErrClientBadStatusCode
	if r.reason == "" || !errors.As(err, &bad) || bad.Code < base.StatusMovedPermanently || bad.Code > base.StatusUseProxy {
		return nil
	}
	return &source.Error{Reason: r.reason, SlowRetry: true, Err: fmt.Errorf("%w: %w", ErrRedirectRefused, err)}
}

// ErrRedirectRefused is the cause of an attempt that ended on a redirect
// camwall did not follow.
var ErrRedirectRefused = errors.New("redirect not followed")
