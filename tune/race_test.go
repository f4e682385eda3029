//go:build race

package tune_test

// raceDetector is true when the tests run with -race.
const raceDetector = true
