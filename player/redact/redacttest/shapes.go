// Package redacttest is the table of camera URL shapes that carry secrets,
// which every output's test runs through: redact itself, the session's
// tile reason, log lines and panic message, the configuration's errors, the
// command line's output and the names of the files it writes. One table, so
// that a shape added here is checked everywhere.
package redacttest

import (
	"net/url"
	"slices"
	"strings"
)

// Host stands for the camera's host:port in a Shape's URL; At fills it in.
const Host = "HOST"

// Shape is one way of writing a camera URL.
type Shape struct {
	// Name says what the shape is; tests name their cases by it.
	Name string
	// URL is the shape, with Host where the camera's address goes.
	URL string
	// Shown is what redact.URL makes of it.
	Shown string
	// Secrets must never appear in any output. Each is distinctive, so
	// that it cannot turn up in a message by chance.
	Secrets []string
	// Rejected: redact.Check refuses it (its password reads as a host).
	Rejected bool
	// Invalid: the configuration refuses it (Rejected, or it does not parse
	// or has no scheme); a session fails on it at once.
	Invalid bool
	// Plays: an RTSP server looping a stream at Path serves it, so a test
	// can take it as far as decoding and writing files.
	Plays bool
}

// At is the shape's URL with host in it.
func (s Shape) At(host string) string { return strings.ReplaceAll(s.URL, Host, host) }

// ShownAt is Shown with host in it.
func (s Shape) ShownAt(host string) string { return strings.ReplaceAll(s.Shown, Host, host) }

// PlayedPaths are the paths of the shapes that play, each once: what a
// test's RTSP server serves.
func PlayedPaths() []string {
	var paths []string
	for _, sh := range Shapes {
		if p := sh.Path(); sh.Plays && !slices.Contains(paths, p) {
			paths = append(paths, p)
		}
	}
	return paths
}

// Path is the path an RTSP server serves the shape at (Plays only).
func (s Shape) Path() string {
	u, err := url.Parse(s.At("127.0.0.1:1"))
	if err != nil {
		return ""
	}
	return strings.Trim(u.Path, "/")
}

// Leaked returns the secrets that text holds.
func (s Shape) Leaked(text string) []string {
	var out []string
	for _, secret := range s.Secrets {
		if strings.Contains(text, secret) {
			out = append(out, secret)
		}
	}
	return out
}

