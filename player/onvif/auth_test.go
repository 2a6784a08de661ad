package onvif

import (
	"crypto/md5"
	"encoding/hex"
	"strings"
	"testing"
)

func TestAuthParamsReadsDigestChallenges(t *testing.T) {
	got := authParams(`realm="cam, inc", nonce="a\"b", qop="auth,auth-int", algorithm=MD5, opaque=xyz`)
	want := map[string]string{"realm": "cam, inc", "nonce": `a"b`, "qop": "auth,auth-int", "algorithm": "MD5", "opaque": "xyz"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
}

func TestHTTPDigestAnswersAsRFC7616Says(t *testing.T) {
	var d httpDigest
	if d.authorization("POST", "/onvif/device_service", "admin", "pw") != "" {
		t.Fatal("an answer before any challenge")
	}
	if d.challenged(`Basic realm="x"`) || d.challenged(`Digest realm="x", nonce="n", algorithm=SHA-256`) {
		t.Fatal("took a challenge camwall cannot answer")
	}
	if !d.challenged(`Digest realm="IPCam", nonce="abc", qop="auth"`) {
		t.Fatal("refused an MD5 challenge")
	}
	h := d.authorization("POST", "/onvif/device_service", "admin", "pw")
	p := authParams(strings.TrimPrefix(h, "Digest "))
	md := func(s string) string { sum := md5.Sum([]byte(s)); return hex.EncodeToString(sum[:]) }
	ha1, ha2 := md("admin:IPCam:pw"), md("POST:/onvif/device_service")
	want := md(ha1 + ":abc:" + p["nc"] + ":" + p["cnonce"] + ":auth:" + ha2)
	if p["response"] != want || p["nc"] != "00000001" || p["username"] != "admin" || p["uri"] != "/onvif/device_service" {
		t.Errorf("answer %q, want response %s", h, want)
	}
	if p2 := authParams(strings.TrimPrefix(d.authorization("POST", "/x", "admin", "pw"), "Digest ")); p2["nc"] != "00000002" {
		t.Errorf("second answer's nc = %s, want 00000002", p2["nc"])
	}
}
