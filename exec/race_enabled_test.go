//go:build race

package exec

// raceEnabled: the tests run under the race detector, which drops a
// random quarter of sync.Pool's Puts, so code that pools per value
// allocates per value there.
const raceEnabled = true
