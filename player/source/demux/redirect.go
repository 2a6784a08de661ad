package demux

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/camwall/camwall/player/redact"
	"github.com/camwall/camwall/player/source"
)

// redirectCheckTimeout bounds the request that asks an http:// camera
// whether it redirects, after FFmpeg's open failed.
const redirectCheckTimeout = 3 * time.Second

// redirected asks the http:// input at raw, once, whether it answers with a
// redirect, which FFmpeg is told not to follow (decoder's inputKinds) and
// then reports only as an I/O error. It returns the error that says where
// the camera pointed, or nil when it does not redirect (or cannot be asked).
// The request carries no credentials and follows nothing.
func redirected(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return nil
	}
	u.User = nil
	ctx, cancel := context.WithTimeout(ctx, redirectCheckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil
	}
	tr := &http.Transport{} // no proxy: the camera's own answer is wanted
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		return nil
	}
	res.Body.Close()
	loc := res.Header.Get("Location")
	if res.StatusCode < 300 || res.StatusCode > 399 || loc == "" {
		return nil
	}
	if target, err := u.Parse(loc); err == nil {
		loc = target.String()
	}
	return &source.Error{
		Reason: fmt.Sprintf("the camera redirected to %s (HTTP %d), and camwall does not follow HTTP redirects, "+
			"which could take the password elsewhere: if you trust that address, make it the camera's URL",
			redact.URL(loc), res.StatusCode),
		SlowRetry: true, Err: errRedirected}
}

var errRedirected = errors.New("http redirect not followed")
