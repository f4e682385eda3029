package uuid

import (
	"regexp"
	"testing"
)

// version4 is RFC 9562's layout for version 4 with its variant.
var version4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestFromBitsIsAVersion4UUID(t *testing.T) {
	cases := map[[2]uint64]string{
		{0, 0}:                                   "00000000-0000-4000-8000-000000000000",
		{^uint64(0), ^uint64(0)}:                 "ffffffff-ffff-4fff-bfff-ffffffffffff",
		{0x0123456789abcdef, 0xfedcba9876543210}: "01234567-89ab-4def-bedc-ba9876543210",
	}
	for bits, want := range cases {
		if got := FromBits(bits[0], bits[1]); got != want {
			t.Errorf("FromBits(%#x, %#x) = %s, want %s", bits[0], bits[1], got, want)
		}
	}
}

func TestNewIsRandomAndWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := New()
		if !version4.MatchString(id) {
			t.Fatalf("%q is not a version-4 UUID", id)
		}
		if seen[id] {
			t.Fatalf("%s made twice", id)
		}
		seen[id] = true
	}
}
