package onvif

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"
)

// usernameToken is a WS-Security UsernameToken with a password digest:
// Base64(SHA-1(nonce + created + password)). Created is on the device's
// clock (now plus the offset read from GetSystemDateAndTime), since devices
// refuse tokens created more than a few seconds from their own time, and
// many cameras' clocks are hours off.
func (c *Client) usernameToken() string {
	nonce := make([]byte, 16)
	_, _ = rand.Read(nonce)
	created := time.Now().Add(c.ClockOffset()).UTC().Format("2006-01-02T15:04:05.000Z")
	h := sha1.New()
	h.Write(nonce)
	h.Write([]byte(created))
	h.Write([]byte(c.cfg.Password))
	digest := base64.StdEncoding.EncodeToString(h.Sum(nil))
	return `<wsse:Security s:mustUnderstand="1" xmlns:wsse="` + nsWSSE + `" xmlns:wsu="` + nsWSU + `">` +
		`<wsse:UsernameToken><wsse:Username>` + esc(c.cfg.User) + `</wsse:Username>` +
		`<wsse:Password Type="` + passDigest + `">` + digest + `</wsse:Password>` +
		`<wsse:Nonce EncodingType="` + nonceBase64 + `">` + base64.StdEncoding.EncodeToString(nonce) + `</wsse:Nonce>` +
		`<wsu:Created>` + created + `</wsu:Created></wsse:UsernameToken></wsse:Security>`
}

// httpDigest answers HTTP digest challenges (RFC 7616, MD5, qop=auth),
// which some devices ask for instead of, or besides, a UsernameToken. Once
// challenged, every later request carries an answer, so that a device is
// not sent one refused request per call.
type httpDigest struct {
	mu                   sync.Mutex
	realm, nonce, opaque string
	qop                  bool
	nc                   int
}

// challenged takes a WWW-Authenticate header; false when it is no digest
// challenge camwall can answer.
func (d *httpDigest) challenged(header string) bool {
	scheme, rest, _ := strings.Cut(strings.TrimSpace(header), " ")
	if !strings.EqualFold(scheme, "Digest") {
		return false
	}
	p := authParams(rest)
	if alg := p["algorithm"]; alg != "" && !strings.EqualFold(alg, "MD5") {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.realm, d.nonce, d.opaque, d.nc = p["realm"], p["nonce"], p["opaque"], 0
	d.qop = false
	for _, q := range strings.Split(p["qop"], ",") {
		if strings.TrimSpace(q) == "auth" {
			d.qop = true
		}
	}
	return d.nonce != ""
}

// authorization is the Authorization header for a request, "" before any
// challenge.
func (d *httpDigest) authorization(method, uri, user, password string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.nonce == "" {
		return ""
	}
	ha1 := md5hex(user + ":" + d.realm + ":" + password)
	ha2 := md5hex(method + ":" + uri)
	h := fmt.Sprintf(`Digest username="%s", realm="%s", nonce="%s", uri="%s", algorithm=MD5`,
		quoted(user), quoted(d.realm), quoted(d.nonce), quoted(uri))
	if d.qop {
		d.nc++
		cnonce := make([]byte, 8)
		_, _ = rand.Read(cnonce)
		cn := hex.EncodeToString(cnonce)
		nc := fmt.Sprintf("%08x", d.nc)
		h += fmt.Sprintf(`, qop=auth, nc=%s, cnonce="%s", response="%s"`, nc, cn,
			md5hex(ha1+":"+d.nonce+":"+nc+":"+cn+":auth:"+ha2))
	} else {
		h += fmt.Sprintf(`, response="%s"`, md5hex(ha1+":"+d.nonce+":"+ha2))
	}
	if d.opaque != "" {
		h += fmt.Sprintf(`, opaque="%s"`, quoted(d.opaque))
	}
	return h
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// quoted escapes a value for a quoted-string.
func quoted(s string) string { return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) }

// authParams parses a challenge's comma-separated key=value pairs, values
// quoted or not.
func authParams(s string) map[string]string {
	out := map[string]string{}
	for s = strings.TrimSpace(s); s != ""; {
		key, rest, ok := strings.Cut(s, "=")
		if !ok {
			break
		}
		key = strings.ToLower(strings.TrimSpace(strings.TrimLeft(key, ", ")))
		rest = strings.TrimSpace(rest)
		var val string
		if strings.HasPrefix(rest, `"`) {
			var b strings.Builder
			i := 1
			for ; i < len(rest) && rest[i] != '"'; i++ {
				if rest[i] == '\\' && i+1 < len(rest) {
					i++
				}
				b.WriteByte(rest[i])
			}
			val, rest = b.String(), rest[min(i+1, len(rest)):]
		} else {
			val, rest, _ = strings.Cut(rest, ",")
			val = strings.TrimSpace(val)
		}
		out[key] = val
		s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), ","))
	}
	return out
}
