package onviftest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// envelopeOpen declares every namespace a reply uses on the root, as most
// cameras do, so that the bodies below can use the usual prefixes freely.
const envelopeOpen = `<?xml version="1.0" encoding="UTF-8"?>` +
	`<SOAP-ENV:Envelope xmlns:SOAP-ENV="` + nsSOAP + `"` +
	` xmlns:tds="` + nsDevice + `" xmlns:trt="` + nsMedia + `" xmlns:tptz="` + nsPTZ + `"` +
	` xmlns:tt="` + nsSchema + `" xmlns:ter="` + nsError + `"` +
	` xmlns:wsa="` + nsAddress + `" xmlns:d="` + nsDiscover + `" xmlns:dn="` + nsNetwork + `">`

// envelope wraps body (already XML) in a SOAP 1.2 envelope with header (may
// be empty).
func envelope(header, body string) []byte {
	var b strings.Builder
	b.WriteString(envelopeOpen)
	if header != "" {
		b.WriteString("<SOAP-ENV:Header>" + header + "</SOAP-ENV:Header>")
	}
	b.WriteString("<SOAP-ENV:Body>" + body + "</SOAP-ENV:Body></SOAP-ENV:Envelope>")
	return []byte(b.String())
}

// soapFault is a SOAP 1.2 fault answer. code is "Sender" or "Receiver";
// subcodes nest in order (ter:InvalidArgVal, then ter:NoProfile).
type soapFault struct {
	code     string
	subcodes []string
	reason   string
}

func (f *soapFault) Error() string {
	return fmt.Sprintf("SOAP fault %s %s: %s", f.code, strings.Join(f.subcodes, "/"), f.reason)
}

// senderFault is a fault the client caused; subcode may hold several
// subcodes separated by "/", outermost first.
func senderFault(subcode, reason string) *soapFault {
	return &soapFault{code: "Sender", subcodes: splitSubcodes(subcode), reason: reason}
}

// receiverFault is a fault on the device's side, such as an operation it
// does not implement (ONVIF Core: env:Receiver ter:ActionNotSupported).
func receiverFault(subcode, reason string) *soapFault {
	return &soapFault{code: "Receiver", subcodes: splitSubcodes(subcode), reason: reason}
}

func splitSubcodes(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "/") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// status is the HTTP status of the fault per the SOAP 1.2 HTTP binding:
// 400 for env:Sender, 500 otherwise.
func (f *soapFault) status() int {
	if f.code == "Sender" {
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

func (f *soapFault) xml() string {
	var b strings.Builder
	b.WriteString("<SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:" + f.code + "</SOAP-ENV:Value>")
	for _, s := range f.subcodes {
		b.WriteString("<SOAP-ENV:Subcode><SOAP-ENV:Value>" + esc(s) + "</SOAP-ENV:Value>")
	}
	for range f.subcodes {
		b.WriteString("</SOAP-ENV:Subcode>")
	}
	b.WriteString(`</SOAP-ENV:Code><SOAP-ENV:Reason><SOAP-ENV:Text xml:lang="en">` + esc(f.reason) +
		"</SOAP-ENV:Text></SOAP-ENV:Reason></SOAP-ENV:Fault>")
	return b.String()
}

// writeSOAP answers a SOAP body with status. The length is always given:
// cameras send it, and simple clients (libonvif) read a chunked body as no
// reply.
func writeSOAP(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeFault(w http.ResponseWriter, f *soapFault) {
	writeSOAP(w, f.status(), envelope("", f.xml()))
}

// request is one parsed SOAP request.
type request struct {
	env    *node
	header *node
	op     *node // the Body's first element: the operation
}

func parseRequest(data []byte) (*request, error) {
	env, err := parseXML(data)
	if err != nil {
		return nil, err
	}
	if env.space != nsSOAP || env.local != "Envelope" {
		return nil, fmt.Errorf("root element {%s}%s is not a SOAP 1.2 Envelope", env.space, env.local)
	}
	body := env.child(nsSOAP, "Body")
	if body == nil || len(body.children) == 0 {
		return nil, fmt.Errorf("SOAP envelope has no Body operation")
	}
	return &request{env: env, header: env.child(nsSOAP, "Header"), op: body.children[0]}, nil
}
