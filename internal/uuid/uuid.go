// Package uuid makes the identifiers lambdatune's sandbox hands out in
// version-4 UUID form (RFC 9562): request ids of the answers outside the
// seeded model (the X-Amzn-RequestId of control-plane and CloudWatch calls),
// and, from the sandbox's seeded random source, invocation request ids and
// product ids, so that a seeded run makes the same ones.
//
// It is a leaf package: it imports only the standard library.
package uuid

import (
	"crypto/rand"
	"encoding/binary"
)

// New is a random version-4 UUID, for a request id nobody needs to repeat.
func New() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return FromBits(binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:]))
}

// FromBits is the version-4 UUID made of 128 random bits, hi then lo, with
// the version and variant bits set as RFC 9562 requires.
func FromBits(hi, lo uint64) string {
	hi = hi&^0xf000 | 0x4000     // version 4
	lo = lo&^(0xc<<60) | 0x8<<60 // the RFC's variant
	var b [36]byte
	putHex(b[0:8], hi>>32)
	b[8] = '-'
	putHex(b[9:13], hi>>16)
	b[13] = '-'
	putHex(b[14:18], hi)
	b[18] = '-'
	putHex(b[19:23], lo>>48)
	b[23] = '-'
	putHex(b[24:36], lo)
	return string(b[:])
}

// putHex writes the low 4·len(dst) bits of v as lowercase hex digits.
func putHex(dst []byte, v uint64) {
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = "0123456789abcdef"[v&0xf]
		v >>= 4
	}
}
