package goprotest

import (
	"context"
	"net"
	"slices"
	"sync"
	"syscall"
)

// Route is a dialer for the code under test (gopro.Discoverer.Dial,
// player.Config.Dial) that sends the connections for chosen camera
// addresses to simulators on loopback, refuses every other one, and records
// them all: a test can then use a real camera address, such as a GoPro's
// 172.2X.1YZ.51, without anything reaching it.
type Route struct {
	mu     sync.Mutex
	to     map[string]string // camera host:port -> simulator host:port
	dialed []string
}

// NewRoute routes each camera host:port in to to its simulator.
func NewRoute(to map[string]string) *Route { return &Route{to: to} }

// Dial connects as the camera's address would, or refuses.
func (r *Route) Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	r.mu.Lock()
	r.dialed = append(r.dialed, addr)
	target, ok := r.to[addr]
	r.mu.Unlock()
	if !ok {
		return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
	}
	var d net.Dialer
	return d.DialContext(ctx, network, target)
}

// Dialed is every address asked for, sorted, each once.
func (r *Route) Dialed() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Compact(slices.Sorted(slices.Values(r.dialed)))
}
