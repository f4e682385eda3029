//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package load

import "net"

// idleProbe cannot peek on this system: a connection the server closed while
// idle then fails the next request instead of being replaced before it.
type idleProbe struct{}

func newIdleProbe(net.Conn) *idleProbe { return nil }

func (*idleProbe) peerClosed() bool { return false }
