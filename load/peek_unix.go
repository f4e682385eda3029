//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package load

import (
	"crypto/tls"
	"net"
	"syscall"
)

// idleProbe asks the kernel whether a kept connection can still carry a
// request. It is made once per connection, so that asking allocates nothing.
type idleProbe struct {
	raw    syscall.RawConn
	peek   func(fd uintptr) bool
	closed bool
	buf    [1]byte
}

// newIdleProbe returns nil where the connection's socket cannot be reached.
// For TLS it watches the TCP connection underneath.
func newIdleProbe(conn net.Conn) *idleProbe {
	if tlsConn, ok := conn.(*tls.Conn); ok {
		conn = tlsConn.NetConn()
	}
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return nil
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	p := &idleProbe{raw: raw}
	p.peek = p.peekOnce
	return p
}

// peerClosed reports whether the server closed the connection (end of stream
// or reset) or sent bytes nobody asked for — a close_notify alert over TLS
// included. It peeks without blocking and consumes nothing, so an open,
// quiet connection is left exactly as it was.
func (p *idleProbe) peerClosed() bool {
	if p == nil {
		return false
	}
	err := p.raw.Read(p.peek)
	return p.closed || err != nil
}

func (p *idleProbe) peekOnce(fd uintptr) bool {
	_, _, err := syscall.Recvfrom(int(fd), p.buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
	p.closed = err != syscall.EAGAIN && err != syscall.EINTR
	return true // never wait for the socket: this is a look, not a read
}
