package onviftest

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The tests write requests by hand with prefixes unlike the simulator's own
// (env, dev, med, ptzs, sch, sec, utl), as other clients would, and read
// replies with a plain token walk, not with the simulator's parser.

var client = &http.Client{
	Timeout:   10 * time.Second,
	Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil},
}

const (
	pfxEnv = `xmlns:env="` + nsSOAP + `"`
	pfxAll = pfxEnv + ` xmlns:dev="` + nsDevice + `" xmlns:med="` + nsMedia + `" xmlns:ptzs="` + nsPTZ +
		`" xmlns:sch="` + nsSchema + `"`
)

// soapRequest is an envelope around body with an optional header.
func soapRequest(header, body string) string {
	return `<?xml version="1.0"?><env:Envelope ` + pfxAll + `><env:Header>` + header + `</env:Header><env:Body>` +
		body + `</env:Body></env:Envelope>`
}

// token is a WS-Security UsernameToken with a PasswordDigest made at created.
func token(user, password string, created time.Time) string {
	nonce := make([]byte, 16)
	_, _ = rand.Read(nonce)
	c := created.UTC().Format("2006-01-02T15:04:05.000Z")
	return `<sec:Security xmlns:sec="` + nsWSSE + `" xmlns:utl="` + nsWSU + `" env:mustUnderstand="1"><sec:UsernameToken>` +
		`<sec:Username>` + user + `</sec:Username>` +
		`<sec:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">` +
		PasswordDigest(nonce, c, password) + `</sec:Password>` +
		`<sec:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">` +
		base64.StdEncoding.EncodeToString(nonce) + `</sec:Nonce><utl:Created>` + c + `</utl:Created></sec:UsernameToken></sec:Security>`
}

// textToken is a UsernameToken with the password in the clear.
func textToken(user, password string) string {
	return `<sec:Security xmlns:sec="` + nsWSSE + `"><sec:UsernameToken><sec:Username>` + user + `</sec:Username>` +
		`<sec:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">` +
		password + `</sec:Password></sec:UsernameToken></sec:Security>`
}

type reply struct {
	status int
	header http.Header
	body   string
}

func post(t *testing.T, url, body string, hdr http.Header) reply {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/soap+xml; charset=utf-8")
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("POST %s: body: %v", url, err)
	}
	return reply{resp.StatusCode, resp.Header, string(b)}
}

// call posts an operation with a fresh token (if user is set) to the
// device service.
func call(t *testing.T, d *Device, user, password, op string) reply {
	t.Helper()
	header := ""
	if user != "" {
		header = token(user, password, time.Now().Add(d.cfg.ClockOffset))
	}
	return post(t, d.XAddr(), soapRequest(header, op), nil)
}

// texts is the text of every element {space}local in doc, in order.
func texts(t *testing.T, doc, space, local string) []string {
	t.Helper()
	var out []string
	dec := xml.NewDecoder(strings.NewReader(doc))
	var stack []*strings.Builder
	var match []bool
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("reply is not XML: %v\n%s", err, doc)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			stack = append(stack, &strings.Builder{})
			match = append(match, tok.Name.Space == space && tok.Name.Local == local)
		case xml.CharData:
			for _, b := range stack {
				b.Write(tok)
			}
		case xml.EndElement:
			if match[len(match)-1] {
				out = append(out, strings.TrimSpace(stack[len(stack)-1].String()))
			}
			stack, match = stack[:len(stack)-1], match[:len(match)-1]
		}
	}
}

// text is the one element {space}local in doc.
func text(t *testing.T, doc, space, local string) string {
	t.Helper()
	all := texts(t, doc, space, local)
	if len(all) == 0 {
		t.Fatalf("reply has no {%s}%s:\n%s", space, local, doc)
	}
	return all[0]
}

// attrs is the value of attribute name on every element {space}local.
func attrs(t *testing.T, doc, space, local, name string) []string {
	t.Helper()
	var out []string
	dec := xml.NewDecoder(strings.NewReader(doc))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("reply is not XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Space == space && se.Name.Local == local {
			for _, a := range se.Attr {
				if a.Name.Local == name {
					out = append(out, a.Value)
				}
			}
		}
	}
}

// faultSubcodes is the fault's subcode values, outermost first, or nil
// for a reply that is no fault.
func faultSubcodes(t *testing.T, doc string) []string {
	t.Helper()
	if len(texts(t, doc, nsSOAP, "Fault")) == 0 {
		return nil
	}
	vals := texts(t, doc, nsSOAP, "Value")
	return vals[1:] // the first is the Code's own value
}

func wantFault(t *testing.T, r reply, status int, subcode string) {
	t.Helper()
	if r.status != status {
		t.Errorf("status %d, want %d:\n%s", r.status, status, r.body)
	}
	got := faultSubcodes(t, r.body)
	if len(got) == 0 || !strings.HasSuffix(got[0], subcode) {
		t.Errorf("fault subcodes %q, want %q first:\n%s", got, subcode, r.body)
	}
}

func wantOK(t *testing.T, r reply) {
	t.Helper()
	if r.status != http.StatusOK || bytes.Contains([]byte(r.body), []byte("Fault>")) {
		t.Fatalf("status %d, want 200 without fault:\n%s", r.status, r.body)
	}
}

// digestAuthorization answers an HTTP Digest challenge as RFC 7616 says.
func digestAuthorization(challenge, user, password, method, uri string) string {
	p := parseDigestParams(strings.TrimPrefix(challenge, "Digest "))
	h := func(s string) string { sum := md5.Sum([]byte(s)); return hex.EncodeToString(sum[:]) }
	cnonce, nc := "0a4f113b", "00000001"
	ha1 := h(user + ":" + p["realm"] + ":" + password)
	ha2 := h(method + ":" + uri)
	resp := h(ha1 + ":" + p["nonce"] + ":" + nc + ":" + cnonce + ":auth:" + ha2)
	return fmt.Sprintf(`Digest username="%s", realm="%s", nonce="%s", uri="%s", qop=auth, nc=%s, cnonce="%s", response="%s", algorithm=MD5`,
		user, p["realm"], p["nonce"], uri, nc, cnonce, resp)
}
