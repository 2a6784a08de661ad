package onviftest

import (
	"fmt"
	"io"
	"net/http"
	"time"
)

// maxRequest bounds a request body: no ONVIF request comes near it, and a
// client bug that streams without end must not exhaust the test's memory.
const maxRequest = 1 << 20

// operation answers one SOAP operation with the XML of its response
// element, or a fault.
type operation func(d *Device, r *http.Request, op *node) (string, *soapFault)

// operations maps {namespace}local to its handler. Routing is by the
// operation element, not the path, since some clients send every request to
// the device service.
var operations map[string]operation

func opKey(space, local string) string { return "{" + space + "}" + local }

func init() {
	operations = map[string]operation{}
	for name, op := range deviceOperations {
		operations[opKey(nsDevice, name)] = op
	}
	for name, op := range mediaOperations {
		operations[opKey(nsMedia, name)] = op
	}
	for name, op := range ptzOperations {
		operations[opKey(nsPTZ, name)] = op
	}
}

// preAuth operations answer without credentials, as on real cameras: a
// client needs the device's clock before it can make a valid token.
var preAuth = map[string]bool{opKey(nsDevice, "GetSystemDateAndTime"): true}

func (d *Device) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "ONVIF services take SOAP over POST", http.StatusMethodNotAllowed)
		return
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxRequest+1))
	if err != nil {
		writeFault(w, senderFault("ter:InvalidArgVal", fmt.Sprintf("read request: %v", err)))
		return
	}
	if len(data) > maxRequest {
		writeFault(w, senderFault("ter:InvalidArgVal", fmt.Sprintf("request larger than %d bytes", maxRequest)))
		return
	}
	req, err := parseRequest(data)
	if err != nil {
		writeFault(w, senderFault("ter:WellFormed", err.Error()))
		return
	}
	action := req.op.local
	key := opKey(req.op.space, action)

	d.mu.Lock()
	d.actions = append(d.actions, action)
	delay := d.delays[action]
	d.mu.Unlock()

	if delay > 0 {
		timer := time.NewTimer(delay)
		select {
		case <-timer.C:
		case <-r.Context().Done():
			timer.Stop()
			return
		case <-d.done:
			// A camera switched off mid-answer breaks the connection; it
			// does not send an empty reply.
			timer.Stop()
			panic(http.ErrAbortHandler)
		}
	}

	if !preAuth[key] && d.cfg.Username != "" {
		if !d.authenticate(w, r, req) {
			return
		}
	}

	d.mu.Lock()
	raw, fault := d.raw[action], d.faults[action]
	d.mu.Unlock()
	if raw != nil {
		writeSOAP(w, http.StatusOK, raw)
		return
	}
	if fault != nil {
		writeFault(w, fault)
		return
	}

	handle, ok := operations[key]
	if !ok {
		writeFault(w, receiverFault("ter:ActionNotSupported",
			fmt.Sprintf("operation {%s}%s is not supported", req.op.space, action)))
		return
	}
	body, f := handle(d, r, req.op)
	if f != nil {
		writeFault(w, f)
		return
	}
	writeSOAP(w, http.StatusOK, envelope("", body))
}
