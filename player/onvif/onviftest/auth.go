package onviftest

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// maxClockSkew is how far a UsernameToken's Created may be from the
// device's clock.
const maxClockSkew = 5 * time.Second

// digestRealm is the HTTP Digest realm the device challenges with.
const digestRealm = "camwall-sim"

// authenticate checks the request's credentials and, when they fail,
// answers it and counts a failed login.
func (d *Device) authenticate(w http.ResponseWriter, r *http.Request, req *request) bool {
	if d.cfg.HTTPDigest {
		return d.checkHTTPDigest(w, r)
	}
	if err := d.checkUsernameToken(req.header); err != nil {
		d.mu.Lock()
		d.failedLogins++
		d.mu.Unlock()
		// Many cameras answer a WS-Security failure with 400 and this
		// subcode; a client has to treat it as wrong credentials.
		writeFault(w, senderFault("ter:NotAuthorized", err.Error()))
		return false
	}
	return true
}

// checkUsernameToken verifies a WS-Security UsernameToken (PasswordDigest
// or PasswordText).
func (d *Device) checkUsernameToken(header *node) error {
	tok := header.child(nsWSSE, "Security").child(nsWSSE, "UsernameToken")
	if tok == nil {
		return fmt.Errorf("sender not authorized: no WS-Security UsernameToken")
	}
	user := tok.child(nsWSSE, "Username").value()
	pw := tok.child(nsWSSE, "Password")
	nonceText := tok.child(nsWSSE, "Nonce").value()
	created := tok.child(nsWSU, "Created").value()
	if user != d.cfg.Username || pw == nil {
		return fmt.Errorf("sender not authorized: unknown user or no password")
	}
	if created != "" {
		at, err := time.Parse(time.RFC3339Nano, created)
		if err != nil {
			return fmt.Errorf("sender not authorized: Created %q: %w", created, err)
		}
		if skew := at.Sub(d.now()).Abs(); skew > maxClockSkew {
			return fmt.Errorf("sender not authorized: Created %s is %s from the device clock %s",
				created, skew.Round(time.Second), d.now().UTC().Format(time.RFC3339))
		}
	}
	typ := pw.attr("Type")
	switch {
	case strings.HasSuffix(typ, "#PasswordDigest"):
		if created == "" {
			return fmt.Errorf("sender not authorized: PasswordDigest without Created")
		}
		nonce, err := base64.StdEncoding.DecodeString(nonceText)
		if err != nil {
			return fmt.Errorf("sender not authorized: Nonce is not base64: %w", err)
		}
		if subtle.ConstantTimeCompare([]byte(pw.value()), []byte(PasswordDigest(nonce, created, d.cfg.Password))) != 1 {
			return fmt.Errorf("sender not authorized: wrong password digest")
		}
	case typ == "" || strings.HasSuffix(typ, "#PasswordText"):
		if subtle.ConstantTimeCompare([]byte(pw.value()), []byte(d.cfg.Password)) != 1 {
			return fmt.Errorf("sender not authorized: wrong password")
		}
	default:
		return fmt.Errorf("sender not authorized: password type %q", typ)
	}
	return nil
}

// PasswordDigest is the WS-Security UsernameToken digest
// Base64(SHA1(nonce + created + password)), for tests that build tokens.
func PasswordDigest(nonce []byte, created, password string) string {
	h := sha1.New()
	h.Write(nonce)
	h.Write([]byte(created))
	h.Write([]byte(password))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// checkHTTPDigest verifies RFC 7616 Digest (MD5, qop=auth) and otherwise
// answers 401 with a fresh challenge.
func (d *Device) checkHTTPDigest(w http.ResponseWriter, r *http.Request) bool {
	h := r.Header.Get("Authorization")
	if h != "" {
		if err := d.verifyDigest(r.Method, h); err == nil {
			return true
		}
		d.mu.Lock()
		d.failedLogins++
		d.mu.Unlock()
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	nonce := hex.EncodeToString(b[:])
	d.mu.Lock()
	d.nonces[nonce] = true
	d.mu.Unlock()
	w.Header().Set("WWW-Authenticate",
		fmt.Sprintf(`Digest realm="%s", qop="auth", algorithm=MD5, nonce="%s"`, digestRealm, nonce))
	writeSOAP(w, http.StatusUnauthorized,
		envelope("", senderFault("ter:NotAuthorized", "HTTP Digest authentication required").xml()))
	return false
}

// verifyDigest checks an Authorization header against a nonce the device
// handed out.
func (d *Device) verifyDigest(method, header string) error {
	scheme, rest, _ := strings.Cut(header, " ")
	if !strings.EqualFold(scheme, "Digest") {
		return fmt.Errorf("authorization scheme %q, want Digest", scheme)
	}
	p := parseDigestParams(rest)
	d.mu.Lock()
	known := d.nonces[p["nonce"]]
	d.mu.Unlock()
	switch {
	case !known:
		return fmt.Errorf("digest nonce %q was not handed out", p["nonce"])
	case p["username"] != d.cfg.Username:
		return fmt.Errorf("digest user %q unknown", p["username"])
	case p["realm"] != digestRealm:
		return fmt.Errorf("digest realm %q, want %q", p["realm"], digestRealm)
	case p["qop"] != "auth":
		return fmt.Errorf("digest qop %q, want auth", p["qop"])
	case p["algorithm"] != "" && !strings.EqualFold(p["algorithm"], "MD5"):
		return fmt.Errorf("digest algorithm %q, want MD5", p["algorithm"])
	}
	ha1 := md5hex(p["username"] + ":" + digestRealm + ":" + d.cfg.Password)
	ha2 := md5hex(method + ":" + p["uri"])
	want := md5hex(ha1 + ":" + p["nonce"] + ":" + p["nc"] + ":" + p["cnonce"] + ":auth:" + ha2)
	if subtle.ConstantTimeCompare([]byte(strings.ToLower(p["response"])), []byte(want)) != 1 {
		return fmt.Errorf("digest response does not match")
	}
	return nil
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// parseDigestParams splits a Digest header's comma-separated key=value
// pairs, values quoted or not.
func parseDigestParams(s string) map[string]string {
	out := map[string]string{}
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimLeft(strings.TrimSpace(s), ",") {
		s = strings.TrimSpace(s)
		key, rest, ok := strings.Cut(s, "=")
		if !ok {
			break
		}
		key = strings.ToLower(strings.TrimSpace(key))
		rest = strings.TrimSpace(rest)
		var val string
		if strings.HasPrefix(rest, `"`) {
			end := strings.Index(rest[1:], `"`)
			if end < 0 {
				val, rest = rest[1:], ""
			} else {
				val, rest = rest[1:1+end], rest[2+end:]
			}
		} else {
			val, rest, _ = strings.Cut(rest, ",")
			val = strings.TrimSpace(val)
		}
		out[key] = val
		s = rest
	}
	return out
}
