//go:build race

package sandbox

// raceEnabled tells tests the race detector is on, so that long simulations
// can run shorter.
const raceEnabled = true