// Shapes is every shape, at least one of each kind redact knows.
var Shapes = []Shape{
	{Name: "userinfo password", URL: "rtsp://admin:Hunter2pw@HOST/stream", Shown: "rtsp://admin:***@HOST/stream",
		Secrets: []string{"Hunter2pw"}, Plays: true},
	{Name: "percent-encoded userinfo password", URL: "rtsp://admin:Hu%40nter%2Fpw@HOST/stream", Shown: "rtsp://admin:***@HOST/stream",
		Secrets: []string{"Hu%40nter%2Fpw", "Hu@nter/pw"}, Plays: true},
	{Name: "userinfo password with a raw @", URL: "rtsp://admin:Pa@ss4word@HOST/stream", Shown: "rtsp://admin:***@HOST/stream",
		Secrets: []string{"Pa@ss4word"}, Plays: true},
	{Name: "the issue's password with # (Go reads host viewer:77)", URL: "rtsp://viewer:77#x@HOST/p", Shown: "rtsp://viewer:***@HOST/p",
		Secrets: []string{"77#x"}, Rejected: true, Invalid: true},
	{Name: "password with # that Go cannot parse", URL: "rtsp://viewer:Hash#Word9@HOST/stream", Shown: "rtsp://viewer:***@HOST/stream",
		Secrets: []string{"Hash#Word9"}, Rejected: true, Invalid: true},
	{Name: "password with ?", URL: "rtsp://viewer:Ques?tion8@HOST/stream", Shown: "rtsp://viewer:***@HOST/stream",
		Secrets: []string{"Ques?tion8"}, Rejected: true, Invalid: true},
	{Name: "password with / that Go reads as a port and path", URL: "rtsp://viewer:12/34slash@HOST/stream", Shown: "rtsp://viewer:***@HOST/stream",
		Secrets: []string{"12/34slash"}, Rejected: true, Invalid: true},
	{Name: "password with / and @", URL: "rtsp://viewer:Sl/ash@At7@HOST/stream", Shown: "rtsp://viewer:***@HOST/stream",
		Secrets: []string{"Sl/ash@At7"}, Rejected: true, Invalid: true},
	{Name: "user without a password is shown", URL: "rtsp://operator@HOST/stream", Shown: "rtsp://operator@HOST/stream", Plays: true},
	{Name: "query user and password", URL: "rtsp://HOST/stream?user=QueryUser7&password=QueryPw9", Shown: "rtsp://HOST/stream?user=***&password=***",
		Secrets: []string{"QueryUser7", "QueryPw9"}, Plays: true},
	{Name: "query usr and pwd (Foscam)", URL: "http://HOST/cgi-bin/CGIProxy.fcgi?cmd=snapPicture2&usr=FoscamUser&pwd=FoscamPw1",
		Shown:   "http://HOST/cgi-bin/CGIProxy.fcgi?cmd=snapPicture2&usr=***&pwd=***",
		Secrets: []string{"FoscamUser", "FoscamPw1"}},
	{Name: "query loginuse and loginpas (old IP cameras)", URL: "http://HOST/videostream.cgi?loginuse=OldUser12&loginpas=OldPass34",
		Shown: "http://HOST/videostream.cgi?loginuse=***&loginpas=***", Secrets: []string{"OldUser12", "OldPass34"}},
	{Name: "query Token in another case", URL: "http://HOST/video.mjpg?Token=TokenAbc123", Shown: "http://HOST/video.mjpg?Token=***",
		Secrets: []string{"TokenAbc123"}},
	{Name: "query api_key", URL: "http://HOST/video.mjpg?api_key=ApiKey12345&fps=10", Shown: "http://HOST/video.mjpg?api_key=***&fps=10",
		Secrets: []string{"ApiKey12345"}},
	{Name: "query access_token and auth", URL: "http://HOST/video.mjpg?access_token=AccessTok99&auth=AuthValue88",
		Shown: "http://HOST/video.mjpg?access_token=***&auth=***", Secrets: []string{"AccessTok99", "AuthValue88"}},
	{Name: "query X-Signature and key", URL: "http://HOST/v.mjpg?expires=1&X-Signature=SigValue77&key=KeyValue66",
		Shown: "http://HOST/v.mjpg?expires=1&X-Signature=***&key=***", Secrets: []string{"SigValue77", "KeyValue66"}},
	{Name: "query secret escaped with + and %", URL: "http://HOST/v.mjpg?secret=Sec%26ret+Value", Shown: "http://HOST/v.mjpg?secret=***",
		Secrets: []string{"Sec%26ret+Value", "Sec&ret Value"}},
	{Name: "query key percent-encoded", URL: "http://HOST/v.mjpg?p%61sswd=EncKey99", Shown: "http://HOST/v.mjpg?p%61sswd=***",
		Secrets: []string{"EncKey99"}},
	{Name: "query parameters separated by ;", URL: "rtsp://HOST/stream?channel=1;passwd=SemiPw55;subtype=0",
		Shown: "rtsp://HOST/stream?channel=1;passwd=***;subtype=0", Secrets: []string{"SemiPw55"}, Plays: true},
	{Name: "path-style credentials with & (Dahua, XMeye)", URL: "rtsp://HOST/user=PathUser1&password=PathPw22&channel=1&stream=0.sdp",
		Shown: "rtsp://HOST/user=***&password=***&channel=1&stream=0.sdp", Secrets: []string{"PathUser1", "PathPw22"}, Plays: true},
	{Name: "path-style credentials with ;", URL: "rtsp://HOST/user=SemiUser3;password=SemiPath44;channel=1",
		Shown: "rtsp://HOST/user=***;password=***;channel=1", Secrets: []string{"SemiUser3", "SemiPath44"}, Plays: true},
	{Name: "path-style credentials joined by _ (XMeye)", URL: "rtsp://HOST/user=XmUser5_password=XmPass66_channel=1_stream=0.sdp",
		Shown: "rtsp://HOST/user=***", Secrets: []string{"XmUser5", "XmPass66"}, Plays: true},
	{Name: "userinfo and query secrets together", URL: "rtsps://admin:BothPw11@HOST/stream?token=BothTok22",
		Shown: "rtsps://admin:***@HOST/stream?token=***", Secrets: []string{"BothPw11", "BothTok22"}},
	{Name: "token in the fragment", URL: "http://HOST/v.mjpg#access_token=FragTok33", Shown: "http://HOST/v.mjpg#access_token=***",
		Secrets: []string{"FragTok33"}},
	{Name: "http userinfo password", URL: "http://admin:HttpPw44@HOST/video.mjpg", Shown: "http://admin:***@HOST/video.mjpg",
		Secrets: []string{"HttpPw44"}},
	{Name: "unparsable URL with a password", URL: "rtsp://admin:Unparse77@[HOST/stream", Shown: "rtsp://admin:***@[HOST/stream",
		Secrets: []string{"Unparse77"}, Invalid: true},
	{Name: "invalid escape in the password", URL: "rtsp://admin:Bad%zzPass@HOST/stream", Shown: "rtsp://admin:***@HOST/stream",
		Secrets: []string{"Bad%zzPass"}, Invalid: true},
	{Name: "unparsable URL with a userinfo but no colon", URL: "rtsp://OnlyPass99@[HOST/stream", Shown: "rtsp://***@[HOST/stream",
		Secrets: []string{"OnlyPass99"}, Invalid: true},
	{Name: "no scheme", URL: "admin:NoScheme88@HOST/stream", Shown: "admin:***@HOST/stream",
		Secrets: []string{"NoScheme88"}, Invalid: true},
	{Name: "an @ in the query after host:port is refused, not guessed", URL: "http://HOST/v.mjpg?email=cam@example.org",
		Shown: "http://127.0.0.1:***@example.org", Rejected: true, Invalid: true},
	{Name: "plain URL unchanged", URL: "rtsp://HOST/stream?channel=1&keyframe=2", Shown: "rtsp://HOST/stream?channel=1&keyframe=2", Plays: true},
}
