package onvif

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Namespaces of the services and headers camwall uses.
const (
	nsSOAP      = "http://www.w3.org/2003/05/soap-envelope"
	nsDevice    = "http://www.onvif.org/ver10/device/wsdl"
	nsMedia     = "http://www.onvif.org/ver10/media/wsdl"
	nsPTZ       = "http://www.onvif.org/ver20/ptz/wsdl"
	nsSchema    = "http://www.onvif.org/ver10/schema"
	nsWSSE      = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	nsWSU       = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
	passDigest  = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest"
	nonceBase64 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)

// maxReply bounds what one reply may hold: the largest real GetProfiles
// answers are tens of kilobytes, and a device that sends more is broken or
// hostile, not a camera to read to the end.
const maxReply = 1 << 20

// ErrNotAuthorized is a device refusing the user name or password (a
// ter:NotAuthorized fault, or HTTP 401 after digest authentication).
var ErrNotAuthorized = errors.New("the device refused the user name or password")

// ErrReplyTooLarge is a reply over maxReply.
var ErrReplyTooLarge = fmt.Errorf("reply larger than %d KiB", maxReply>>10)

// Fault is a SOAP fault a device answered with.
type Fault struct {
	// Code is the SOAP code (Sender, Receiver) and Subcode the ONVIF one
	// (ter:ActionNotSupported, ter:InvalidArgVal…), without prefixes.
	Code, Subcode string
	// Reason is the device's own text, cleaned for display.
	Reason string
}

func (f *Fault) Error() string {
	what := f.Subcode
	if what == "" {
		what = f.Code
	}
	if f.Reason != "" {
		return fmt.Sprintf("the device answered with a fault: %s (%s)", f.Reason, what)
	}
	return "the device answered with a fault: " + what
}

// Is makes a NotAuthorized fault an ErrNotAuthorized.
func (f *Fault) Is(target error) bool {
	return target == ErrNotAuthorized && strings.EqualFold(f.Subcode, "NotAuthorized")
}

// soapFault is a SOAP 1.2 fault as it travels.
type soapFault struct {
	Code struct {
		Value   string `xml:"Value"`
		Subcode struct {
			Value   string `xml:"Value"`
			Subcode struct {
				Value string `xml:"Value"`
			} `xml:"Subcode"`
		} `xml:"Subcode"`
	} `xml:"Code"`
	Reason struct {
		Text []string `xml:"Text"`
	} `xml:"Reason"`
	// SOAP 1.1 devices answer faultcode and faultstring instead.
	FaultCode   string `xml:"faultcode"`
	FaultString string `xml:"faultstring"`
}

func (f *soapFault) fault() *Fault {
	out := &Fault{Code: local(f.Code.Value), Subcode: local(f.Code.Subcode.Value)}
	if inner := local(f.Code.Subcode.Subcode.Value); inner != "" && !strings.EqualFold(out.Subcode, "NotAuthorized") {
		out.Subcode = inner
	}
	if out.Code == "" {
		out.Code = local(f.FaultCode)
	}
	if len(f.Reason.Text) > 0 {
		out.Reason = cleanText(f.Reason.Text[0])
	} else {
		out.Reason = cleanText(f.FaultString)
	}
	return out
}

// local is a qualified name without its prefix.
func local(qname string) string {
	qname = strings.TrimSpace(qname)
	if i := strings.LastIndexByte(qname, ':'); i >= 0 {
		return qname[i+1:]
	}
	return qname
}

// replyEnvelope is a reply: a fault, or the operation's response element.
type replyEnvelope[T any] struct {
	Body struct {
		Fault    *soapFault `xml:"Fault"`
		Response *T         `xml:",any"`
	} `xml:"Body"`
}

// call posts one operation, with the client's credentials, to the service
// at xaddr and decodes its response element into resp (nil: the reply is
// only checked for a fault).
func call[T any](ctx context.Context, c *Client, xaddr, action string, body string, resp *T) error {
	return exchange(ctx, c, xaddr, action, body, resp, true)
}

// exchange is call, with or without credentials.
func exchange[T any](ctx context.Context, c *Client, xaddr, action string, body string, resp *T, auth bool) error {
	op := action[strings.LastIndexByte(action, '/')+1:]
	data, err := c.post(ctx, xaddr, action, body, auth)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	var env replyEnvelope[T]
	if resp != nil {
		env.Body.Response = resp
	}
	if err := xml.Unmarshal(data, &env); err != nil {
		return fmt.Errorf("%s: the device's reply is not valid SOAP: %w", op, err)
	}
	if env.Body.Fault != nil {
		return fmt.Errorf("%s: %w", op, env.Body.Fault.fault())
	}
	if resp != nil && env.Body.Response == nil {
		return fmt.Errorf("%s: the device's reply has no response", op)
	}
	return nil
}

// post sends one SOAP request and returns the reply's bytes, a fault reply
// included (devices answer faults with 400 or 500). It signs the request
// with a UsernameToken, and answers an HTTP digest challenge once.
func (c *Client) post(ctx context.Context, xaddr, action, body string, auth bool) ([]byte, error) {
	auth = auth && c.cfg.User != ""
	for try := 0; ; try++ {
		envelope := c.envelope(body, auth)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, xaddr, bytes.NewReader(envelope))
		if err != nil {
			return nil, fmt.Errorf("invalid service address: %w", err)
		}
		req.Header.Set("Content-Type", `application/soap+xml; charset=utf-8; action="`+action+`"`)
		if auth {
			if h := c.digest.authorization(http.MethodPost, req.URL.RequestURI(), c.cfg.User, c.cfg.Password); h != "" {
				req.Header.Set("Authorization", h)
			}
		}
		res, err := c.http.Do(req)
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(res.Body, maxReply+1))
		res.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("read the reply: %w", err)
		}
		if len(data) > maxReply {
			return nil, ErrReplyTooLarge
		}
		if res.StatusCode == http.StatusUnauthorized {
			challenge := res.Header.Get("WWW-Authenticate")
			if try == 0 && auth && c.digest.challenged(challenge) {
				continue
			}
			return nil, ErrNotAuthorized
		}
		if res.StatusCode/100 != 2 && !isSOAP(data) {
			return nil, fmt.Errorf("the device answered HTTP %d", res.StatusCode)
		}
		return data, nil
	}
}

// isSOAP reports whether data starts like an XML document, which a fault
// reply with an error status is.
func isSOAP(data []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n\ufeff"), []byte("<"))
}

// envelope wraps a body, with a fresh UsernameToken when auth is set.
func (c *Client) envelope(body string, auth bool) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>`)
	b.WriteString(`<s:Envelope xmlns:s="` + nsSOAP + `"><s:Header>`)
	if auth {
		b.WriteString(c.usernameToken())
	}
	b.WriteString(`</s:Header><s:Body>`)
	b.WriteString(body)
	b.WriteString(`</s:Body></s:Envelope>`)
	return []byte(b.String())
}

// esc is s escaped for XML text and attributes.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
