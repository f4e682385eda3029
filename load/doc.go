// Package load is lambdatune's load engine: Locust-style closed-model users with a
// spawn rate and wait times, and wrk2/vegeta-style open-model fixed arrival rates,
// the products scenario, HTTP and Lambda-Invoke targets, and HDR-histogram
// statistics that a UI samples on a tick.
//
// Dependency rule (one way, no cycles): tui → tune → aws, load; load → aws only for
// its Invoke target. load imports no Charm package and never imports sandbox, tune
// or tui.
package load
