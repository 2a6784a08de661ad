package gopro

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/camwall/camwall/player/redact"
)

// RequestTimeout bounds one API request. A camera on USB or its own Wi-Fi
// answers in milliseconds; one that takes longer is asleep or gone.
const RequestTimeout = 3 * time.Second

// maxBody is the most of an answer that is read: the API's answers are a few
// bytes of JSON, and a camera that sends more is not speaking it.
const maxBody = 64 << 10

// Dialer opens connections; nil means net.Dialer. Tests route a camera's
// address to a simulator on loopback with one.
type Dialer func(ctx context.Context, network, addr string) (net.Conn, error)

// Client talks to one camera's HTTP API.
type Client struct {
	base string
	http *http.Client

	mu                sync.Mutex
	localIP, remoteIP net.IP
}

// NewClient returns a client for the API at base (http://host:port).
func NewClient(base string, dial Dialer) *Client {
	c := &Client{base: base}
	if dial == nil {
		d := &net.Dialer{Timeout: RequestTimeout}
		dial = d.DialContext
	}
	c.http = &http.Client{
		Timeout: RequestTimeout,
		// A GoPro's API never redirects; whatever does (something else on
		// the port, a captive portal on the camera's Wi-Fi) is not followed
		// to another host, and its answer is reported as it is.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{
			// A new connection per request: a camera that was unplugged must
			// show as refused on the next request, not hide behind a pooled
			// connection that will only time out.
			DisableKeepAlives: true,
			Proxy:             nil, // a camera on a USB link is never behind a proxy
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				conn, err := dial(ctx, network, addr)
				if err == nil {
					if a, ok := conn.LocalAddr().(*net.TCPAddr); ok {
						c.mu.Lock()
						c.localIP = a.IP
						if r, ok := conn.RemoteAddr().(*net.TCPAddr); ok {
							c.remoteIP = r.IP
						}
						c.mu.Unlock()
					}
				}
				return conn, err
			},
		},
	}
	return c
}

// LocalIP is this host's address on the network the camera was last reached
// through: where the camera sends its stream, so the only address to
// receive it on.
func (c *Client) LocalIP() net.IP {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.localIP
}

// RemoteIP is the camera's address as it was last reached: where its stream
// comes from.
func (c *Client) RemoteIP() net.IP {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.remoteIP
}

// WebcamState is what the webcam endpoints answer.
type WebcamState struct {
	Status int `json:"status"`
	Error  int `json:"error"`
}

// Webcam statuses.
const (
	WebcamOff = iota
	WebcamIdle
	WebcamHighPowerPreview
	WebcamLowPowerPreview
)

// StatusText says a webcam status in words.
func StatusText(status int) string {
	switch status {
	case WebcamOff:
		return "webcam off"
	case WebcamIdle:
		return "webcam idle"
	case WebcamHighPowerPreview, WebcamLowPowerPreview:
		return "webcam streaming"
	default:
		return "webcam status " + strconv.Itoa(status)
	}
}

// webcamErrors are the webcam endpoints' error codes in words.
var webcamErrors = map[int]string{
	1: "could not load the webcam preset",
	2: "could not set the window size",
	3: "could not start the stream",
	4: "the shutter is busy (is the camera recording?)",
	5: "the camera timed out",
	6: "invalid parameter (resolution, field of view or port)",
	7: "webcam mode is unavailable (is the camera busy, or in another mode?)",
	8: "the camera is leaving webcam mode",
}

// APIError is an answer that was not a success: an HTTP error status, a
// webcam error code, or something that is not the API's JSON at all.
type APIError struct {
	Path string
	// HTTPStatus is the answer's status code.
	HTTPStatus int
	// Code is the webcam error code, 0 when the failure is not one.
	Code int
	// Detail says what was wrong, in words.
	Detail string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("GoPro answered %s with %s", e.Path, e.Detail)
}

// ErrNotJSON marks answers that are not the API's JSON: something else
// listens on the port, or the camera is not an Open GoPro camera.
var ErrNotJSON = errors.New("not Open GoPro JSON")

func (e *APIError) Unwrap() error {
	if e.Code == 0 && e.HTTPStatus == http.StatusOK {
		return ErrNotJSON
	}
	return nil
}

// get requests path and returns the answer's body, or an *APIError for an
// answer that is not 200 with JSON.
func (c *Client) get(ctx context.Context, path string, q url.Values) ([]byte, error) {
	return c.getRaw(ctx, path, q.Encode())
}

