//go:build !unix

package sandbox

// openFileLimit is unknown outside Unix: the default connection cap stands.
func openFileLimit() uint64 { return 0 }