// getRaw is get with the query as it is sent, for an API whose parameter
// order is part of the command.
func (c *Client) getRaw(ctx context.Context, path, rawQuery string) ([]byte, error) {
	target := c.base + path
	if rawQuery != "" {
		target += "?" + rawQuery
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, fmt.Errorf("request %s: %w", path, err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("request %s: %w", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("read answer to %s: %w", path, err)
	}
	if loc := resp.Header.Get("Location"); loc != "" && resp.StatusCode/100 == 3 {
		return nil, &APIError{Path: path, HTTPStatus: resp.StatusCode,
			Detail: "HTTP " + resp.Status + ", a redirect to " + redact.URL(loc) + " that camwall does not follow (a GoPro's API never redirects)"}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &APIError{Path: path, HTTPStatus: resp.StatusCode, Detail: "HTTP " + resp.Status + snippet(body)}
	}
	if len(body) > maxBody {
		return nil, &APIError{Path: path, HTTPStatus: resp.StatusCode, Detail: "an answer over 64 KiB, not Open GoPro JSON"}
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if !json.Valid(body) {
		return nil, &APIError{Path: path, HTTPStatus: resp.StatusCode,
			Detail: fmt.Sprintf("something that is not Open GoPro JSON (%s%s)", orUnknown(ct), snippet(body))}
	}
	return body, nil
}

func orUnknown(ct string) string {
	if ct == "" {
		return "no content type"
	}
	return ct
}

// snippet quotes the start of a body for an error message; cameras answer
// errors with a short JSON object worth showing. It is cut after quoting,
// since escapes can make a few bytes of binary many characters long.
func snippet(body []byte) string {
	const n = 100
	if len(body) == 0 {
		return ""
	}
	q := strconv.Quote(string(body[:min(len(body), n)]))
	if len(q) > n {
		q = q[:n] + "…"
	}
	return ": " + q
}

// call requests path and checks that the answer is JSON.
func (c *Client) call(ctx context.Context, path string, q url.Values) error {
	_, err := c.get(ctx, path, q)
	return err
}

// webcam requests a webcam endpoint and checks its error code.
func (c *Client) webcam(ctx context.Context, path string, q url.Values) (WebcamState, error) {
	body, err := c.get(ctx, path, q)
	if err != nil {
		return WebcamState{}, err
	}
	st, err := ParseWebcamState(body)
	if err != nil {
		return WebcamState{}, &APIError{Path: path, HTTPStatus: http.StatusOK, Detail: err.Error()}
	}
	if st.Error != 0 {
		detail, ok := webcamErrors[st.Error]
		if !ok {
			detail = "an unknown error"
		}
		return st, &APIError{Path: path, HTTPStatus: http.StatusOK, Code: st.Error,
			Detail: fmt.Sprintf("webcam error %d: %s", st.Error, detail)}
	}
	return st, nil
}

// ParseWebcamState reads a webcam endpoint's answer, {"status":N,"error":M}.
// Both fields must be there: an object without them is not this API.
func ParseWebcamState(body []byte) (WebcamState, error) {
	var raw struct {
		Status *int `json:"status"`
		Error  *int `json:"error"`
	}
	if err := json.Unmarshal(body, &raw); err != nil || raw.Status == nil || raw.Error == nil {
		return WebcamState{}, fmt.Errorf("a webcam answer without status and error, not Open GoPro JSON%s", snippet(body))
	}
	return WebcamState{Status: *raw.Status, Error: *raw.Error}, nil
}

// WiredUSB turns wired USB control on or off; a camera on USB must have it
// on before it takes other commands.
func (c *Client) WiredUSB(ctx context.Context, on bool) error {
	p := "0"
	if on {
		p = "1"
	}
	return c.call(ctx, "/gopro/camera/control/wired_usb", url.Values{"p": {p}})
}

// WebcamStatus asks for the webcam's state; discovery uses it as the probe.
func (c *Client) WebcamStatus(ctx context.Context) (WebcamState, error) {
	return c.webcam(ctx, "/gopro/webcam/status", nil)
}

// WebcamStart starts webcam mode, streaming MPEG-TS to udpPort of the host
// that asks, or with rtsp serving it at rtsp://<camera>:554/live. res and
// fov are API codes; -1 leaves the camera's choice.
func (c *Client) WebcamStart(ctx context.Context, res, fov, udpPort int, rtsp bool) error {
	q := url.Values{"port": {strconv.Itoa(udpPort)}, "protocol": {"TS"}}
	if rtsp {
		q = url.Values{"protocol": {"RTSP"}}
	}
	if res >= 0 {
		q.Set("res", strconv.Itoa(res))
	}
	if fov >= 0 {
		q.Set("fov", strconv.Itoa(fov))
	}
	_, err := c.webcam(ctx, "/gopro/webcam/start", q)
	return err
}

// WebcamStop stops the stream; the camera stays in webcam mode (idle).
func (c *Client) WebcamStop(ctx context.Context) error {
	_, err := c.webcam(ctx, "/gopro/webcam/stop", nil)
	return err
}

// WebcamExit leaves webcam mode, giving the camera back to its user.
func (c *Client) WebcamExit(ctx context.Context) error {
	_, err := c.webcam(ctx, "/gopro/webcam/exit", nil)
	return err
}

// PreviewStart starts the preview stream to udpPort of the host that asks.
func (c *Client) PreviewStart(ctx context.Context, udpPort int) error {
	return c.call(ctx, "/gopro/camera/stream/start", url.Values{"port": {strconv.Itoa(udpPort)}})
}

// PreviewStop stops the preview stream.
func (c *Client) PreviewStop(ctx context.Context) error {
	return c.call(ctx, "/gopro/camera/stream/stop", nil)
}

// KeepAlive tells the camera a client is still there, so that it neither
// sleeps nor stops streaming; send it every KeepAliveEvery.
func (c *Client) KeepAlive(ctx context.Context) error {
	return c.call(ctx, "/gopro/camera/keep_alive", nil)
}

// KeepAliveEvery is the Open GoPro keep-alive cadence.
const KeepAliveEvery = 3 * time.Second

// LegacyRestart (re)starts a HERO4–7's live preview, which it then sends to
// UDP port 8554 of the host that asked.
func (c *Client) LegacyRestart(ctx context.Context) error {
	// In the documented order: url.Values would sort the parameters, and
	// gpControl's parser is not known to accept them in any other.
	_, err := c.getRaw(ctx, "/gp/gpControl/execute", "p1=gpStream&a1=proto_v2&c1=restart")
	return err
}
